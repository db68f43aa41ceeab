//! Identity Store groups: to_live, read (DescribeGroup), find by display name, create, update
//! (the description) and delete.

use super::group_id;
use super::user::op;
use crate::convert::{Obj, get_str, merge_attrs};
use crate::error::invalid;
use crate::{AwsProvider, gone, none_if_missing};
use aws_sdk_identitystore::operation::describe_group::DescribeGroupOutput;
use aws_smithy_types::Document;
use idplane_model::{Kind, LiveObject, ProviderError, Target};
use std::collections::BTreeMap;

pub(super) async fn describe(
    p: &AwsProvider,
    store: &str,
    id: &str,
) -> Result<Option<DescribeGroupOutput>, ProviderError> {
    none_if_missing(
        p.call("identitystore:DescribeGroup", || {
            p.ids
                .describe_group()
                .identity_store_id(store)
                .group_id(id)
                .send()
        })
        .await,
    )
}

pub fn to_live(g: &DescribeGroupOutput) -> LiveObject {
    let attrs = Obj::new()
        .s("display_name", g.display_name())
        .s("description", g.description())
        .attrs();
    LiveObject {
        kind: Kind::IdentityStoreGroup,
        id: g.group_id().to_string(),
        parent_id: None,
        tags: BTreeMap::new(),
        attrs,
        outputs: BTreeMap::from([("id".to_string(), g.group_id().to_string())]),
    }
}

pub async fn read(p: &AwsProvider, id: &str) -> Result<Option<LiveObject>, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    Ok(describe(p, &store, id).await?.as_ref().map(to_live))
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    let name = get_str(&tg.attrs, "display_name").unwrap_or_default();
    match group_id(p, &store, &name).await? {
        Some(id) => read(p, &id).await,
        None => Ok(None),
    }
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "identitystore:CreateGroup";
    let store = p.instance().await?.identity_store_id;
    let a = &tg.attrs;
    let name =
        get_str(a, "display_name").ok_or_else(|| invalid(OP, "a group needs `display_name`"))?;
    let out = sent!(
        p.call_create(OP, tg, || {
            p.ids
                .create_group()
                .identity_store_id(&store)
                .display_name(&name)
                .set_description(get_str(a, "description"))
                .send()
        })
        .await?
    );
    read(p, out.group_id())
        .await?
        .ok_or_else(|| invalid(OP, "created, but not found"))
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
    if merged.get("description") != cur.attrs.get("description") {
        let ops = vec![op(
            "description",
            get_str(&merged, "description").map(Document::String),
        )];
        p.call("identitystore:UpdateGroup", || {
            p.ids
                .update_group()
                .identity_store_id(&store)
                .group_id(&lv.id)
                .set_operations(Some(ops.clone()))
                .send()
        })
        .await?;
    }
    read(p, &lv.id).await?.ok_or_else(|| gone(lv, tg))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let store = p.instance().await?.identity_store_id;
    p.call("identitystore:DeleteGroup", || {
        p.ids
            .delete_group()
            .identity_store_id(&store)
            .group_id(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}
