//! Cognito identity pools and their roles (DescribeIdentityPool + GetIdentityPoolRoles), and
//! the `idplane:created` tag that orders the twins of concurrent applies.

use crate::convert::{
    Obj, get_bool, get_map, get_str, get_str_map, get_strs, merge_attrs, str_map, strs,
};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, CONCURRENCY, all_tags, none_if_missing, owned_by, user_tags_value};
use aws_sdk_cognitoidentity::operation::describe_identity_pool::DescribeIdentityPoolOutput;
use aws_sdk_cognitoidentity::operation::get_identity_pool_roles::GetIdentityPoolRolesOutput;
use aws_sdk_cognitoidentity::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::{
    Attrs, Kind, LiveObject, ObserveRequest, ProviderError, TAG_CREATED, Target, Twin, Value,
};
use std::collections::{BTreeMap, HashMap};

/// The pool and its roles as the kind's fields.
pub fn to_live(
    d: &DescribeIdentityPoolOutput,
    roles: Option<&GetIdentityPoolRolesOutput>,
) -> LiveObject {
    let id = d.identity_pool_id();
    let providers: Vec<Value> = d
        .cognito_identity_providers()
        .iter()
        .map(|c| {
            Obj::new()
                .s("provider_name", c.provider_name())
                .s("client_id", c.client_id())
                .b(
                    "server_side_token_check",
                    Some(c.server_side_token_check().unwrap_or(false)),
                )
                .map()
        })
        .collect();
    let mappings: BTreeMap<String, Value> = roles
        .and_then(|r| r.role_mappings())
        .map(|m| {
            m.iter()
                .map(|(k, rm)| {
                    let rules: Vec<Value> = rm
                        .rules_configuration()
                        .map(|rc| {
                            rc.rules()
                                .iter()
                                .map(|r| {
                                    Obj::new()
                                        .s("claim", Some(r.claim()))
                                        .s("match_type", Some(r.match_type().as_str()))
                                        .s("value", Some(r.value()))
                                        .s("role_arn", Some(r.role_arn()))
                                        .map()
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let v = Obj::new()
                        .s("type", Some(rm.r#type().as_str()))
                        .s(
                            "ambiguous_role_resolution",
                            rm.ambiguous_role_resolution().map(|x| x.as_str()),
                        )
                        .v(
                            "rules",
                            if rules.is_empty() {
                                Value::Null
                            } else {
                                Value::List(rules)
                            },
                        )
                        .map();
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default();
    let all: BTreeMap<String, String> = d
        .identity_pool_tags()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let attrs = Obj::new()
        .s("name", Some(d.identity_pool_name()))
        .b(
            "allow_unauthenticated_identities",
            Some(d.allow_unauthenticated_identities()),
        )
        .b(
            "allow_classic_flow",
            Some(d.allow_classic_flow().unwrap_or(false)),
        )
        .v("cognito_identity_providers", Value::List(providers))
        .v(
            "openid_connect_provider_arns",
            strs(d.open_id_connect_provider_arns()),
        )
        .v("saml_provider_arns", strs(d.saml_provider_arns()))
        .v(
            "supported_login_providers",
            str_map(d.supported_login_providers().into_iter().flatten()),
        )
        .s("developer_provider_name", d.developer_provider_name())
        .v(
            "roles",
            str_map(roles.and_then(|r| r.roles()).into_iter().flatten()),
        )
        .v("role_mappings", Value::Map(mappings))
        .v("tags", user_tags_value(&all))
        .attrs();
    LiveObject {
        kind: Kind::IdentityPool,
        id: id.to_string(),
        parent_id: None,
        tags: all,
        attrs,
        outputs: BTreeMap::from([("id".to_string(), id.to_string())]),
    }
}

pub async fn read(p: &AwsProvider, id: &str) -> Result<Option<LiveObject>, ProviderError> {
    let Some(d) = none_if_missing(
        p.call("cognito-identity:DescribeIdentityPool", || {
            p.ci.describe_identity_pool().identity_pool_id(id).send()
        })
        .await,
    )?
    else {
        return Ok(None);
    };
    let roles = p
        .call("cognito-identity:GetIdentityPoolRoles", || {
            p.ci.get_identity_pool_roles().identity_pool_id(id).send()
        })
        .await?;
    Ok(Some(to_live(&d, Some(&roles))))
}

async fn list_ids(p: &AwsProvider) -> Result<Vec<String>, ProviderError> {
    all_pages(|token| async move {
        let out = p
            .call("cognito-identity:ListIdentityPools", || {
                p.ci.list_identity_pools()
                    .max_results(60)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let ids = out
            .identity_pools()
            .iter()
            .filter_map(|x| x.identity_pool_id().map(str::to_string))
            .collect();
        Ok((ids, out.next_token().map(str::to_string)))
    })
    .await
}

/// Every identity pool, described (tags come with the description).
async fn all(p: &AwsProvider) -> Result<Vec<DescribeIdentityPoolOutput>, ProviderError> {
    let ids = list_ids(p).await?;
    let pools: Vec<Option<DescribeIdentityPoolOutput>> = stream::iter(ids)
        .map(|id| async move {
            none_if_missing(
                p.call("cognito-identity:DescribeIdentityPool", || {
                    p.ci.describe_identity_pool().identity_pool_id(&id).send()
                })
                .await,
            )
        })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(pools.into_iter().flatten().collect())
}

fn tag_of<'a>(d: &'a DescribeIdentityPoolOutput, k: &str) -> Option<&'a str> {
    d.identity_pool_tags()
        .and_then(|m| m.get(k))
        .map(String::as_str)
}

pub async fn observe(
    p: &AwsProvider,
    req: &ObserveRequest,
) -> Result<Vec<LiveObject>, ProviderError> {
    let keep: Vec<String> = all(p)
        .await?
        .into_iter()
        .filter(|d| {
            // `everything` (export): identity pools made without idplane too.
            req.everything
                || tag_of(d, idplane_model::TAG_STACK) == Some(req.stack.as_str())
                || req
                    .pinned
                    .contains(&(Kind::IdentityPool, d.identity_pool_id().to_string()))
        })
        .map(|d| d.identity_pool_id().to_string())
        .collect();
    let objs: Vec<Option<LiveObject>> = stream::iter(keep)
        .map(|id| async move { read(p, &id).await })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(objs.into_iter().flatten().collect())
}

/// The descriptions of the identity pools carrying the target's ownership tags.
async fn owned(
    p: &AwsProvider,
    tg: &Target,
) -> Result<Vec<DescribeIdentityPoolOutput>, ProviderError> {
    let addr = tg.address.to_string();
    Ok(all(p)
        .await?
        .into_iter()
        .filter(|d| {
            tag_of(d, idplane_model::TAG_STACK) == Some(tg.stack.as_str())
                && tag_of(d, idplane_model::TAG_ADDRESS).map(idplane_model::decode_address_tag)
                    == Some(addr.clone())
        })
        .collect())
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let mut hits = Vec::new();
    for d in owned(p, tg).await? {
        hits.extend(
            read(p, d.identity_pool_id())
                .await?
                .filter(|o| owned_by(o, tg)),
        );
    }
    crate::one_of(tg, &mut hits)
}

/// Every identity pool carrying the target's ownership tags, with the creation time idplane
/// tagged it with (`idplane:created`; AWS records none), for concurrent applies.
pub async fn twins(p: &AwsProvider, tg: &Target) -> Result<Vec<Twin>, ProviderError> {
    let mut out = Vec::new();
    for d in owned(p, tg).await? {
        let created_ms = tag_of(&d, TAG_CREATED).and_then(|v| v.parse().ok());
        if let Some(live) = read(p, d.identity_pool_id()).await? {
            out.push(Twin { live, created_ms });
        }
    }
    Ok(out)
}

/// Tags a new identity pool with when its create was answered (`idplane:created`, ms since
/// the epoch). Taken after the answer, not before the request: a twin created after this run
/// listed its twins was answered later still, so it carries a later time.
async fn stamp_created(p: &AwsProvider, id: &str) -> Result<(), ProviderError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    let arn = arn(p, id).await?;
    p.call("cognito-identity:TagResource", || {
        p.ci.tag_resource()
            .resource_arn(&arn)
            .tags(TAG_CREATED, now.to_string())
            .send()
    })
    .await?;
    Ok(())
}

/// The ARN of an identity pool (TagResource and UntagResource take one).
async fn arn(p: &AwsProvider, id: &str) -> Result<String, ProviderError> {
    Ok(format!(
        "arn:aws:cognito-identity:{}:{}:identitypool/{id}",
        p.region,
        p.account_id().await?
    ))
}

fn providers(a: &Attrs) -> Option<Vec<t::CognitoIdentityProvider>> {
    a.get("cognito_identity_providers")?.as_list().map(|l| {
        l.iter()
            .filter_map(Value::as_map)
            .map(|m| {
                t::CognitoIdentityProvider::builder()
                    .set_provider_name(get_str(m, "provider_name"))
                    .set_client_id(get_str(m, "client_id"))
                    .set_server_side_token_check(get_bool(m, "server_side_token_check"))
                    .build()
            })
            .collect()
    })
}

fn role_mappings(
    a: &Attrs,
    op: &str,
) -> Result<Option<HashMap<String, t::RoleMapping>>, ProviderError> {
    let Some(m) = get_map(a, "role_mappings") else {
        return Ok(None);
    };
    let mut out = HashMap::new();
    for (k, v) in m {
        let Some(rm) = v.as_map() else { continue };
        let rules = rm
            .get("rules")
            .and_then(Value::as_list)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_map)
                    .map(|r| {
                        t::MappingRule::builder()
                            .set_claim(get_str(r, "claim"))
                            .set_match_type(
                                get_str(r, "match_type")
                                    .map(|s| t::MappingRuleMatchType::from(s.as_str())),
                            )
                            .set_value(get_str(r, "value"))
                            .set_role_arn(get_str(r, "role_arn"))
                            .build()
                            .map_err(|e| invalid(op, format!("role_mappings: {e}")))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let rc = match rules {
            Some(rules) => Some(
                t::RulesConfigurationType::builder()
                    .set_rules(Some(rules))
                    .build()
                    .map_err(|e| invalid(op, format!("role_mappings: {e}")))?,
            ),
            None => None,
        };
        let mapping = t::RoleMapping::builder()
            .set_type(get_str(rm, "type").map(|s| t::RoleMappingType::from(s.as_str())))
            .set_ambiguous_role_resolution(
                get_str(rm, "ambiguous_role_resolution")
                    .map(|s| t::AmbiguousRoleResolutionType::from(s.as_str())),
            )
            .set_rules_configuration(rc)
            .build()
            .map_err(|e| invalid(op, format!("role_mappings: {e}")))?;
        out.insert(k.clone(), mapping);
    }
    Ok(Some(out))
}

async fn set_roles(p: &AwsProvider, id: &str, a: &Attrs) -> Result<(), ProviderError> {
    const OP: &str = "cognito-identity:SetIdentityPoolRoles";
    let roles = get_str_map(a, "roles").unwrap_or_default();
    let mappings = role_mappings(a, OP)?;
    p.call(OP, || {
        p.ci.set_identity_pool_roles()
            .identity_pool_id(id)
            .set_roles(Some(roles.clone()))
            .set_role_mappings(mappings.clone())
            .send()
    })
    .await?;
    Ok(())
}

fn has_roles(a: &Attrs) -> bool {
    get_map(a, "roles").is_some_and(|m| !m.is_empty())
        || get_map(a, "role_mappings").is_some_and(|m| !m.is_empty())
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-identity:CreateIdentityPool";
    let a = &tg.attrs;
    let name = get_str(a, "name").ok_or_else(|| invalid(OP, "an identity pool needs `name`"))?;
    let tags: HashMap<String, String> = all_tags(tg).into_iter().collect();
    let out = sent!(
        p.call_create(OP, tg, || {
            p.ci.create_identity_pool()
                .identity_pool_name(&name)
                .allow_unauthenticated_identities(
                    get_bool(a, "allow_unauthenticated_identities").unwrap_or(false),
                )
                .set_allow_classic_flow(get_bool(a, "allow_classic_flow"))
                .set_supported_login_providers(get_str_map(a, "supported_login_providers"))
                .set_developer_provider_name(get_str(a, "developer_provider_name"))
                .set_open_id_connect_provider_arns(get_strs(a, "openid_connect_provider_arns"))
                .set_cognito_identity_providers(providers(a))
                .set_saml_provider_arns(get_strs(a, "saml_provider_arns"))
                .set_identity_pool_tags(Some(tags.clone()))
                .send()
        })
        .await?
    );
    let id = out.identity_pool_id().to_string();
    // Identity pools have no creation date: this orders twins of concurrent applies.
    stamp_created(p, &id).await?;
    if has_roles(a) {
        set_roles(p, &id, a).await?;
    }
    read(p, &id)
        .await?
        .ok_or_else(|| invalid(OP, "created, but not found when read back"))
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-identity:UpdateIdentityPool";
    let gone = || {
        ProviderError::new(
            idplane_model::ErrorClass::NotFound,
            OP,
            "",
            format!("{} is gone", lv.id),
        )
    };
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(
        &cur.attrs,
        &tg.attrs,
        &[
            "tags",
            "supported_login_providers",
            "roles",
            "role_mappings",
        ],
    );
    p.call(OP, || {
        p.ci.update_identity_pool()
            .identity_pool_id(&lv.id)
            .set_identity_pool_name(get_str(&merged, "name"))
            .allow_unauthenticated_identities(
                get_bool(&merged, "allow_unauthenticated_identities").unwrap_or(false),
            )
            .set_allow_classic_flow(get_bool(&merged, "allow_classic_flow"))
            .set_supported_login_providers(get_str_map(&merged, "supported_login_providers"))
            .set_developer_provider_name(get_str(&merged, "developer_provider_name"))
            .set_open_id_connect_provider_arns(get_strs(&merged, "openid_connect_provider_arns"))
            .set_cognito_identity_providers(providers(&merged))
            .set_saml_provider_arns(get_strs(&merged, "saml_provider_arns"))
            .send()
    })
    .await?;
    if tg.attrs.contains_key("tags") {
        retag(p, cur, &merged).await?;
    }
    if tg.attrs.contains_key("roles") || tg.attrs.contains_key("role_mappings") {
        set_roles(p, &lv.id, &merged).await?;
    }
    read(p, &lv.id).await?.ok_or_else(gone)
}

/// Brings the tags to the ownership tags plus `merged`'s user tags with TagResource /
/// UntagResource (UpdateIdentityPool's `IdentityPoolTags` does not change them).
async fn retag(p: &AwsProvider, cur: &LiveObject, merged: &Attrs) -> Result<(), ProviderError> {
    let mut want: HashMap<String, String> = cur
        .tags
        .iter()
        .filter(|(k, _)| idplane_model::is_ownership_tag(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    want.extend(get_str_map(merged, "tags").unwrap_or_default());
    let mut stale: Vec<String> = cur
        .tags
        .keys()
        .filter(|k| !want.contains_key(*k))
        .cloned()
        .collect();
    stale.sort();
    let changed: HashMap<String, String> = want
        .into_iter()
        .filter(|(k, v)| cur.tags.get(k) != Some(v))
        .collect();
    if stale.is_empty() && changed.is_empty() {
        return Ok(());
    }
    let arn = arn(p, &cur.id).await?;
    if !stale.is_empty() {
        p.call("cognito-identity:UntagResource", || {
            p.ci.untag_resource()
                .resource_arn(&arn)
                .set_tag_keys(Some(stale.clone()))
                .send()
        })
        .await?;
    }
    if !changed.is_empty() {
        p.call("cognito-identity:TagResource", || {
            p.ci.tag_resource()
                .resource_arn(&arn)
                .set_tags(Some(changed.clone()))
                .send()
        })
        .await?;
    }
    Ok(())
}

/// Adds the target's ownership tags with TagResource and writes nothing else.
pub async fn adopt(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-identity:TagResource";
    let arn = arn(p, &lv.id).await?;
    let tags: HashMap<String, String> = crate::ownership_tags(tg).into_iter().collect();
    p.call(OP, || {
        p.ci.tag_resource()
            .resource_arn(&arn)
            .set_tags(Some(tags.clone()))
            .send()
    })
    .await?;
    read(p, &lv.id).await?.ok_or_else(|| {
        ProviderError::new(
            idplane_model::ErrorClass::NotFound,
            OP,
            "",
            format!("{} is gone", lv.id),
        )
    })
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    p.call("cognito-identity:DeleteIdentityPool", || {
        p.ci.delete_identity_pool().identity_pool_id(&lv.id).send()
    })
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_mappings_map_to_snake_case() {
        let d = DescribeIdentityPoolOutput::builder()
            .identity_pool_id("us-east-1:1")
            .identity_pool_name("ip")
            .allow_unauthenticated_identities(false)
            .cognito_identity_providers(
                t::CognitoIdentityProvider::builder()
                    .provider_name("cognito-idp.us-east-1.amazonaws.com/us-east-1_x")
                    .client_id("c")
                    .build(),
            )
            .identity_pool_tags("idplane:stack", "s")
            .build()
            .unwrap();
        let r = GetIdentityPoolRolesOutput::builder()
            .roles("authenticated", "arn:aws:iam::1:role/a")
            .role_mappings(
                "p",
                t::RoleMapping::builder()
                    .r#type(t::RoleMappingType::Token)
                    .ambiguous_role_resolution(t::AmbiguousRoleResolutionType::Deny)
                    .build()
                    .unwrap(),
            )
            .build();
        let o = to_live(&d, Some(&r));
        assert_eq!(o.owner_stack(), Some("s"));
        assert_eq!(o.attrs["tags"], Value::Map(BTreeMap::new()));
        assert_eq!(
            o.attrs["roles"].as_map().unwrap()["authenticated"],
            Value::str("arn:aws:iam::1:role/a")
        );
        let rm = o.attrs["role_mappings"].as_map().unwrap()["p"]
            .as_map()
            .unwrap();
        assert_eq!(rm["type"], Value::str("Token"));
        assert_eq!(rm["ambiguous_role_resolution"], Value::str("Deny"));
        let cip = &o.attrs["cognito_identity_providers"].as_list().unwrap()[0];
        assert_eq!(
            cip.as_map().unwrap()["server_side_token_check"],
            Value::Bool(false)
        );
        // And back to the SDK shape.
        let back = role_mappings(&o.attrs, "x").unwrap().unwrap();
        assert_eq!(back["p"].r#type(), &t::RoleMappingType::Token);
    }
}
