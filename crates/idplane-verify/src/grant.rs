//! The live JWT bearer grant's links: `grant.issuer` (it names the trusted token issuer) and
//! `grant.audiences` (every audience is a live app client of the issuing pool).

use crate::chain::{Chain, Ctx, Pool, Tti, strs};
use crate::report::Status;
use idplane_model::{Address, Kind, LiveObject, Value};
use std::collections::BTreeMap;

impl<'a> Ctx<'a> {
    /// `grant.issuer`. Returns whether the live grant names the issuer, and the audiences it
    /// authorizes for it.
    pub(crate) fn grant_issuer(
        &self,
        c: &mut Chain,
        tti: &Tti<'_>,
        grant_addr: &Address,
        live_issuers: &[&BTreeMap<String, Value>],
    ) -> (bool, Vec<String>) {
        let entry = live_issuers.iter().find(|i| {
            i.get("trusted_token_issuer_arn").and_then(Value::as_str) == Some(tti.live.id.as_str())
        });
        let live_arns: Vec<String> = live_issuers
            .iter()
            .filter_map(|i| {
                i.get("trusted_token_issuer_arn")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .collect();
        let objs = vec![grant_addr.to_string(), tti.label.clone()];
        match entry {
            Some(e) => {
                c.pass("grant.issuer", objs, tti.live.id.clone());
                (true, strs(e.get("authorized_audiences")))
            }
            None => {
                c.push(
                    "grant.issuer",
                    Status::Broken,
                    objs,
                    tti.live.id.clone(),
                    if live_arns.is_empty() {
                        "the grant names no trusted token issuer".to_string()
                    } else {
                        format!("the grant names {}", live_arns.join(", "))
                    },
                    "run `idplane apply` to put the grant back as the spec says",
                );
                (false, Vec::new())
            }
        }
    }

    /// `grant.audiences`. Returns the audiences that are live clients of the pool.
    pub(crate) fn grant_audiences(
        &self,
        c: &mut Chain,
        pool: &Pool<'a>,
        named: bool,
        audiences: &[String],
        grant_addr: &Address,
    ) -> Vec<&'a LiveObject> {
        let live_clients: BTreeMap<&str, &LiveObject> = self
            .live_children(Kind::UserPoolClient, pool.live)
            .into_iter()
            .map(|o| (o.id.as_str(), o))
            .collect();
        let strangers: Vec<&String> = audiences
            .iter()
            .filter(|a| !live_clients.contains_key(a.as_str()))
            .collect();
        let clients: Vec<&LiveObject> = audiences
            .iter()
            .filter_map(|a| live_clients.get(a.as_str()).copied())
            .collect();
        let aud_objs = vec![grant_addr.to_string(), pool.label.clone()];
        if !named {
            c.skip(
                "grant.audiences",
                aud_objs,
                "the grant does not name the issuer",
            );
        } else if audiences.is_empty() || !strangers.is_empty() {
            c.push(
                "grant.audiences",
                Status::Broken,
                aud_objs,
                format!(
                    "client ids of {} ({})",
                    pool.live.id,
                    live_clients.keys().copied().collect::<Vec<_>>().join(", ")
                ),
                if audiences.is_empty() {
                    "no audience".to_string()
                } else {
                    format!(
                        "{} not a client of the pool",
                        strangers
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                "make the audiences `${user_pools.POOL.clients.CLIENT.id}` and run `idplane apply` (a deleted client gets a new id)",
            );
        } else {
            c.pass("grant.audiences", aud_objs, audiences.join(", "));
        }
        clients
    }
}
