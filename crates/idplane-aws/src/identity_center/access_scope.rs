//! Application access scopes (with their authorized targets): to_live, list, read, find by
//! scope, write (create and update are one upsert; clearing the targets deletes and puts
//! again) without or with a read-back, and delete. The executor writes scopes unread and reads
//! an application's scopes back with one list (`Provider::reads_back_by_list`).

use super::obj;
use crate::convert::{Obj, get_str, get_strs, merge_attrs, strs};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, created, gone, need_parent, none_if_missing};
use idplane_model::kind::application_access_scope::field;
use idplane_model::{Attrs, Kind, LiveObject, ProviderError, Target};

pub fn to_live(app: &str, scope: &str, targets: &[String]) -> LiveObject {
    let a = Obj::new()
        .s("scope", Some(scope))
        .v("authorized_targets", strs(targets))
        .attrs();
    obj(Kind::ApplicationAccessScope, scope, Some(app), a)
}

/// Every access scope of the application (paginated ListApplicationAccessScopes): observe, the
/// lookups, and the executor's read-back of the writes to one application (`list_under`).
pub async fn list(p: &AwsProvider, app: &str) -> Result<Vec<LiveObject>, ProviderError> {
    all_pages(|token| async move {
        let out = p
            .call("sso:ListApplicationAccessScopes", || {
                p.sso
                    .list_application_access_scopes()
                    .application_arn(app)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let objs = out
            .scopes()
            .iter()
            .map(|s| to_live(app, s.scope(), s.authorized_targets()))
            .collect();
        Ok((objs, out.next_token().map(str::to_string)))
    })
    .await
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    p.instance().await?;
    let app = need_parent(Kind::ApplicationAccessScope, parent)?;
    let out = none_if_missing(
        p.call("sso:GetApplicationAccessScope", || {
            p.sso
                .get_application_access_scope()
                .application_arn(app)
                .scope(id)
                .send()
        })
        .await,
    )?;
    Ok(out.map(|o| to_live(app, o.scope(), o.authorized_targets())))
}

/// ListApplicationAccessScopes returns whole scopes: one list per application and executor
/// level (see `listcache`).
pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    p.instance().await?;
    let app = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let scope = get_str(&tg.attrs, field::SCOPE).unwrap_or_default();
    let scopes = p
        .lists
        .get_or_list(&crate::listcache::key(tg.kind, Some(app)), || list(p, app))
        .await?;
    Ok(scopes.iter().find(|o| o.id == scope).cloned())
}

/// PutApplicationAccessScope (an upsert); answers the scope's id (its name).
async fn put(p: &AwsProvider, app: &str, a: &Attrs) -> Result<String, ProviderError> {
    const OP: &str = "sso:PutApplicationAccessScope";
    let scope = get_str(a, "scope").ok_or_else(|| invalid(OP, "an access scope needs `scope`"))?;
    p.call(OP, || {
        p.sso
            .put_application_access_scope()
            .application_arn(app)
            .scope(&scope)
            // AWS requires 1 to 10 targets when the list is present: leave an
            // empty list out.
            .set_authorized_targets(get_strs(a, "authorized_targets").filter(|t| !t.is_empty()))
            .send()
    })
    .await?;
    Ok(scope)
}

/// Writes the scope without reading it back (the executor reads an application's scopes back
/// with one list, `list_under`): a put, or for an update that clears the targets a delete then
/// a put without them (a put without targets leaves the scope's targets as they are). `live`:
/// the caller's read of just now, for an update (see `Provider::update`). Answers the id.
pub async fn write(
    p: &AwsProvider,
    live: Option<&LiveObject>,
    tg: &Target,
) -> Result<String, ProviderError> {
    let parent = live.and_then(|lv| lv.parent_id.as_deref());
    let app = need_parent(tg.kind, parent.or(tg.parent_id.as_deref()))?;
    let Some(cur) = live else {
        return put(p, app, &tg.attrs).await;
    };
    let mut merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
    let clears_targets = get_strs(&tg.attrs, "authorized_targets").is_none_or(|t| t.is_empty())
        && get_strs(&cur.attrs, "authorized_targets").is_some_and(|t| !t.is_empty());
    if clears_targets {
        delete(p, cur).await?;
        merged.remove("authorized_targets");
    }
    put(p, app, &merged).await
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    let app = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let id = write(p, None, tg).await?;
    created(tg, read(p, Some(app), &id).await?)
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let app = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    let id = write(p, Some(lv), tg).await?;
    read(p, Some(app), &id).await?.ok_or_else(|| gone(lv, tg))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let app = need_parent(lv.kind, lv.parent_id.as_deref())?;
    p.call("sso:DeleteApplicationAccessScope", || {
        p.sso
            .delete_application_access_scope()
            .application_arn(app)
            .scope(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}
