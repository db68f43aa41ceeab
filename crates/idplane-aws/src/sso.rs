//! IAM Identity Center (sso-admin): the instance, trusted token issuers, applications and their
//! grants, access scopes, authentication methods, assignment configuration and assignments.

use crate::convert::{
    Obj, doc_to_value, get_bool, get_map, get_str, get_strs, merge_attrs, strs, value_to_doc,
};
use crate::error::invalid;
use crate::{
    AwsProvider, CONCURRENCY, all_tags, need_parent, none_if_missing, owned_by, store,
    user_tags_value,
};
use aws_sdk_ssoadmin::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::{
    Attrs, ErrorClass, IdentityCenterInstance, InstanceSelector, Kind, LiveObject, ObserveRequest,
    ProviderError, Target, Value,
};
use std::collections::{BTreeMap, BTreeSet};

/// The physical id of the (singleton) assignment configuration.
pub const ASSIGNMENT_CONFIGURATION_ID: &str = "assignment_configuration";

pub async fn resolve_instance(
    p: &AwsProvider,
    selector: &InstanceSelector,
) -> Result<IdentityCenterInstance, ProviderError> {
    const OP: &str = "sso:ListInstances";
    let mut all = Vec::new();
    // Instances being created, that failed to create or being deleted (ListInstances returns
    // them too): never used.
    let mut inactive: Vec<(String, String)> = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = p
            .call(OP, || {
                p.sso.list_instances().set_next_token(token.clone()).send()
            })
            .await?;
        for i in out.instances() {
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
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
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
        _ => match all.len() {
            1 => Ok(all.remove(0)),
            0 => Err(ProviderError::new(
                ErrorClass::NotFound,
                OP,
                "",
                format!(
                    "this account has no ACTIVE IAM Identity Center instance in {}{}; Identity \
                     Center lives in one home region (see the console's Settings page) and \
                     idplane calls it in the spec's region",
                    p.region,
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

async fn tags_of(
    p: &AwsProvider,
    instance: &str,
    arn: &str,
) -> Result<BTreeMap<String, String>, ProviderError> {
    let mut tags = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
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
        tags.extend(
            out.tags()
                .iter()
                .map(|t| (t.key().to_string(), t.value().to_string())),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(tags);
        }
    }
}

fn with_tags(mut o: LiveObject, tags: BTreeMap<String, String>) -> LiveObject {
    o.attrs.insert("tags".into(), user_tags_value(&tags));
    o.tags = tags;
    o
}

// ---------------------------------------------------------------------------------------------
// Trusted token issuers

pub fn tti_to_live(
    d: &aws_sdk_ssoadmin::operation::describe_trusted_token_issuer::DescribeTrustedTokenIssuerOutput,
) -> LiveObject {
    let arn = d.trusted_token_issuer_arn().unwrap_or_default();
    let mut a = Obj::new().s("name", d.name()).s(
        "issuer_type",
        d.trusted_token_issuer_type().map(|x| x.as_str()),
    );
    if let Some(t::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(c)) =
        d.trusted_token_issuer_configuration()
    {
        a = a
            .s("issuer_url", Some(c.issuer_url()))
            .s("claim_attribute_path", Some(c.claim_attribute_path()))
            .s(
                "identity_store_attribute_path",
                Some(c.identity_store_attribute_path()),
            )
            .s(
                "jwks_retrieval_option",
                Some(c.jwks_retrieval_option().as_str()),
            );
    }
    let mut o = obj(Kind::TrustedTokenIssuer, arn, None, a.attrs());
    o.outputs.insert("arn".into(), arn.to_string());
    o
}

async fn read_tti(
    p: &AwsProvider,
    instance: &str,
    arn: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let Some(d) = none_if_missing(
        p.call("sso:DescribeTrustedTokenIssuer", || {
            p.sso
                .describe_trusted_token_issuer()
                .trusted_token_issuer_arn(arn)
                .send()
        })
        .await,
    )?
    else {
        return Ok(None);
    };
    let tags = tags_of(p, instance, arn).await?;
    Ok(Some(with_tags(tti_to_live(&d), tags)))
}

async fn list_ttis(p: &AwsProvider, instance: &str) -> Result<Vec<LiveObject>, ProviderError> {
    let mut arns = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = p
            .call("sso:ListTrustedTokenIssuers", || {
                p.sso
                    .list_trusted_token_issuers()
                    .instance_arn(instance)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        arns.extend(
            out.trusted_token_issuers()
                .iter()
                .filter_map(|x| x.trusted_token_issuer_arn().map(str::to_string)),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    let objs: Vec<Option<LiveObject>> = stream::iter(arns)
        .map(|arn| async move { read_tti(p, instance, &arn).await })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(objs.into_iter().flatten().collect())
}

// ---------------------------------------------------------------------------------------------
// Applications

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

pub fn app_to_live(a: &t::Application) -> LiveObject {
    app_live(
        a.application_arn().unwrap_or_default(),
        a.name(),
        a.application_provider_arn(),
        a.description(),
        a.status(),
        a.portal_options(),
    )
}

async fn read_app(
    p: &AwsProvider,
    instance: &str,
    arn: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let Some(d) = none_if_missing(
        p.call("sso:DescribeApplication", || {
            p.sso.describe_application().application_arn(arn).send()
        })
        .await,
    )?
    else {
        return Ok(None);
    };
    let o = app_live(
        d.application_arn().unwrap_or(arn),
        d.name(),
        d.application_provider_arn(),
        d.description(),
        d.status(),
        d.portal_options(),
    );
    Ok(Some(with_tags(o, tags_of(p, instance, arn).await?)))
}

/// The applications of this account on the instance. On an organization instance a member or
/// delegated account must filter by its account (`ApplicationAccount`), and the list can hold
/// other accounts' applications; so the list is always filtered to this account, and an
/// application whose tags cannot be read (another account's) counts as untagged.
async fn list_apps(p: &AwsProvider, instance: &str) -> Result<Vec<LiveObject>, ProviderError> {
    let filter = t::ListApplicationsFilter::builder()
        .application_account(p.account_id().await?)
        .build();
    let mut apps = Vec::new();
    let mut token: Option<String> = None;
    loop {
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
        apps.extend(out.applications().iter().map(app_to_live));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    stream::iter(apps)
        .map(|o| async move {
            let tags = match tags_of(p, instance, &o.id).await {
                Err(e) if e.class == ErrorClass::AccessDenied => {
                    tracing::debug!(application = %o.id, "tags not readable: not this account's");
                    BTreeMap::new()
                }
                r => r?,
            };
            Ok::<_, ProviderError>(with_tags(o, tags))
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
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

// ---------------------------------------------------------------------------------------------
// Application children

pub fn grant_to_value(g: Option<&t::Grant>) -> Value {
    match g {
        Some(t::Grant::AuthorizationCode(c)) => Value::Map(BTreeMap::from([(
            "redirect_uris".to_string(),
            strs(c.redirect_uris()),
        )])),
        Some(t::Grant::JwtBearer(j)) => {
            let issuers: Vec<Value> = j
                .authorized_token_issuers()
                .iter()
                .map(|i| {
                    Obj::new()
                        .s("trusted_token_issuer_arn", i.trusted_token_issuer_arn())
                        .v("authorized_audiences", strs(i.authorized_audiences()))
                        .map()
                })
                .collect();
            Value::Map(BTreeMap::from([(
                "authorized_token_issuers".to_string(),
                Value::List(issuers),
            )]))
        }
        _ => Value::Map(BTreeMap::new()),
    }
}

pub fn value_to_grant(grant_type: &str, v: &Value) -> t::Grant {
    let empty = BTreeMap::new();
    let m = v.as_map().unwrap_or(&empty);
    match grant_type {
        "authorization_code" => t::Grant::AuthorizationCode(
            t::AuthorizationCodeGrant::builder()
                .set_redirect_uris(get_strs(m, "redirect_uris"))
                .build(),
        ),
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
            let issuers = m
                .get("authorized_token_issuers")
                .and_then(Value::as_list)
                .unwrap_or_default()
                .iter()
                .filter_map(Value::as_map)
                .map(|i| {
                    t::AuthorizedTokenIssuer::builder()
                        .set_trusted_token_issuer_arn(get_str(i, "trusted_token_issuer_arn"))
                        .set_authorized_audiences(get_strs(i, "authorized_audiences"))
                        .build()
                })
                .collect();
            t::Grant::JwtBearer(
                t::JwtBearerGrant::builder()
                    .set_authorized_token_issuers(Some(issuers))
                    .build(),
            )
        }
        "refresh_token" => t::Grant::RefreshToken(t::RefreshTokenGrant::builder().build()),
        _ => t::Grant::TokenExchange(t::TokenExchangeGrant::builder().build()),
    }
}

fn grant_live(app: &str, grant_type: &str, g: Option<&t::Grant>) -> LiveObject {
    let a = Obj::new()
        .s("grant_type", Some(grant_type))
        .v("grant", grant_to_value(g))
        .attrs();
    obj(Kind::ApplicationGrant, grant_type, Some(app), a)
}

fn scope_live(app: &str, scope: &str, targets: &[String]) -> LiveObject {
    let a = Obj::new()
        .s("scope", Some(scope))
        .v("authorized_targets", strs(targets))
        .attrs();
    obj(Kind::ApplicationAccessScope, scope, Some(app), a)
}

fn method_live(app: &str, method_type: &str, m: Option<&t::AuthenticationMethod>) -> LiveObject {
    let policy = match m {
        Some(t::AuthenticationMethod::Iam(i)) => doc_to_value(i.actor_policy()),
        _ => Value::Null,
    };
    let a = Obj::new()
        .s("method_type", Some(method_type))
        .v("actor_policy", policy)
        .attrs();
    obj(
        Kind::ApplicationAuthenticationMethod,
        method_type,
        Some(app),
        a,
    )
}

fn config_live(app: &str, required: bool) -> LiveObject {
    let a = Obj::new().b("assignment_required", Some(required)).attrs();
    obj(
        Kind::ApplicationAssignmentConfiguration,
        ASSIGNMENT_CONFIGURATION_ID,
        Some(app),
        a,
    )
}

fn assignment_live(app: &str, ptype: &str, name: &str) -> LiveObject {
    let key = format!("{ptype}:{name}");
    let a = Obj::new()
        .s("principal_type", Some(ptype))
        .s("principal_name", Some(name))
        .s("principal", Some(key.as_str()))
        .attrs();
    obj(Kind::ApplicationAssignment, &key, Some(app), a)
}

/// The policy document of a target: a map, or JSON text.
fn policy_doc(v: &Value) -> aws_smithy_types::Document {
    match v {
        Value::Str(s) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(j) => value_to_doc(&Value::from_json(&j)),
            Err(_) => value_to_doc(v),
        },
        _ => value_to_doc(v),
    }
}

/// The children of an application; `only`: just these kinds (for a referenced application).
async fn app_children(
    p: &AwsProvider,
    store_id: &str,
    app: &str,
    only: Option<&BTreeSet<Kind>>,
) -> Result<Vec<LiveObject>, ProviderError> {
    let wants = |k: Kind| only.is_none_or(|s| s.contains(&k));
    let mut objs = Vec::new();
    let mut token: Option<String> = None;
    while wants(Kind::ApplicationGrant) {
        let out = p
            .call("sso:ListApplicationGrants", || {
                p.sso
                    .list_application_grants()
                    .application_arn(app)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        objs.extend(
            out.grants()
                .iter()
                .map(|g| grant_live(app, g.grant_type().as_str(), g.grant())),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    while wants(Kind::ApplicationAccessScope) {
        let out = p
            .call("sso:ListApplicationAccessScopes", || {
                p.sso
                    .list_application_access_scopes()
                    .application_arn(app)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        objs.extend(
            out.scopes()
                .iter()
                .map(|s| scope_live(app, s.scope(), s.authorized_targets())),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    while wants(Kind::ApplicationAuthenticationMethod) {
        let out = p
            .call("sso:ListApplicationAuthenticationMethods", || {
                p.sso
                    .list_application_authentication_methods()
                    .application_arn(app)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        objs.extend(out.authentication_methods().iter().filter_map(|m| {
            Some(method_live(
                app,
                m.authentication_method_type()?.as_str(),
                m.authentication_method(),
            ))
        }));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    if wants(Kind::ApplicationAssignmentConfiguration) {
        let cfg = p
            .call("sso:GetApplicationAssignmentConfiguration", || {
                p.sso
                    .get_application_assignment_configuration()
                    .application_arn(app)
                    .send()
            })
            .await?;
        objs.push(config_live(app, cfg.assignment_required()));
    }
    let mut principals = Vec::new();
    while wants(Kind::ApplicationAssignment) {
        let out = p
            .call("sso:ListApplicationAssignments", || {
                p.sso
                    .list_application_assignments()
                    .application_arn(app)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        principals.extend(out.application_assignments().iter().map(|a| {
            (
                a.principal_type().as_str().to_string(),
                a.principal_id().to_string(),
            )
        }));
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    for (ptype, pid) in principals {
        let name = if ptype == "GROUP" {
            store::group_name(p, store_id, &pid).await?
        } else {
            store::user_name(p, store_id, &pid).await?
        };
        objs.push(assignment_live(app, &ptype, &name.unwrap_or(pid)));
    }
    Ok(objs)
}

// ---------------------------------------------------------------------------------------------
// Provider operations

pub async fn observe(
    p: &AwsProvider,
    req: &ObserveRequest,
    instance: &IdentityCenterInstance,
) -> Result<Vec<LiveObject>, ProviderError> {
    let inst = instance.instance_arn.as_str();
    let mut objs = Vec::new();
    let app_kinds = [
        Kind::Application,
        Kind::ApplicationGrant,
        Kind::ApplicationAccessScope,
        Kind::ApplicationAuthenticationMethod,
        Kind::ApplicationAssignmentConfiguration,
        Kind::ApplicationAssignment,
    ];
    if req.kinds.contains(&Kind::TrustedTokenIssuer) {
        objs.extend(list_ttis(p, inst).await?);
    }
    if app_kinds.iter().any(|k| req.kinds.contains(k)) {
        let apps = list_apps(p, inst).await?;
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
                && let Some(o) = read_app(p, inst, id).await?
            {
                extra.push(o);
            }
        }
        let store_id = instance.identity_store_id.as_str();
        let arns: Vec<String> = mine
            .into_iter()
            .chain(extra.iter().map(|o| o.id.clone()))
            .collect();
        // A referenced application (not the stack's): only the child kinds the spec manages.
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
            .buffer_unordered(2)
            .try_collect()
            .await?;
        objs.extend(apps);
        objs.extend(extra);
        objs.extend(children.into_iter().flatten());
    }
    Ok(objs)
}

pub async fn read(
    p: &AwsProvider,
    kind: Kind,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let instance = p.instance().await?;
    let inst = instance.instance_arn.as_str();
    match kind {
        Kind::TrustedTokenIssuer => read_tti(p, inst, id).await,
        Kind::Application => read_app(p, inst, id).await,
        Kind::ApplicationGrant => {
            let app = need_parent(kind, parent)?;
            let out = none_if_missing(
                p.call("sso:GetApplicationGrant", || {
                    p.sso
                        .get_application_grant()
                        .application_arn(app)
                        .grant_type(t::GrantType::from(id))
                        .send()
                })
                .await,
            )?;
            Ok(out.map(|o| grant_live(app, id, o.grant())))
        }
        Kind::ApplicationAccessScope => {
            let app = need_parent(kind, parent)?;
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
            Ok(out.map(|o| scope_live(app, o.scope(), o.authorized_targets())))
        }
        Kind::ApplicationAuthenticationMethod => {
            let app = need_parent(kind, parent)?;
            let out = none_if_missing(
                p.call("sso:GetApplicationAuthenticationMethod", || {
                    p.sso
                        .get_application_authentication_method()
                        .application_arn(app)
                        .authentication_method_type(t::AuthenticationMethodType::from(id))
                        .send()
                })
                .await,
            )?;
            Ok(out.map(|o| method_live(app, id, o.authentication_method())))
        }
        Kind::ApplicationAssignmentConfiguration => {
            let app = need_parent(kind, parent)?;
            let out = none_if_missing(
                p.call("sso:GetApplicationAssignmentConfiguration", || {
                    p.sso
                        .get_application_assignment_configuration()
                        .application_arn(app)
                        .send()
                })
                .await,
            )?;
            Ok(out.map(|o| config_live(app, o.assignment_required())))
        }
        Kind::ApplicationAssignment => {
            let app = need_parent(kind, parent)?;
            let (ptype, name) = id.split_once(':').ok_or_else(|| {
                invalid(
                    "sso:DescribeApplicationAssignment",
                    format!("`{id}` is not TYPE:name"),
                )
            })?;
            let store_id = instance.identity_store_id.as_str();
            let pid = if ptype == "GROUP" {
                store::group_id(p, store_id, name).await?
            } else {
                store::user_id(p, store_id, name).await?
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
            Ok(out.map(|_| assignment_live(app, ptype, name)))
        }
        _ => unreachable!("not an Identity Center kind"),
    }
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let key = |k: &str| get_str(&tg.attrs, k).unwrap_or_default();
    let parent = tg.parent_id.as_deref();
    match tg.kind {
        Kind::TrustedTokenIssuer | Kind::Application => {
            let inst = p.instance().await?.instance_arn;
            let all = if tg.kind == Kind::TrustedTokenIssuer {
                list_ttis(p, &inst).await?
            } else {
                list_apps(p, &inst).await?
            };
            let mut hits: Vec<LiveObject> = all.into_iter().filter(|o| owned_by(o, tg)).collect();
            crate::cognito::one_of(tg, &mut hits)
        }
        Kind::ApplicationGrant => read(p, tg.kind, parent, &key("grant_type")).await,
        Kind::ApplicationAccessScope => read(p, tg.kind, parent, &key("scope")).await,
        Kind::ApplicationAuthenticationMethod => {
            read(p, tg.kind, parent, &key("method_type")).await
        }
        Kind::ApplicationAssignmentConfiguration => {
            read(p, tg.kind, parent, ASSIGNMENT_CONFIGURATION_ID).await
        }
        Kind::ApplicationAssignment => {
            let id = format!("{}:{}", key("principal_type"), key("principal_name"));
            read(p, tg.kind, parent, &id).await
        }
        _ => unreachable!("not an Identity Center kind"),
    }
}

fn sso_tags(tags: &BTreeMap<String, String>, op: &str) -> Result<Vec<t::Tag>, ProviderError> {
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

fn tti_update_config(a: &Attrs) -> t::TrustedTokenIssuerUpdateConfiguration {
    t::TrustedTokenIssuerUpdateConfiguration::OidcJwtConfiguration(
        t::OidcJwtUpdateConfiguration::builder()
            .set_claim_attribute_path(get_str(a, "claim_attribute_path"))
            .set_identity_store_attribute_path(get_str(a, "identity_store_attribute_path"))
            .set_jwks_retrieval_option(
                get_str(a, "jwks_retrieval_option")
                    .map(|s| t::JwksRetrievalOption::from(s.as_str())),
            )
            .build(),
    )
}

/// Writes one of the upserted application children (grant, scope, method, configuration).
async fn put_child(
    p: &AwsProvider,
    app: &str,
    kind: Kind,
    a: &Attrs,
) -> Result<String, ProviderError> {
    match kind {
        Kind::ApplicationGrant => {
            const OP: &str = "sso:PutApplicationGrant";
            let gt = get_str(a, "grant_type")
                .ok_or_else(|| invalid(OP, "a grant needs `grant_type`"))?;
            let grant = value_to_grant(&gt, a.get("grant").unwrap_or(&Value::Null));
            p.call(OP, || {
                p.sso
                    .put_application_grant()
                    .application_arn(app)
                    .grant_type(t::GrantType::from(gt.as_str()))
                    .grant(grant.clone())
                    .send()
            })
            .await?;
            Ok(gt)
        }
        Kind::ApplicationAccessScope => {
            const OP: &str = "sso:PutApplicationAccessScope";
            let scope =
                get_str(a, "scope").ok_or_else(|| invalid(OP, "an access scope needs `scope`"))?;
            p.call(OP, || {
                p.sso
                    .put_application_access_scope()
                    .application_arn(app)
                    .scope(&scope)
                    // AWS requires 1 to 10 targets when the list is present: leave an
                    // empty list out.
                    .set_authorized_targets(
                        get_strs(a, "authorized_targets").filter(|t| !t.is_empty()),
                    )
                    .send()
            })
            .await?;
            Ok(scope)
        }
        Kind::ApplicationAuthenticationMethod => {
            const OP: &str = "sso:PutApplicationAuthenticationMethod";
            let mt = get_str(a, "method_type").unwrap_or_else(|| "IAM".to_string());
            let policy = policy_doc(a.get("actor_policy").unwrap_or(&Value::Null));
            let method = t::AuthenticationMethod::Iam(
                t::IamAuthenticationMethod::builder()
                    .actor_policy(policy)
                    .build()
                    .map_err(|e| invalid(OP, e.to_string()))?,
            );
            p.call(OP, || {
                p.sso
                    .put_application_authentication_method()
                    .application_arn(app)
                    .authentication_method_type(t::AuthenticationMethodType::from(mt.as_str()))
                    .authentication_method(method.clone())
                    .send()
            })
            .await?;
            Ok(mt)
        }
        Kind::ApplicationAssignmentConfiguration => {
            p.call("sso:PutApplicationAssignmentConfiguration", || {
                p.sso
                    .put_application_assignment_configuration()
                    .application_arn(app)
                    .assignment_required(get_bool(a, "assignment_required").unwrap_or(true))
                    .send()
            })
            .await?;
            Ok(ASSIGNMENT_CONFIGURATION_ID.to_string())
        }
        _ => unreachable!("not an upserted kind"),
    }
}

async fn principal_id(
    p: &AwsProvider,
    ptype: &str,
    name: &str,
    op: &str,
) -> Result<String, ProviderError> {
    let store_id = p.instance().await?.identity_store_id;
    let id = if ptype == "GROUP" {
        store::group_id(p, &store_id, name).await?
    } else {
        store::user_id(p, &store_id, name).await?
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

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    let a = &tg.attrs;
    let gone = || {
        ProviderError::new(
            ErrorClass::Transient,
            format!("create {}", tg.kind),
            "",
            "created, but not found when read back",
        )
    };
    match tg.kind {
        Kind::TrustedTokenIssuer => {
            const OP: &str = "sso:CreateTrustedTokenIssuer";
            let inst = p.instance().await?.instance_arn;
            let cfg = t::OidcJwtConfiguration::builder()
                .set_issuer_url(get_str(a, "issuer_url"))
                .set_claim_attribute_path(get_str(a, "claim_attribute_path"))
                .set_identity_store_attribute_path(get_str(a, "identity_store_attribute_path"))
                .jwks_retrieval_option(t::JwksRetrievalOption::from(
                    get_str(a, "jwks_retrieval_option")
                        .unwrap_or_else(|| "OPEN_ID_DISCOVERY".into())
                        .as_str(),
                ))
                .build()
                .map_err(|e| invalid(OP, e.to_string()))?;
            let tags = sso_tags(&all_tags(tg), OP)?;
            // The client token makes a resend safe where AWS honours it; a transient failure
            // still goes through `find` first (by ownership tag) before the create is resent.
            let out = sent!(
                p.call_create(OP, tg, || {
                    p.sso
                        .create_trusted_token_issuer()
                        .instance_arn(&inst)
                        .set_name(get_str(a, "name"))
                        .trusted_token_issuer_type(t::TrustedTokenIssuerType::from(
                            get_str(a, "issuer_type")
                                .unwrap_or_else(|| "OIDC_JWT".into())
                                .as_str(),
                        ))
                        .trusted_token_issuer_configuration(
                            t::TrustedTokenIssuerConfiguration::OidcJwtConfiguration(cfg.clone()),
                        )
                        .client_token(&tg.client_token)
                        .set_tags(Some(tags.clone()))
                        .send()
                })
                .await?
            );
            let arn = out
                .trusted_token_issuer_arn()
                .ok_or_else(|| invalid(OP, "no ARN in the response"))?;
            read_tti(p, &inst, arn).await?.ok_or_else(gone)
        }
        Kind::Application => {
            const OP: &str = "sso:CreateApplication";
            let inst = p.instance().await?.instance_arn;
            let tags = sso_tags(&all_tags(tg), OP)?;
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
                            get_str(a, "application_provider_arn").unwrap_or_else(|| {
                                idplane_model::kind::CUSTOM_APPLICATION_PROVIDER.into()
                            }),
                        )
                        .set_name(get_str(a, "name"))
                        .set_description(get_str(a, "description"))
                        .set_portal_options(portal.clone())
                        .set_status(
                            get_str(a, "status").map(|s| t::ApplicationStatus::from(s.as_str())),
                        )
                        .client_token(&tg.client_token)
                        .set_tags(Some(tags.clone()))
                        .send()
                })
                .await?
            );
            let arn = out
                .application_arn()
                .ok_or_else(|| invalid(OP, "no ARN in the response"))?;
            read_app(p, &inst, arn).await?.ok_or_else(gone)
        }
        Kind::ApplicationGrant
        | Kind::ApplicationAccessScope
        | Kind::ApplicationAuthenticationMethod
        | Kind::ApplicationAssignmentConfiguration => {
            let app = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let id = put_child(p, app, tg.kind, a).await?;
            read(p, tg.kind, Some(app), &id).await?.ok_or_else(gone)
        }
        Kind::ApplicationAssignment => {
            const OP: &str = "sso:CreateApplicationAssignment";
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
            Ok(assignment_live(app, &ptype, &name))
        }
        _ => unreachable!("not an Identity Center kind"),
    }
}

async fn retag(
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
/// only: no field and no user tag is written).
pub async fn adopt(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
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
    let back = if tg.kind == Kind::TrustedTokenIssuer {
        read_tti(p, &inst, &lv.id).await?
    } else {
        read_app(p, &inst, &lv.id).await?
    };
    back.ok_or_else(|| {
        ProviderError::new(ErrorClass::NotFound, OP, "", format!("{} is gone", lv.id))
    })
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let gone = || {
        ProviderError::new(
            ErrorClass::NotFound,
            format!("update {}", tg.kind),
            "",
            format!("{} is gone", lv.id),
        )
    };
    let parent = lv.parent_id.as_deref().or(tg.parent_id.as_deref());
    match tg.kind {
        Kind::TrustedTokenIssuer => {
            let inst = p.instance().await?.instance_arn;
            let cur = read_tti(p, &inst, &lv.id).await?.ok_or_else(gone)?;
            let merged = merge_attrs(&cur.attrs, &tg.attrs, &["tags"]);
            let cfg = tti_update_config(&merged);
            p.call("sso:UpdateTrustedTokenIssuer", || {
                p.sso
                    .update_trusted_token_issuer()
                    .trusted_token_issuer_arn(&lv.id)
                    .set_name(get_str(&merged, "name"))
                    .trusted_token_issuer_configuration(cfg.clone())
                    .send()
            })
            .await?;
            retag(p, &inst, &lv.id, &cur, tg).await?;
            read_tti(p, &inst, &lv.id).await?.ok_or_else(gone)
        }
        Kind::Application => {
            const OP: &str = "sso:UpdateApplication";
            let inst = p.instance().await?.instance_arn;
            let cur = read_app(p, &inst, &lv.id).await?.ok_or_else(gone)?;
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
                    .set_status(
                        get_str(&merged, "status").map(|s| t::ApplicationStatus::from(s.as_str())),
                    )
                    .set_portal_options(portal.clone())
                    .send()
            })
            .await?;
            retag(p, &inst, &lv.id, &cur, tg).await?;
            read_app(p, &inst, &lv.id).await?.ok_or_else(gone)
        }
        Kind::ApplicationGrant
        | Kind::ApplicationAccessScope
        | Kind::ApplicationAuthenticationMethod
        | Kind::ApplicationAssignmentConfiguration => {
            let app = need_parent(tg.kind, parent)?;
            let cur = read(p, tg.kind, Some(app), &lv.id)
                .await?
                .ok_or_else(gone)?;
            let merged = merge_attrs(&cur.attrs, &tg.attrs, &["grant", "actor_policy"]);
            let clears_targets = tg.kind == Kind::ApplicationAccessScope
                && get_strs(&tg.attrs, "authorized_targets").is_none_or(|t| t.is_empty())
                && get_strs(&cur.attrs, "authorized_targets").is_some_and(|t| !t.is_empty());
            let merged = if clears_targets {
                // A put without targets leaves the scope's targets as they are: delete the
                // scope, then put it again without them.
                delete(p, &cur).await?;
                let mut m = merged;
                m.remove("authorized_targets");
                m
            } else {
                merged
            };
            let id = put_child(p, app, tg.kind, &merged).await?;
            read(p, tg.kind, Some(app), &id).await?.ok_or_else(gone)
        }
        // An assignment has only immutable fields: nothing to update in place.
        Kind::ApplicationAssignment => read(p, tg.kind, parent, &lv.id).await?.ok_or_else(gone),
        _ => unreachable!("not an Identity Center kind"),
    }
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let id = lv.id.as_str();
    let app = || need_parent(lv.kind, lv.parent_id.as_deref());
    match lv.kind {
        Kind::TrustedTokenIssuer => p
            .call("sso:DeleteTrustedTokenIssuer", || {
                p.sso
                    .delete_trusted_token_issuer()
                    .trusted_token_issuer_arn(id)
                    .send()
            })
            .await
            .map(|_| ()),
        Kind::Application => p
            .call("sso:DeleteApplication", || {
                p.sso.delete_application().application_arn(id).send()
            })
            .await
            .map(|_| ()),
        Kind::ApplicationGrant => {
            let app = app()?;
            p.call("sso:DeleteApplicationGrant", || {
                p.sso
                    .delete_application_grant()
                    .application_arn(app)
                    .grant_type(t::GrantType::from(id))
                    .send()
            })
            .await
            .map(|_| ())
        }
        Kind::ApplicationAccessScope => {
            let app = app()?;
            p.call("sso:DeleteApplicationAccessScope", || {
                p.sso
                    .delete_application_access_scope()
                    .application_arn(app)
                    .scope(id)
                    .send()
            })
            .await
            .map(|_| ())
        }
        Kind::ApplicationAuthenticationMethod => {
            let app = app()?;
            p.call("sso:DeleteApplicationAuthenticationMethod", || {
                p.sso
                    .delete_application_authentication_method()
                    .application_arn(app)
                    .authentication_method_type(t::AuthenticationMethodType::from(id))
                    .send()
            })
            .await
            .map(|_| ())
        }
        Kind::ApplicationAssignmentConfiguration => {
            // A singleton: "deleting" it restores AWS's default (assignment required).
            let app = app()?;
            let mut a = Attrs::new();
            a.insert("assignment_required".into(), Value::Bool(true));
            put_child(p, app, lv.kind, &a).await.map(|_| ())
        }
        Kind::ApplicationAssignment => {
            const OP: &str = "sso:DeleteApplicationAssignment";
            let app = app()?;
            let (ptype, name) = id
                .split_once(':')
                .ok_or_else(|| invalid(OP, format!("`{id}` is not TYPE:name")))?;
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
        _ => unreachable!("not an Identity Center kind"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn grants_round_trip_between_value_and_sdk() {
        let jwt = "urn:ietf:params:oauth:grant-type:jwt-bearer";
        let v = j(
            r#"{"authorized_token_issuers":[{"trusted_token_issuer_arn":"arn:tti","authorized_audiences":["client1"]}]}"#,
        );
        assert_eq!(grant_to_value(Some(&value_to_grant(jwt, &v))), v);
        let v = j(r#"{"redirect_uris":["https://app/cb"]}"#);
        assert_eq!(
            grant_to_value(Some(&value_to_grant("authorization_code", &v))),
            v
        );
        assert_eq!(
            grant_to_value(Some(&value_to_grant("refresh_token", &Value::Null))),
            j("{}")
        );
    }

    #[test]
    fn actor_policy_accepts_json_text_or_data() {
        let data = j(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sso-oauth:CreateTokenWithIAM"}]}"#,
        );
        let text = Value::str(serde_json::to_string(&data.to_json()).unwrap());
        assert_eq!(doc_to_value(&policy_doc(&text)), data);
        assert_eq!(doc_to_value(&policy_doc(&data)), data);
    }

    #[test]
    fn assignments_are_keyed_by_type_and_name() {
        let o = assignment_live("arn:app", "GROUP", "admins");
        assert_eq!(o.id, "GROUP:admins");
        assert_eq!(o.attrs["principal"], Value::str("GROUP:admins"));
        assert_eq!(o.parent_id.as_deref(), Some("arn:app"));
    }
}
