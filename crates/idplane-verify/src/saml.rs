//! The links of a pool that federates back to Identity Center over SAML (seed 000):
//! `saml.idp`, `saml.client` and `saml.domain`.

use crate::chain::{Chain, Ctx, Pool, label, strs};
use crate::report::Status;
use idplane_model::{Kind, LiveObject, Value};

impl Ctx<'_> {
    /// The pool federating back to Identity Center over SAML (seed 000): its IdP whose metadata
    /// comes from Identity Center, the clients listing it, and the domain of the ACS URL.
    pub(crate) fn saml_links(&self, c: &mut Chain, pool: &Pool<'_>, clients: &[&LiveObject]) {
        let pool_label = pool.label.as_str();
        let back = pool.addr.as_ref().and_then(|p| {
            self.children(p, Kind::IdentityProvider).find(|idp| {
                idp.attrs.get("provider_type").and_then(Value::as_str) == Some("SAML")
                    && idp
                        .attrs
                        .get("provider_details")
                        .and_then(Value::as_map)
                        .and_then(|d| d.get("MetadataURL"))
                        .and_then(Value::as_str)
                        .is_some_and(|u| u.contains("portal.sso."))
            })
        });
        let Some(idp) = back else {
            for link in ["saml.idp", "saml.client", "saml.domain"] {
                c.skip(
                    link,
                    vec![pool_label.to_string()],
                    "the pool does not federate back to Identity Center",
                );
            }
            return;
        };
        let name = idp
            .attrs
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(idp.address.name())
            .to_string();
        let live_idp = self
            .live_children(Kind::IdentityProvider, pool.live)
            .into_iter()
            .find(|o| o.id == name);
        let idp_objs = vec![label(&idp.address, live_idp)];
        if live_idp.is_some() {
            c.pass("saml.idp", idp_objs, name.clone());
        } else {
            c.push(
                "saml.idp",
                Status::Broken,
                idp_objs,
                format!("the SAML identity provider {name}"),
                format!("{} has no identity provider {name}", pool.live.id),
                "run `idplane apply` to create it",
            );
        }
        let missing: Vec<String> = clients
            .iter()
            .filter(|cl| !strs(cl.attrs.get("supported_identity_providers")).contains(&name))
            .map(|cl| cl.id.clone())
            .collect();
        let client_objs: Vec<String> = clients.iter().map(|o| o.id.clone()).collect();
        if missing.is_empty() {
            c.pass("saml.client", client_objs, name.clone());
        } else {
            c.push(
                "saml.client",
                Status::Broken,
                client_objs,
                format!("supported identity providers holding {name}"),
                format!("{} do not list {name}", missing.join(", ")),
                format!("add {name} to the client's `identity_providers`, then `idplane apply`"),
            );
        }
        let domain = self
            .live_children(Kind::UserPoolDomain, pool.live)
            .into_iter()
            .find(|d| d.transition() != Some(idplane_model::Transition::Deleting));
        let region = pool
            .live
            .id
            .split('_')
            .next()
            .unwrap_or(&self.desired.region);
        match domain {
            Some(d) => c.pass(
                "saml.domain",
                vec![pool_label.to_string()],
                format!(
                    "entity id urn:amazon:cognito:sp:{}, ACS URL https://{}.auth.{region}.amazoncognito.com/saml2/idpresponse",
                    pool.live.id, d.id
                ),
            ),
            None => c.push(
                "saml.domain",
                Status::Broken,
                vec![pool_label.to_string()],
                "a domain (the SAML application's ACS URL is on it)",
                format!("{} has no domain", pool.live.id),
                "run `idplane apply` to create the pool's domain",
            ),
        }
    }
}
