//! The trusted token issuer's links: `tti.exists`, `tti.issuer_url` (the pool's real issuer),
//! `tti.claim` (a claim the pool's tokens carry) and `tti.identity_store_attribute_path`.

use crate::chain::{Chain, Ctx, Pool, Tti, label};
use crate::links::IDENTITY_STORE_PATHS;
use crate::report::Status;
use idplane_model::{Address, Kind, LiveObject, Value};
use std::collections::BTreeMap;

impl<'a> Ctx<'a> {
    /// `tti.exists`: the trusted token issuer one issuer entry of the spec's grant names (a
    /// reference to a TTI of the stack, or a literal ARN). When it is missing, every link that
    /// needs it is skipped.
    pub(crate) fn tti_exists(
        &self,
        c: &mut Chain,
        di: &BTreeMap<String, Value>,
    ) -> Option<Tti<'a>> {
        let (tti_addr, tti_live): (Option<Address>, Option<&LiveObject>) =
            match di.get("trusted_token_issuer_arn") {
                Some(Value::Ref(r)) | Some(Value::Unknown(r)) => {
                    (Some(r.address.clone()), self.live.get(&r.address).copied())
                }
                Some(Value::Str(arn)) => (
                    None,
                    self.observed
                        .objects
                        .iter()
                        .find(|o| o.kind == Kind::TrustedTokenIssuer && &o.id == arn),
                ),
                _ => (None, None),
            };
        let tti_name = tti_addr
            .as_ref()
            .map(Address::to_string)
            .or_else(|| {
                di.get("trusted_token_issuer_arn")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "the trusted token issuer".to_string());
        let Some(tti) = tti_live else {
            c.push(
                "tti.exists",
                Status::Broken,
                vec![tti_name.clone()],
                format!("the trusted token issuer {tti_name}"),
                "none in Identity Center",
                "run `idplane apply` to create it",
            );
            for link in [
                "grant.issuer",
                "grant.audiences",
                "tti.issuer_url",
                "tti.claim",
                "client.read_attributes",
                "client.scopes",
                "tti.identity_store_attribute_path",
                "identity.coverage",
                "saml.idp",
                "saml.client",
                "saml.domain",
            ] {
                c.skip(link, vec![], "the trusted token issuer does not exist");
            }
            return None;
        };
        let tti_label = match &tti_addr {
            Some(a) => label(a, Some(tti)),
            None => tti.id.clone(),
        };
        c.pass("tti.exists", vec![tti_label.clone()], tti.id.clone());
        Some(Tti {
            live: tti,
            addr: tti_addr,
            label: tti_label,
        })
    }

    /// `tti.issuer_url`: the issuer's URL is the pool's real issuer.
    pub(crate) fn tti_issuer_url(&self, c: &mut Chain, tti: &Tti<'_>, pool: &Pool<'_>) {
        let tti_url = tti.attr("issuer_url");
        let pool_url = pool
            .live
            .outputs
            .get("issuer_url")
            .cloned()
            .unwrap_or_default();
        let url_objs = vec![tti.label.clone(), pool.label.clone()];
        if pool_url == tti_url {
            c.pass("tti.issuer_url", url_objs, pool_url);
        } else {
            c.push(
                "tti.issuer_url",
                Status::Broken,
                url_objs,
                pool_url,
                tti_url,
                "the issuer URL cannot be updated: replace the trusted token issuer (`issuer_url: ${user_pools.POOL.issuer_url}`, then `idplane apply`), or set the pool's `issuer_type` back",
            );
        }
    }

    /// `tti.claim`: the issuer's claim is one the pool's tokens carry. Returns the attribute the
    /// claim reads (the first segment of its path).
    pub(crate) fn tti_claim(&self, c: &mut Chain, tti: &Tti<'_>, pool: &Pool<'_>) -> String {
        let claim = tti.attr("claim_attribute_path").to_string();
        let attr = claim.split('.').next().unwrap_or_default().to_string();
        let claim_objs = vec![tti.label.clone(), pool.label.clone()];
        let standard = idplane_planner::is_standard_attribute(&attr) || attr == "sub";
        if standard {
            c.pass(
                "tti.claim",
                claim_objs,
                format!("{claim} (standard attribute)"),
            );
        } else if has_pre_token_trigger(pool.live) {
            c.pass(
                "tti.claim",
                claim_objs,
                format!("{claim} (the pre token generation trigger may add it; not checked)"),
            );
        } else {
            c.push(
                "tti.claim",
                Status::Broken,
                claim_objs,
                "a claim the pool's tokens carry: a standard attribute (email, sub, ...)",
                format!("{claim}: not a claim of the pool's tokens"),
                "set the issuer's `claim_attribute_path` to an attribute the tokens carry (e.g. email)",
            );
        }
        attr
    }

    /// `tti.identity_store_attribute_path`: a path a user is found by.
    pub(crate) fn path_link(&self, c: &mut Chain, tti: &Tti<'_>) {
        let path = tti.attr("identity_store_attribute_path");
        if IDENTITY_STORE_PATHS.contains(&path) {
            c.pass(
                "tti.identity_store_attribute_path",
                vec![tti.label.clone()],
                path,
            );
        } else {
            c.push(
                "tti.identity_store_attribute_path",
                Status::Broken,
                vec![tti.label.clone()],
                IDENTITY_STORE_PATHS.join(" or "),
                path,
                "set the issuer's `identity_store_attribute_path` (e.g. emails.value), then `idplane apply`",
            );
        }
    }
}

/// Whether the pool has a pre token generation trigger (which may add or change claims).
pub(crate) fn has_pre_token_trigger(pool: &LiveObject) -> bool {
    pool.attrs
        .get("lambda_config")
        .and_then(Value::as_map)
        .and_then(|l| l.get("pre_token_generation"))
        .and_then(Value::as_str)
        .is_some()
}
