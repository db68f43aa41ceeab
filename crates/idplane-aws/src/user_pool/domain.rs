//! User pool domains (prefix and custom): to_live, read (DescribeUserPoolDomain, by domain),
//! find by domain, create, update (certificate, managed login version; routing kept) and delete.

use super::{created, gone, live, pool};
use crate::convert::{Obj, get_i32, get_str, merge_attrs};
use crate::error::invalid;
use crate::{AwsProvider, need_parent, none_if_missing};
use aws_sdk_cognitoidentityprovider::types as t;
use idplane_model::{Attrs, Kind, LiveObject, ProviderError, Target};

pub fn to_live(region: &str, d: &t::DomainDescriptionType) -> LiveObject {
    let domain = d.domain().unwrap_or_default();
    let cert = d.custom_domain_config().map(|c| c.certificate_arn());
    let custom = cert.is_some() || domain.contains('.');
    let attrs = Obj::new()
        .s("domain", Some(domain))
        .s("certificate_arn", cert)
        .i(
            "managed_login_version",
            d.managed_login_version().map(i64::from),
        )
        .attrs();
    let mut o = live(Kind::UserPoolDomain, domain, d.user_pool_id(), attrs);
    let base_url = if custom {
        format!("https://{domain}")
    } else {
        format!("https://{domain}.auth.{region}.amazoncognito.com")
    };
    o.outputs.insert("domain".into(), domain.to_string());
    o.outputs.insert("base_url".into(), base_url);
    if let Some(cf) = d.cloud_front_distribution().filter(|s| !s.is_empty()) {
        o.outputs.insert("cloudfront_domain".into(), cf.to_string());
    }
    // AWS sets a domain up and deletes it in the background; the executor waits on this.
    if let Some(status) = d.status() {
        o.outputs.insert(
            idplane_model::OUTPUT_STATUS.into(),
            status.as_str().to_string(),
        );
    }
    o
}

/// The domains attached to a pool (prefix and custom) in any state: `DeleteUserPool` fails
/// while one is ("It has a domain configured that should be deleted first").
pub async fn attached_domains(
    p: &AwsProvider,
    pool_id: &str,
) -> Result<Vec<LiveObject>, ProviderError> {
    let Some(pool) = none_if_missing(pool::describe(p, pool_id).await)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for d in [pool.domain(), pool.custom_domain()].into_iter().flatten() {
        if !d.is_empty() {
            out.extend(read(p, Some(pool_id), d).await?);
        }
    }
    Ok(out)
}

pub async fn read(
    p: &AwsProvider,
    pool: Option<&str>,
    domain: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let out = p
        .call("cognito-idp:DescribeUserPoolDomain", || {
            p.cip.describe_user_pool_domain().domain(domain).send()
        })
        .await?;
    let Some(d) = out.domain_description() else {
        return Ok(None);
    };
    // AWS answers an empty description for an unknown domain.
    if d.domain().is_none_or(str::is_empty) || d.user_pool_id().is_none_or(str::is_empty) {
        return Ok(None);
    }
    if pool.is_some_and(|p| Some(p) != d.user_pool_id()) {
        return Ok(None);
    }
    Ok(Some(to_live(&p.region, d)))
}

/// The domain's live `Routing` (no kind field: UpdateUserPoolDomain carries it over).
async fn routing(p: &AwsProvider, domain: &str) -> Result<Option<t::RoutingType>, ProviderError> {
    let out = p
        .call("cognito-idp:DescribeUserPoolDomain", || {
            p.cip.describe_user_pool_domain().domain(domain).send()
        })
        .await?;
    Ok(out.domain_description().and_then(|d| d.routing()).cloned())
}

fn custom_domain_config(
    a: &Attrs,
    op: &str,
) -> Result<Option<t::CustomDomainConfigType>, ProviderError> {
    get_str(a, "certificate_arn")
        .map(|c| {
            t::CustomDomainConfigType::builder()
                .certificate_arn(c)
                .build()
                .map_err(|e| invalid(op, e.to_string()))
        })
        .transpose()
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let domain = get_str(&tg.attrs, "domain").unwrap_or_default();
    read(p, tg.parent_id.as_deref(), &domain).await
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:CreateUserPoolDomain";
    let a = &tg.attrs;
    let pool = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let domain = get_str(a, "domain").ok_or_else(|| invalid(OP, "a domain needs `domain`"))?;
    let cdc = custom_domain_config(a, OP)?;
    sent!(
        p.call_create(OP, tg, || {
            p.cip
                .create_user_pool_domain()
                .user_pool_id(pool)
                .domain(&domain)
                .set_custom_domain_config(cdc.clone())
                .set_managed_login_version(get_i32(a, "managed_login_version"))
                .send()
        })
        .await?
    );
    created(tg, read(p, Some(pool), &domain).await?)
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    const OP: &str = "cognito-idp:UpdateUserPoolDomain";
    let pool = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
    let cdc = custom_domain_config(&merged, OP)?;
    let routing = routing(p, &lv.id).await?;
    p.call(OP, || {
        p.cip
            .update_user_pool_domain()
            .user_pool_id(pool)
            .domain(&lv.id)
            .set_custom_domain_config(cdc.clone())
            .set_routing(routing.clone())
            .set_managed_login_version(get_i32(&merged, "managed_login_version"))
            .send()
    })
    .await?;
    read(p, Some(pool), &lv.id)
        .await?
        .ok_or_else(|| gone(lv, tg))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let pool = need_parent(lv.kind, lv.parent_id.as_deref())?;
    let id = lv.id.as_str();
    match read(p, Some(pool), id).await? {
        None => return Ok(()),
        // Already being deleted (an earlier run): deleting again is an error.
        Some(d) if d.transition() == Some(idplane_model::Transition::Deleting) => {
            return Ok(());
        }
        Some(_) => {}
    }
    p.call("cognito-idp:DeleteUserPoolDomain", || {
        p.cip
            .delete_user_pool_domain()
            .user_pool_id(pool)
            .domain(id)
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
    fn domain_base_url_for_prefix_and_custom_domains() {
        let d = t::DomainDescriptionType::builder()
            .domain("blog-auth")
            .user_pool_id("p1")
            .build();
        assert_eq!(
            to_live("eu-west-1", &d).outputs["base_url"],
            "https://blog-auth.auth.eu-west-1.amazoncognito.com"
        );
        let d = t::DomainDescriptionType::builder()
            .domain("auth.example.com")
            .user_pool_id("p1")
            .cloud_front_distribution("d111.cloudfront.net")
            .custom_domain_config(
                t::CustomDomainConfigType::builder()
                    .certificate_arn("arn:aws:acm:us-east-1:1:certificate/x")
                    .build()
                    .unwrap(),
            )
            .build();
        let o = to_live("eu-west-1", &d);
        assert_eq!(o.outputs["base_url"], "https://auth.example.com");
        assert_eq!(o.outputs["cloudfront_domain"], "d111.cloudfront.net");
        assert_eq!(
            o.attrs["certificate_arn"],
            Value::str("arn:aws:acm:us-east-1:1:certificate/x")
        );
    }
}
