//! Application assignments of Identity Store users and groups, keyed `TYPE:name`: to_live,
//! list (principal ids resolved to names), read, find, create, update (nothing to change in
//! place) and delete.

use super::{obj, principal_id};
use crate::convert::{Obj, get_str};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, gone, identity_store, need_parent, none_if_missing};
use aws_sdk_ssoadmin::types as t;
use idplane_model::{Kind, LiveObject, ProviderError, Target};

pub fn to_live(app: &str, ptype: &str, name: &str) -> LiveObject {
    let key = format!("{ptype}:{name}");
    let a = Obj::new()
        .s("principal_type", Some(ptype))
        .s("principal_name", Some(name))
        .s("principal", Some(key.as_str()))
        .attrs();
    obj(Kind::ApplicationAssignment, &key, Some(app), a)
}

/// The application's assignments, principal ids resolved to user and group names (an id whose
/// principal is gone stays an id).
pub(super) async fn list(
    p: &AwsProvider,
    store_id: &str,
    app: &str,
) -> Result<Vec<LiveObject>, ProviderError> {
    let principals = all_pages(|token| async move {
        let out = p
            .call("sso:ListApplicationAssignments", || {
                p.sso
                    .list_application_assignments()
                    .application_arn(app)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let principals = out
            .application_assignments()
            .iter()
            .map(|a| {
                (
                    a.principal_type().as_str().to_string(),
                    a.principal_id().to_string(),
                )
            })
            .collect();
        Ok((principals, out.next_token().map(str::to_string)))
    })
    .await?;
    let mut objs = Vec::new();
    for (ptype, pid) in principals {
        let name = if ptype == "GROUP" {
            identity_store::group_name(p, store_id, &pid).await?
        } else {
            identity_store::user_name(p, store_id, &pid).await?
        };
        objs.push(to_live(app, &ptype, &name.unwrap_or(pid)));
    }
    Ok(objs)
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let instance = p.instance().await?;
    let app = need_parent(Kind::ApplicationAssignment, parent)?;
    let (ptype, name) = id.split_once(':').ok_or_else(|| {
        invalid(
            "sso:DescribeApplicationAssignment",
            format!("`{id}` is not TYPE:name"),
        )
    })?;
    let store_id = instance.identity_store_id.as_str();
    let pid = if ptype == "GROUP" {
        identity_store::group_id(p, store_id, name).await?
    } else {
        identity_store::user_id(p, store_id, name).await?
    };
    let Some(pid) = pid else { return Ok(None) };
    let out = none_if_missing(
        p.call("sso:DescribeApplicationAssignment", || {
            p.sso
                .describe_application_assignment()
                .application_arn(app)
                .principal_id(&pid)
                .principal_type(t::PrincipalType::from(ptype))
                .send()
        })
        .await,
    )?;
    Ok(out.map(|_| to_live(app, ptype, name)))
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let key = |k: &str| get_str(&tg.attrs, k).unwrap_or_default();
    let id = format!("{}:{}", key("principal_type"), key("principal_name"));
    read(p, tg.parent_id.as_deref(), &id).await
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "sso:CreateApplicationAssignment";
    let a = &tg.attrs;
    let app = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let ptype = get_str(a, "principal_type").unwrap_or_else(|| "USER".into());
    let name = get_str(a, "principal_name")
        .ok_or_else(|| invalid(OP, "an assignment needs `principal_name`"))?;
    let pid = principal_id(p, &ptype, &name, OP).await?;
    sent!(
        p.call_create(OP, tg, || {
            p.sso
                .create_application_assignment()
                .application_arn(app)
                .principal_id(&pid)
                .principal_type(t::PrincipalType::from(ptype.as_str()))
                .send()
        })
        .await?
    );
    Ok(to_live(app, &ptype, &name))
}

/// An assignment has only immutable fields: nothing to update in place.
pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let parent = lv.parent_id.as_deref().or(tg.parent_id.as_deref());
    read(p, parent, &lv.id).await?.ok_or_else(|| gone(lv, tg))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    const OP: &str = "sso:DeleteApplicationAssignment";
    let app = need_parent(lv.kind, lv.parent_id.as_deref())?;
    let (ptype, name) = lv
        .id
        .split_once(':')
        .ok_or_else(|| invalid(OP, format!("`{}` is not TYPE:name", lv.id)))?;
    let pid = principal_id(p, ptype, name, OP).await?;
    p.call(OP, || {
        p.sso
            .delete_application_assignment()
            .application_arn(app)
            .principal_id(&pid)
            .principal_type(t::PrincipalType::from(ptype))
            .send()
    })
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use idplane_model::Value;

    #[test]
    fn assignments_are_keyed_by_type_and_name() {
        let o = to_live("arn:app", "GROUP", "admins");
        assert_eq!(o.id, "GROUP:admins");
        assert_eq!(o.attrs["principal"], Value::str("GROUP:admins"));
        assert_eq!(o.parent_id.as_deref(), Some("arn:app"));
    }
}
