//! Identity Store users: to_live (the primary email), read (DescribeUser), find by user name,
//! create, update (UpdateUser with one operation per changed attribute) and delete.

use super::user_id;
use crate::convert::{Obj, get_str, merge_attrs};
use crate::error::invalid;
use crate::{AwsProvider, gone, none_if_missing};
use aws_sdk_identitystore::operation::describe_user::DescribeUserOutput;
use aws_sdk_identitystore::types as t;
use aws_smithy_types::Document;
use idplane_model::{Kind, LiveObject, ProviderError, Target};
use std::collections::{BTreeMap, HashMap};

pub(super) async fn describe(
    p: &AwsProvider,
    store: &str,
    id: &str,
) -> Result<Option<DescribeUserOutput>, ProviderError> {
    none_if_missing(
        p.call("identitystore:DescribeUser", || {
            p.ids
                .describe_user()
                .identity_store_id(store)
                .user_id(id)
                .send()
        })
        .await,
    )
}

pub fn to_live(u: &DescribeUserOutput) -> LiveObject {
    let email = u
        .emails()
        .iter()
        .find(|e| e.primary())
        .or_else(|| u.emails().first())
        .and_then(|e| e.value());
    let attrs = Obj::new()
        .s("user_name", u.user_name())
        .s("display_name", u.display_name())
        .s("given_name", u.name().and_then(|n| n.given_name()))
        .s("family_name", u.name().and_then(|n| n.family_name()))
        .s("email", email)
        .attrs();
    LiveObject {
        kind: Kind::IdentityStoreUser,
        id: u.user_id().to_string(),
        parent_id: None,
        tags: BTreeMap::new(),
        attrs,
        outputs: BTreeMap::from([("id".to_string(), u.user_id().to_string())]),
    }
}

pub async fn read(p: &AwsProvider, id: &str) -> Result<Option<LiveObject>, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    Ok(describe(p, &store, id).await?.as_ref().map(to_live))
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    let name = get_str(&tg.attrs, "user_name").unwrap_or_default();
    match user_id(p, &store, &name).await? {
        Some(id) => read(p, &id).await,
        None => Ok(None),
    }
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "identitystore:CreateUser";
    let store = p.instance().await?.identity_store_id;
    let a = &tg.attrs;
    let name = get_str(a, "user_name").ok_or_else(|| invalid(OP, "a user needs `user_name`"))?;
    let given = get_str(a, "given_name");
    let family = get_str(a, "family_name");
    let n = (given.is_some() || family.is_some()).then(|| {
        t::Name::builder()
            .set_given_name(given)
            .set_family_name(family)
            .build()
    });
    let emails = get_str(a, "email").map(|e| {
        vec![
            t::Email::builder()
                .value(e)
                .r#type("work")
                .primary(true)
                .build(),
        ]
    });
    let out = sent!(
        p.call_create(OP, tg, || {
            p.ids
                .create_user()
                .identity_store_id(&store)
                .user_name(&name)
                .set_display_name(get_str(a, "display_name"))
                .set_name(n.clone())
                .set_emails(emails.clone())
                .send()
        })
        .await?
    );
    read(p, out.user_id())
        .await?
        .ok_or_else(|| invalid(OP, "created, but not found"))
}

fn email_doc(email: &str) -> Document {
    Document::Array(vec![Document::Object(HashMap::from([
        ("value".to_string(), Document::String(email.to_string())),
        ("type".to_string(), Document::String("work".to_string())),
        ("primary".to_string(), Document::Bool(true)),
    ]))])
}

pub(super) fn op(path: &str, v: Option<Document>) -> t::AttributeOperation {
    t::AttributeOperation::builder()
        .attribute_path(path)
        .set_attribute_value(v)
        .build()
        .expect("attribute_path is set")
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
    let changed = |k: &str| merged.get(k) != cur.attrs.get(k);
    let s = |k: &str| get_str(&merged, k).map(Document::String);
    let mut ops = Vec::new();
    if changed("display_name") {
        ops.push(op("displayName", s("display_name")));
    }
    if changed("given_name") {
        ops.push(op("name.givenName", s("given_name")));
    }
    if changed("family_name") {
        ops.push(op("name.familyName", s("family_name")));
    }
    if changed("email") {
        ops.push(op(
            "emails",
            get_str(&merged, "email").map(|e| email_doc(&e)),
        ));
    }
    if !ops.is_empty() {
        p.call("identitystore:UpdateUser", || {
            p.ids
                .update_user()
                .identity_store_id(&store)
                .user_id(&lv.id)
                .set_operations(Some(ops.clone()))
                .send()
        })
        .await?;
    }
    read(p, &lv.id).await?.ok_or_else(|| gone(lv, tg))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let store = p.instance().await?.identity_store_id;
    p.call("identitystore:DeleteUser", || {
        p.ids
            .delete_user()
            .identity_store_id(&store)
            .user_id(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}
