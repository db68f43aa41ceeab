//! Trusted token issuers: to_live, list, read (DescribeTrustedTokenIssuer plus tags), find by
//! ownership tags, create (with a client token), update, adopt and delete.

use super::{described_with_tags, gone_after_tagging, obj, retag, sso_tags, tag_owned};
use crate::convert::{Obj, get_str, merge_attrs};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, CONCURRENCY, all_tags, created, gone, one_of, owned_by};
use aws_sdk_ssoadmin::types as t;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::kind::trusted_token_issuer::field;
use idplane_model::{Attrs, Kind, LiveObject, ProviderError, Target};
use std::collections::BTreeMap;

pub fn to_live(
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
        p.call("sso:DescribeTrustedTokenIssuer", || {
            p.sso
                .describe_trusted_token_issuer()
                .trusted_token_issuer_arn(arn)
                .send()
        }),
        |d| to_live(&d),
    )
    .await
}

/// Every trusted token issuer of the instance, read with its tags.
pub(super) async fn list(
    p: &AwsProvider,
    instance: &str,
) -> Result<Vec<LiveObject>, ProviderError> {
    let arns: Vec<String> = list_names(p, instance)
        .await?
        .into_iter()
        .map(|(arn, _)| arn)
        .collect();
    let objs: Vec<Option<LiveObject>> = stream::iter(arns)
        .map(|arn| async move { read_in(p, instance, &arn).await })
        .buffer_unordered(CONCURRENCY)
        .try_collect()
        .await?;
    Ok(objs.into_iter().flatten().collect())
}

/// The ARN and name of every trusted token issuer of the instance (ListTrustedTokenIssuers).
async fn list_names(
    p: &AwsProvider,
    instance: &str,
) -> Result<Vec<(String, String)>, ProviderError> {
    all_pages(|token| async move {
        let out = p
            .call("sso:ListTrustedTokenIssuers", || {
                p.sso
                    .list_trusted_token_issuers()
                    .instance_arn(instance)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let arns = out
            .trusted_token_issuers()
            .iter()
            .filter_map(|x| {
                Some((
                    x.trusted_token_issuer_arn()?.to_string(),
                    x.name().unwrap_or_default().to_string(),
                ))
            })
            .collect();
        Ok((arns, out.next_token().map(str::to_string)))
    })
    .await
}

pub async fn read(p: &AwsProvider, id: &str) -> Result<Option<LiveObject>, ProviderError> {
    let inst = p.instance().await?.instance_arn;
    read_in(p, &inst, id).await
}

/// The issuer carrying the target's ownership tags. An issuer an earlier create of this target
/// made has the target's name: only issuers of that name are read in full with their tags,
/// from one list per executor level (see `listcache`), not every issuer's tags per lookup.
pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let inst = p.instance().await?.instance_arn;
    let name = get_str(&tg.attrs, field::NAME).unwrap_or_default();
    let listed = p
        .lists
        .get_or_list(&crate::listcache::key(tg.kind, None), || {
            list_names(p, &inst)
        })
        .await?;
    let mut hits = Vec::new();
    for (arn, _) in listed.iter().filter(|(_, n)| *n == name) {
        hits.extend(read_in(p, &inst, arn).await?.filter(|o| owned_by(o, tg)));
    }
    one_of(tg, &mut hits)
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "sso:CreateTrustedTokenIssuer";
    let a = &tg.attrs;
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
    let sent = all_tags(tg);
    let tags = sso_tags(&sent, OP)?;
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
    created(tg, read_with(p, &inst, arn, Some(sent)).await?)
}

fn update_config(a: &Attrs) -> t::TrustedTokenIssuerUpdateConfiguration {
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

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let inst = p.instance().await?.instance_arn;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &["tags"]);
    let cfg = update_config(&merged);
    p.call("sso:UpdateTrustedTokenIssuer", || {
        p.sso
            .update_trusted_token_issuer()
            .trusted_token_issuer_arn(&lv.id)
            .set_name(get_str(&merged, "name"))
            .trusted_token_issuer_configuration(cfg.clone())
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
    p.call("sso:DeleteTrustedTokenIssuer", || {
        p.sso
            .delete_trusted_token_issuer()
            .trusted_token_issuer_arn(&lv.id)
            .send()
    })
    .await
    .map(|_| ())
}
