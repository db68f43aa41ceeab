//! Applications (customer-managed OAuth applications and referenced ones): to_live, list
//! (this account's only), read (DescribeApplication plus tags), find by ownership tags, create
//! (with a client token), update, adopt, delete, and the twins of a concurrent apply's create.

use super::{
    described_with_tags, gone_after_tagging, obj, retag, sso_tags, tag_owned, tags_of, with_tags,
};
use crate::convert::{Obj, get_map, get_str, merge_attrs, millis};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, CONCURRENCY, all_tags, created, gone, none_if_missing, one_of, owned_by};
use aws_sdk_ssoadmin::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::kind::application::field;
use idplane_model::{ErrorClass, Kind, LiveObject, ProviderError, Target, Twin, Value};
use std::collections::BTreeMap;

#[allow(clippy::too_many_arguments)]
fn app_live(
    arn: &str,
    name: Option<&str>,
    provider: Option<&str>,
    description: Option<&str>,
    status: Option<&t::ApplicationStatus>,
    portal: Option<&t::PortalOptions>,
) -> LiveObject {
    let portal = portal.map(|po| {
        let sio = po.sign_in_options().map(|s| {
            Obj::new()
                .s("origin", Some(s.origin().as_str()))
                .s("application_url", s.application_url())
                .map()
        });
        Obj::new()
            .s("visibility", Some(po.visibility().as_str()))
            .v("sign_in_options", sio.unwrap_or_default())
            .map()
    });
    let a = Obj::new()
        .s("name", name)
        .s("application_provider_arn", provider)
        .s("description", description)
        .s("status", status.map(|x| x.as_str()))
        .v("portal_options", portal.unwrap_or_default())
        .attrs();
    let mut o = obj(Kind::Application, arn, None, a);
    o.outputs.insert("arn".into(), arn.to_string());
    o
}

pub fn to_live(a: &t::Application) -> LiveObject {
    app_live(
        a.application_arn().unwrap_or_default(),
        a.name(),
        a.application_provider_arn(),
        a.description(),
        a.status(),
        a.portal_options(),
    )
}

pub(super) async fn read_in(
    p: &AwsProvider,
    instance: &str,
    arn: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    read_with(p, instance, arn, None).await
}

/// [`read_in`], with the tags a create has just sent instead of reading them
/// ([`described_with_tags`]).
async fn read_with(
    p: &AwsProvider,
    instance: &str,
    arn: &str,
    sent: Option<BTreeMap<String, String>>,
) -> Result<Option<LiveObject>, ProviderError> {
    described_with_tags(
        p,
        instance,
        arn,
        sent,
        p.call("sso:DescribeApplication", || {
            p.sso.describe_application().application_arn(arn).send()
        }),
        |d| {
            app_live(
                d.application_arn().unwrap_or(arn),
                d.name(),
                d.application_provider_arn(),
                d.description(),
                d.status(),
                d.portal_options(),
            )
        },
    )
    .await
}

/// The applications of this account on the instance, with their tags except where `skip_tags`
/// says (those come untagged). On an organization instance a member or delegated account must
/// filter by its account (`ApplicationAccount`), and the list can hold other accounts'
/// applications; so the list is always filtered to this account, and an application whose tags
/// cannot be read (another account's) counts as untagged.
pub(super) async fn list(
    p: &AwsProvider,
    instance: &str,
    skip_tags: &(dyn Fn(&LiveObject) -> bool + Sync),
) -> Result<Vec<LiveObject>, ProviderError> {
    let apps = list_untagged(p, instance).await?;
    stream::iter(apps)
        .map(|o| async move {
            if skip_tags(&o) {
                return Ok(o);
            }
            let tags = readable_tags(p, instance, &o.id).await?;
            Ok::<_, ProviderError>(with_tags(o, tags))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await
}

/// An application's tags; none when they cannot be read (another account's application).
async fn readable_tags(
    p: &AwsProvider,
    instance: &str,
    arn: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    match tags_of(p, instance, arn).await {
        Err(e) if e.class == ErrorClass::AccessDenied => {
            tracing::debug!(application = %arn, "tags not readable: not this account's");
            Ok(BTreeMap::new())
        }
        r => r,
    }
}

/// The applications of this account on the instance as ListApplications returns them (no
/// tags).
async fn list_untagged(p: &AwsProvider, instance: &str) -> Result<Vec<LiveObject>, ProviderError> {
    let filter = t::ListApplicationsFilter::builder()
        .application_account(p.account_id().await?)
        .build();
    let filter = &filter;
    all_pages(|token| async move {
        let out = p
            .call("sso:ListApplications", || {
                p.sso
                    .list_applications()
                    .instance_arn(instance)
                    .filter(filter.clone())
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let apps = out.applications().iter().map(to_live).collect();
        Ok((apps, out.next_token().map(str::to_string)))
    })
    .await
}

fn portal_options(
    m: &BTreeMap<String, Value>,
    op: &str,
) -> Result<(Option<t::SignInOptions>, Option<t::ApplicationVisibility>), ProviderError> {
    let sio = get_map(m, "sign_in_options")
        .map(|s| {
            t::SignInOptions::builder()
                .set_origin(get_str(s, "origin").map(|x| t::SignInOrigin::from(x.as_str())))
                .set_application_url(get_str(s, "application_url"))
                .build()
                .map_err(|e| invalid(op, format!("portal_options: {e}")))
        })
        .transpose()?;
    let vis = get_str(m, "visibility").map(|x| t::ApplicationVisibility::from(x.as_str()));
    Ok((sio, vis))
}

pub async fn read(p: &AwsProvider, id: &str) -> Result<Option<LiveObject>, ProviderError> {
    let inst = p.instance().await?.instance_arn;
    read_in(p, &inst, id).await
}

/// The application carrying the target's ownership tags. An application an earlier create of
/// this target made has the target's name: only applications of that name have their tags
/// read, from one list per executor level (see `listcache`), not every application's tags per
/// lookup (which made an apply of n applications quadratic in ListTagsForResource).
pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let inst = p.instance().await?.instance_arn;
    let name = get_str(&tg.attrs, field::NAME);
    let listed = p
        .lists
        .get_or_list(&crate::listcache::key(tg.kind, None), || {
            list_untagged(p, &inst)
        })
        .await?;
    let mut hits = Vec::new();
    for o in listed
        .iter()
        .filter(|o| get_str(&o.attrs, field::NAME) == name)
    {
        let o = with_tags(o.clone(), readable_tags(p, &inst, &o.id).await?);
        if owned_by(&o, tg) {
            hits.push(o);
        }
    }
    one_of(tg, &mut hits)
}

/// Every application carrying the target's ownership tags, with its `CreatedDate` (two
/// applies at once each made one). A twin has the target's name: applications are found in
/// the listing (one per executor level, see `listcache`); an application alone with its name
/// comes with its id only (nothing to order), several have their tags read and are described.
pub async fn twins(p: &AwsProvider, tg: &Target) -> Result<Vec<Twin>, ProviderError> {
    let inst = p.instance().await?.instance_arn;
    let name = get_str(&tg.attrs, field::NAME);
    let same: Vec<LiveObject> = p
        .lists
        .get_or_list(&crate::listcache::key(tg.kind, None), || {
            list_untagged(p, &inst)
        })
        .await?
        .iter()
        .filter(|o| get_str(&o.attrs, field::NAME) == name)
        .cloned()
        .collect();
    if let [only] = same.as_slice() {
        return Ok(vec![Twin {
            created_ms: None,
            live: only.clone(),
        }]);
    }
    let mut out = Vec::new();
    for listed in same {
        let tags = readable_tags(p, &inst, &listed.id).await?;
        let live = with_tags(listed, tags);
        if !owned_by(&live, tg) {
            continue;
        }
        let described = none_if_missing(
            p.call("sso:DescribeApplication", || {
                p.sso
                    .describe_application()
                    .application_arn(&live.id)
                    .send()
            })
            .await,
        )?;
        if let Some(d) = described {
            out.push(Twin {
                created_ms: millis(d.created_date()),
                live,
            });
        }
    }
    Ok(out)
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "sso:CreateApplication";
    let a = &tg.attrs;
    let inst = p.instance().await?.instance_arn;
    let sent = all_tags(tg);
    let tags = sso_tags(&sent, OP)?;
    let portal = match get_map(a, "portal_options") {
        Some(m) => {
            let (sio, vis) = portal_options(m, OP)?;
            Some(
                t::PortalOptions::builder()
                    .set_sign_in_options(sio)
                    .set_visibility(vis)
                    .build(),
            )
        }
        None => None,
    };
    let out = sent!(
        p.call_create(OP, tg, || {
            p.sso
                .create_application()
                .instance_arn(&inst)
                .application_provider_arn(
                    get_str(a, "application_provider_arn")
                        .unwrap_or_else(|| idplane_model::kind::CUSTOM_APPLICATION_PROVIDER.into()),
                )
                .set_name(get_str(a, "name"))
                .set_description(get_str(a, "description"))
                .set_portal_options(portal.clone())
                .set_status(get_str(a, "status").map(|s| t::ApplicationStatus::from(s.as_str())))
                .client_token(&tg.client_token)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?
    );
    let arn = out
        .application_arn()
        .ok_or_else(|| invalid(OP, "no ARN in the response"))?;
    created(tg, read_with(p, &inst, arn, Some(sent)).await?)
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "sso:UpdateApplication";
    let inst = p.instance().await?.instance_arn;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &["tags"]);
    // Only the sign-in options can be updated (a visibility change is planned as a
    // replace); never an empty `PortalOptions`.
    let portal = match get_map(&merged, "portal_options") {
        Some(m) => portal_options(m, OP)?.0.map(|sio| {
            t::UpdateApplicationPortalOptions::builder()
                .sign_in_options(sio)
                .build()
        }),
        None => None,
    };
    p.call(OP, || {
        p.sso
            .update_application()
            .application_arn(&lv.id)
            .set_name(get_str(&merged, "name"))
            .set_description(get_str(&merged, "description"))
            .set_status(get_str(&merged, "status").map(|s| t::ApplicationStatus::from(s.as_str())))
            .set_portal_options(portal.clone())
            .send()
    })
    .await?;
    retag(p, &inst, &lv.id, cur, tg).await?;
    read_in(p, &inst, &lv.id).await?.ok_or_else(|| gone(lv, tg))
}

/// Adds the target's ownership tags (TagResource only).
pub async fn adopt(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let inst = tag_owned(p, lv, tg).await?;
    read_in(p, &inst, &lv.id)
        .await?
        .ok_or_else(|| gone_after_tagging(lv))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    p.call("sso:DeleteApplication", || {
        p.sso.delete_application().application_arn(&lv.id).send()
    })
    .await
    .map(|_| ())
}
