//! The audience clients' links: `client.read_attributes` (each may read the claimed attribute)
//! and `client.scopes` (OAuth clients have `openid` and a scope that carries the claim).

use crate::chain::{Chain, Ctx, Pool, strs};
use crate::report::{ExchangeTarget, Status};
use idplane_model::{LiveObject, Value};

/// The scope that makes an ID token from the OAuth endpoints carry a claim, besides `profile`
/// (which carries every attribute the client can read).
fn scope_for_claim(claim: &str) -> Option<&'static str> {
    match claim {
        "sub" => Some("openid"),
        "email" | "email_verified" => Some("email"),
        "phone_number" | "phone_number_verified" => Some("phone"),
        _ => None,
    }
}

impl Ctx<'_> {
    /// `client.read_attributes` and `client.scopes` for each audience client reading `attr`;
    /// the first chain with live clients is where the live exchange goes.
    pub(crate) fn client_links(
        &self,
        c: &mut Chain,
        pool: &Pool<'_>,
        clients: &[&LiveObject],
        attr: &str,
    ) {
        let mut unreadable = Vec::new();
        let mut unscoped = Vec::new();
        let mut oauth_clients = 0;
        for client in clients {
            let read = strs(client.attrs.get("read_attributes"));
            if !(read.is_empty() || attr == "sub" || read.iter().any(|r| r == attr)) {
                unreadable.push(format!("{} reads {}", client.id, read.join(", ")));
            }
            let oauth = client
                .attrs
                .get("allowed_oauth_flows_user_pool_client")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if oauth {
                oauth_clients += 1;
                let scopes = strs(client.attrs.get("allowed_oauth_scopes"));
                let has = |s: &str| scopes.iter().any(|x| x == s);
                let carried =
                    attr == "sub" || has("profile") || scope_for_claim(attr).is_some_and(has);
                if !has("openid") || !carried {
                    unscoped.push(format!("{} allows {}", client.id, scopes.join(" ")));
                }
            }
        }
        let client_objs: Vec<String> = clients.iter().map(|o| o.id.clone()).collect();
        if c.target.is_none() && !clients.is_empty() {
            c.target = Some(ExchangeTarget {
                chain: c.name.clone(),
                application_arn: String::new(),
                pool_id: pool.live.id.clone(),
                client_ids: client_objs.clone(),
                scopes: Vec::new(),
            });
        }
        if clients.is_empty() {
            c.skip(
                "client.read_attributes",
                vec![],
                "no audience is a client of the pool",
            );
            c.skip(
                "client.scopes",
                vec![],
                "no audience is a client of the pool",
            );
            return;
        }
        if unreadable.is_empty() {
            c.pass("client.read_attributes", client_objs.clone(), attr);
        } else {
            c.push(
                "client.read_attributes",
                Status::Broken,
                client_objs.clone(),
                format!("read_attributes empty (all) or holding {attr}"),
                unreadable.join("; "),
                format!("add {attr} to the client's `read_attributes`, then `idplane apply`"),
            );
        }
        let wanted = match scope_for_claim(attr) {
            Some(s) if s != "openid" => format!("openid and {s} (or profile)"),
            _ => "openid and profile".to_string(),
        };
        if oauth_clients == 0 {
            c.pass(
                "client.scopes",
                client_objs,
                "no OAuth flows: tokens carry every readable attribute",
            );
        } else if unscoped.is_empty() {
            c.pass("client.scopes", client_objs, wanted);
        } else {
            c.push(
                "client.scopes",
                Status::Broken,
                client_objs,
                wanted,
                unscoped.join("; "),
                "add the scopes to the client's `oauth.scopes`, then `idplane apply`",
            );
        }
    }
}
