//! IAM Identity Center (sso-admin): the instance, and one file per kind (trusted token issuer,
//! application, grant, access scope, authentication method, assignment configuration,
//! assignment); tags, and observing the stack's issuers and applications with their children.

pub mod access_scope;
pub mod application;
pub mod assignment;
pub mod assignment_configuration;
pub mod auth_method;
pub mod grant;
pub mod tti;

use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, PARENTS_AT_ONCE, identity_store, user_tags_value};
use aws_sdk_ssoadmin::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::{
    Attrs, ErrorClass, IdentityCenterInstance, InstanceSelector, Kind, LiveObject, ObserveRequest,
    ProviderError, Target, Value,
};
use std::collections::{BTreeMap, BTreeSet};

pub async fn resolve_instance(
    p: &AwsProvider,
    selector: &InstanceSelector,
) -> Result<IdentityCenterInstance, ProviderError> {
    const OP: &str = "sso:ListInstances";
    let mut all: Vec<IdentityCenterInstance> = Vec::new();
    // Instances being created, that failed to create or being deleted (ListInstances returns
    // them too): never used.
    let mut inactive: Vec<(String, String)> = Vec::new();
    let instances = all_pages(|token| async move {
        let out = p
            .call(OP, || {
                p.sso.list_instances().set_next_token(token.clone()).send()
            })
            .await?;
        Ok((
            out.instances().to_vec(),
            out.next_token().map(str::to_string),
        ))
    })
    .await?;
    for i in &instances {
        let Some(arn) = i.instance_arn() else {
            continue;
        };
        match i.status() {
            Some(t::InstanceStatus::Active) | None => {}
            Some(status) => {
                inactive.push((arn.to_string(), status.as_str().to_string()));
                continue;
            }
        }
        if let Some(store) = i.identity_store_id() {
            all.push(IdentityCenterInstance {
                instance_arn: arn.to_string(),
                identity_store_id: store.to_string(),
            });
        }
    }
    let not_active = || {
        if inactive.is_empty() {
            String::new()
        } else {
            format!(
                " ({} not ACTIVE)",
                inactive
                    .iter()
                    .map(|(arn, status)| format!("{arn} is {status}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    };
    match selector {
        InstanceSelector::Arn(arn) => {
            all.into_iter()
                .find(|i| i.instance_arn == *arn)
                .ok_or_else(|| {
                    ProviderError::new(
                        ErrorClass::NotFound,
                        OP,
                        "",
                        format!(
                            "no ACTIVE IAM Identity Center instance {arn} in this account{}",
                            not_active()
                        ),
                    )
                })
        }
        InstanceSelector::None | InstanceSelector::Auto => match all.len() {
            1 => Ok(all.remove(0)),
            0 => Err(ProviderError::new(
                ErrorClass::NotFound,
                OP,
                "",
                format!(
                    "this account has no ACTIVE IAM Identity Center instance in {}{}; Identity \
                     Center lives in one home region (see the console's Settings page): name it \
                     in the spec as `identity_center: {{ region: ... }}` (default: the stack's \
                     `region`)",
                    p.ic_region,
                    not_active()
                ),
            )),
            n => Err(ProviderError::new(
                ErrorClass::Validation,
                OP,
                "",
                format!(
                    "this account has {n} IAM Identity Center instances ({}): name one in the spec",
                    all.iter()
                        .map(|i| i.instance_arn.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        },
    }
}

fn obj(kind: Kind, id: &str, parent: Option<&str>, attrs: Attrs) -> LiveObject {
    LiveObject {
        kind,
        id: id.to_string(),
        parent_id: parent.map(str::to_string),
        tags: BTreeMap::new(),
        attrs,
        outputs: BTreeMap::new(),
    }
}

/// The tags of a trusted token issuer or an application (paginated ListTagsForResource).
pub(super) async fn tags_of(
    p: &AwsProvider,
    instance: &str,
    arn: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let pairs = all_pages(|token| async move {
        let out = p
            .call("sso:ListTagsForResource", || {
                p.sso
                    .list_tags_for_resource()
                    .instance_arn(instance)
                    .resource_arn(arn)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let tags = out
            .tags()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect();
        Ok((tags, out.next_token().map(str::to_string)))
    })
    .await?;
    Ok(pairs.into_iter().collect())
}

/// An object described by `describe` and its tags read side by side (one round trip, not
/// two), made into a live object by `live`. The describe's answer wins: an object it does not
/// find is gone (`None`), whatever the tag read said.
///
/// `sent`: the tags a create has just sent, taken instead of read. CreateApplication and
/// CreateTrustedTokenIssuer take `Tags` in the create request itself ("tags to be attached
/// to the application", API reference), so the read-back after a create costs one sso-admin
/// call, not two. A resend with the same client token must carry the same parameters (else
/// `IdempotentParameterMismatch`), so it answers an object with the same tags. Were tags ever
/// dropped, nothing is lost: the next observe finds the object by name and adopts it (puts
/// the ownership tags on it).
pub(super) async fn described_with_tags<D>(
    p: &AwsProvider,
    instance: &str,
    arn: &str,
    sent: Option<BTreeMap<String, String>>,
    describe: impl std::future::Future<Output = Result<D, ProviderError>>,
    live: impl FnOnce(D) -> LiveObject,
) -> Result<Option<LiveObject>, ProviderError> {
    let tags = async {
        match sent {
            Some(tags) => Ok(tags),
            None => tags_of(p, instance, arn).await,
        }
    };
    let (described, tags) = futures::join!(describe, tags);
    let Some(d) = crate::none_if_missing(described)? else {
        return Ok(None);
    };
    Ok(Some(with_tags(live(d), tags?)))
}

pub(super) fn with_tags(mut o: LiveObject, tags: BTreeMap<String, String>) -> LiveObject {
    o.attrs.insert("tags".into(), user_tags_value(&tags));
    o.tags = tags;
    o
}

pub(super) fn sso_tags(
    tags: &BTreeMap<String, String>,
    op: &str,
) -> Result<Vec<t::Tag>, ProviderError> {
    tags.iter()
        .map(|(k, v)| {
            t::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| invalid(op, e.to_string()))
        })
        .collect()
}

pub(super) async fn retag(
    p: &AwsProvider,
    inst: &str,
    arn: &str,
    cur: &LiveObject,
    tg: &Target,
) -> Result<(), ProviderError> {
    const OP: &str = "sso:TagResource";
    let Some(user) = tg.attrs.get("tags").and_then(Value::as_map) else {
        return Ok(());
    };
    let mut want: BTreeMap<String, String> = cur
        .tags
        .iter()
        .filter(|(k, _)| idplane_model::is_ownership_tag(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    want.extend(
        user.iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string()))),
    );
    let stale: Vec<String> = cur
        .tags
        .keys()
        .filter(|k| !want.contains_key(*k))
        .cloned()
        .collect();
    if !stale.is_empty() {
        p.call("sso:UntagResource", || {
            p.sso
                .untag_resource()
                .instance_arn(inst)
                .resource_arn(arn)
                .set_tag_keys(Some(stale.clone()))
                .send()
        })
        .await?;
    }
    let changed: BTreeMap<String, String> = want
        .into_iter()
        .filter(|(k, v)| cur.tags.get(k) != Some(v))
        .collect();
    if !changed.is_empty() {
        let tags = sso_tags(&changed, OP)?;
        p.call(OP, || {
            p.sso
                .tag_resource()
                .instance_arn(inst)
                .resource_arn(arn)
                .set_tags(Some(tags.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// Adds the target's ownership tags to a trusted token issuer or an application (TagResource
/// only: no field and no user tag is written); answers the instance ARN.
pub(super) async fn tag_owned(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<String, ProviderError> {
    const OP: &str = "sso:TagResource";
    let inst = p.instance().await?.instance_arn;
    let tags = sso_tags(&crate::ownership_tags(tg), OP)?;
    p.call(OP, || {
        p.sso
            .tag_resource()
            .instance_arn(&inst)
            .resource_arn(&lv.id)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    Ok(inst)
}

/// The error of an adopt whose object disappeared after tagging.
pub(super) fn gone_after_tagging(lv: &LiveObject) -> ProviderError {
    ProviderError::new(
        ErrorClass::NotFound,
        "sso:TagResource",
        "",
        format!("{} is gone", lv.id),
    )
}

pub(super) async fn principal_id(
    p: &AwsProvider,
    ptype: &str,
    name: &str,
    op: &str,
) -> Result<String, ProviderError> {
    let store_id = p.instance().await?.identity_store_id;
    let id = if ptype == "GROUP" {
        identity_store::group_id(p, &store_id, name).await?
    } else {
        identity_store::user_id(p, &store_id, name).await?
    };
    id.ok_or_else(|| {
        ProviderError::new(
            ErrorClass::NotFound,
            op,
            "",
            format!("no identity store {} named `{name}`", ptype.to_lowercase()),
        )
    })
}

/// The children of an application, its five collections read side by side; `only`: just these
/// kinds (for a referenced application).
async fn app_children(
    p: &AwsProvider,
    store_id: &str,
    app: &str,
    only: Option<&BTreeSet<Kind>>,
) -> Result<Vec<LiveObject>, ProviderError> {
    let wants = |k: Kind| only.is_none_or(|s| s.contains(&k));
    let grants = async {
        if wants(Kind::ApplicationGrant) {
            grant::list(p, app).await
        } else {
            Ok(Vec::new())
        }
    };
    let scopes = async {
        if wants(Kind::ApplicationAccessScope) {
            access_scope::list(p, app).await
        } else {
            Ok(Vec::new())
        }
    };
    let methods = async {
        if wants(Kind::ApplicationAuthenticationMethod) {
            auth_method::list(p, app).await
        } else {
            Ok(Vec::new())
        }
    };
    let configuration = async {
        if wants(Kind::ApplicationAssignmentConfiguration) {
            Ok(vec![assignment_configuration::get(p, app).await?])
        } else {
            Ok(Vec::new())
        }
    };
    let assignments = async {
        if wants(Kind::ApplicationAssignment) {
            assignment::list(p, store_id, app).await
        } else {
            Ok(Vec::new())
        }
    };
    let (grants, scopes, methods, configuration, assignments) =
        futures::try_join!(grants, scopes, methods, configuration, assignments)?;
    Ok([grants, scopes, methods, configuration, assignments].concat())
}

/// Whether [`observe`] lists the applications for `req` (it asks for applications or their
/// children).
pub fn lists_applications(req: &ObserveRequest) -> bool {
    req.kinds
        .iter()
        .any(|&k| k == Kind::Application || k.info().parent == Some(Kind::Application))
}

/// The stack's trusted token issuers and applications (tagged, pinned or named; all with
/// `everything`) with their children. The issuers are read beside the applications, and
/// [`PARENTS_AT_ONCE`] applications' children at once; the result keeps the lists' order.
pub async fn observe(
    p: &AwsProvider,
    req: &ObserveRequest,
    instance: &IdentityCenterInstance,
) -> Result<Vec<LiveObject>, ProviderError> {
    let inst = instance.instance_arn.as_str();
    let issuers = async {
        if req.kinds.contains(&Kind::TrustedTokenIssuer) {
            tti::list(p, inst).await
        } else {
            Ok(Vec::new())
        }
    };
    let applications = async {
        if lists_applications(req) {
            applications(p, req, instance).await
        } else {
            Ok(Vec::new())
        }
    };
    let (issuers, applications) = futures::try_join!(issuers, applications)?;
    Ok([issuers, applications].concat())
}

/// The stack's applications with their children (see [`observe`]).
async fn applications(
    p: &AwsProvider,
    req: &ObserveRequest,
    instance: &IdentityCenterInstance,
) -> Result<Vec<LiveObject>, ProviderError> {
    let inst = instance.instance_arn.as_str();
    // An application the spec references by ARN is never created, updated or deleted: its
    // ownership tags decide nothing, and it is read untagged. Unless an application the spec
    // manages has its name (then its tags say whether it is that one's) or everything is read.
    let skip_tags = |a: &LiveObject| {
        !req.everything
            && req.referenced_applications.contains_key(&a.id)
            && a.natural_key()
                .is_none_or(|n| !req.names.contains(&(Kind::Application, n.to_string())))
    };
    let apps = application::list(p, inst, &skip_tags).await?;
    let mine: Vec<String> = apps
        .iter()
        .filter(|a| {
            // Every application the planner could match: tagged, pinned or named.
            req.everything
                || a.owner_stack() == Some(req.stack.as_str())
                || req.pinned.contains(&(Kind::Application, a.id.clone()))
                || a.natural_key()
                    .is_some_and(|n| req.names.contains(&(Kind::Application, n.to_string())))
        })
        .map(|a| a.id.clone())
        .collect();
    // Pinned applications the list does not show (e.g. AWS-managed ones) are read directly.
    let mut extra = Vec::new();
    for (k, id) in &req.pinned {
        if *k == Kind::Application
            && !apps.iter().any(|a| a.id == *id)
            && let Some(o) = application::read_in(p, inst, id).await?
        {
            extra.push(o);
        }
    }
    let store_id = instance.identity_store_id.as_str();
    let arns: Vec<String> = mine
        .into_iter()
        .chain(extra.iter().map(|o| o.id.clone()))
        .collect();
    // A referenced application (not the stack's; read untagged, it counts as not the stack's):
    // only the child kinds the spec manages.
    let only = |arn: &str| {
        let owned = apps
            .iter()
            .any(|a| a.id == arn && a.owner_stack() == Some(req.stack.as_str()));
        (!owned)
            .then(|| req.referenced_applications.get(arn))
            .flatten()
    };
    let children: Vec<Vec<LiveObject>> = stream::iter(arns)
        .map(|arn| async move { app_children(p, store_id, &arn, only(&arn)).await })
        .buffered(PARENTS_AT_ONCE)
        .try_collect()
        .await?;
    Ok([apps, extra, children.concat()].concat())
}
