//! An application's assignment configuration (a singleton: whether users need an
//! assignment): to_live, get, read, find, put (create and update), and "delete", which puts
//! AWS's default back.

use super::obj;
use crate::convert::{Obj, get_bool, merge_attrs};
use crate::{AwsProvider, created, gone, need_parent, none_if_missing};
use idplane_model::{Attrs, Kind, LiveObject, ProviderError, Target, Value};

/// The physical id of the (singleton) assignment configuration.
pub const ID: &str = "assignment_configuration";

pub fn to_live(app: &str, required: bool) -> LiveObject {
    let a = Obj::new().b("assignment_required", Some(required)).attrs();
    obj(Kind::ApplicationAssignmentConfiguration, ID, Some(app), a)
}

/// The application's configuration (GetApplicationAssignmentConfiguration).
pub(super) async fn get(p: &AwsProvider, app: &str) -> Result<LiveObject, ProviderError> {
    let cfg = p
        .call("sso:GetApplicationAssignmentConfiguration", || {
            p.sso
                .get_application_assignment_configuration()
                .application_arn(app)
                .send()
        })
        .await?;
    Ok(to_live(app, cfg.assignment_required()))
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
) -> Result<Option<LiveObject>, ProviderError> {
    p.instance().await?;
    let app = need_parent(Kind::ApplicationAssignmentConfiguration, parent)?;
    none_if_missing(get(p, app).await)
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    read(p, tg.parent_id.as_deref()).await
}

/// PutApplicationAssignmentConfiguration (`assignment_required` defaults to AWS's `true`).
async fn put(p: &AwsProvider, app: &str, a: &Attrs) -> Result<(), ProviderError> {
    p.call("sso:PutApplicationAssignmentConfiguration", || {
        p.sso
            .put_application_assignment_configuration()
            .application_arn(app)
            .assignment_required(get_bool(a, "assignment_required").unwrap_or(true))
            .send()
    })
    .await?;
    Ok(())
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    let app = need_parent(tg.kind, tg.parent_id.as_deref())?;
    put(p, app, &tg.attrs).await?;
    created(tg, read(p, Some(app)).await?)
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let app = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
    put(p, app, &merged).await?;
    read(p, Some(app)).await?.ok_or_else(|| gone(lv, tg))
}

/// A singleton: "deleting" it restores AWS's default (assignment required).
pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let app = need_parent(lv.kind, lv.parent_id.as_deref())?;
    let mut a = Attrs::new();
    a.insert("assignment_required".into(), Value::Bool(true));
    put(p, app, &a).await
}
