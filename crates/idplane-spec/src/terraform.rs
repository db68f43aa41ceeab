//! Reads a Terraform state as `terraform show -json` prints it and maps every AWS resource
//! idplane manages (`aws_cognito_*`, `aws_ssoadmin_*`, `aws_identitystore_*`) to the live
//! object it stands for, so `idplane export --from-terraform` can export exactly those objects
//! pinned to their live ids, and print the `terraform state rm` commands that hand them over.
//!
//! The format is Terraform's JSON output format (`format_version` 1.x): `values.root_module`
//! with `resources` and nested `child_modules`, each resource with its `address`, `mode`,
//! `type` and the provider's attribute `values`.

use idplane_model::Kind;
use serde::Deserialize;
use std::collections::BTreeSet;

/// One resource of the state that idplane can take over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapped {
    /// The Terraform address, e.g. `module.auth.aws_cognito_user_pool_client.web["a"]`.
    pub address: String,
    /// The Terraform resource type.
    pub resource_type: String,
    /// The idplane kind the resource is (or is part of).
    pub kind: Kind,
    /// The top-level object the resource belongs to: a pool, an identity pool, a trusted token
    /// issuer, an application, an Identity Store user or group. Exporting it exports the
    /// resource too (children are exported with their parent).
    pub top: (Kind, String),
}

/// What a state holds for idplane.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    pub mapped: Vec<Mapped>,
    /// Resources of the AWS provider in these services that idplane does not manage
    /// (address, type): they stay in Terraform.
    pub unmapped: Vec<(String, String)>,
}

impl Mapping {
    /// The top-level objects to export, each once.
    pub fn tops(&self) -> BTreeSet<(Kind, String)> {
        self.mapped.iter().map(|m| m.top.clone()).collect()
    }

    /// The commands that remove the mapped resources from the Terraform state (to run after
    /// `idplane plan` of the exported spec shows nothing to change), quoted for POSIX shells.
    pub fn state_rm_commands(&self) -> Vec<String> {
        self.mapped
            .iter()
            .map(|m| format!("terraform state rm {}", shell_quote(&m.address)))
            .collect()
    }

    /// The Terraform addresses that map to one top-level object, sorted.
    pub fn addresses_of(&self, top: &(Kind, String)) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .mapped
            .iter()
            .filter(|m| &m.top == top)
            .map(|m| m.address.as_str())
            .collect();
        v.sort();
        v
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[derive(Deserialize)]
struct Show {
    format_version: Option<String>,
    values: Option<Values>,
}

#[derive(Deserialize)]
struct Values {
    root_module: Option<Module>,
}

#[derive(Deserialize)]
struct Module {
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    child_modules: Vec<Module>,
}

#[derive(Deserialize)]
struct Resource {
    address: String,
    mode: String,
    #[serde(rename = "type")]
    resource_type: String,
    #[serde(default)]
    values: serde_json::Map<String, serde_json::Value>,
}

/// Parses `terraform show -json` output and maps its resources.
pub fn read(text: &str) -> Result<Mapping, String> {
    let show: Show = serde_json::from_str(text).map_err(|e| {
        format!(
            "not the JSON of `terraform show -json` ({e}); run `terraform show -json > state.json`"
        )
    })?;
    match show.format_version.as_deref() {
        Some(v) if v.split('.').next() == Some("1") => {}
        Some(v) => return Err(format!("unsupported format_version {v} (expected 1.x)")),
        None => {
            return Err(
                "no format_version: not the output of `terraform show -json` (a raw .tfstate file is not read; run `terraform show -json`)"
                    .into(),
            );
        }
    }
    let mut out = Mapping::default();
    if let Some(root) = show.values.and_then(|v| v.root_module) {
        walk(&root, &mut out)?;
    }
    Ok(out)
}

fn walk(m: &Module, out: &mut Mapping) -> Result<(), String> {
    for r in &m.resources {
        if r.mode != "managed" {
            continue;
        }
        match map(r)? {
            Some(mapped) => out.mapped.push(mapped),
            None if is_identity_service(&r.resource_type) => out
                .unmapped
                .push((r.address.clone(), r.resource_type.clone())),
            None => {}
        }
    }
    for c in &m.child_modules {
        walk(c, out)?;
    }
    Ok(())
}

fn is_identity_service(t: &str) -> bool {
    t.starts_with("aws_cognito_")
        || t.starts_with("aws_ssoadmin_")
        || t.starts_with("aws_identitystore_")
}

/// The kind and the top-level object of one resource; `None` when idplane does not manage the
/// type. Identity Center permission sets and account assignments are not idplane's.
fn map(r: &Resource) -> Result<Option<Mapped>, String> {
    let get = |k: &str| -> Result<String, String> {
        r.values
            .get(k)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| format!("{}: the state has no `{k}`", r.address))
    };
    let (kind, top) = match r.resource_type.as_str() {
        "aws_cognito_user_pool" => (Kind::UserPool, (Kind::UserPool, get("id")?)),
        "aws_cognito_user_pool_domain" => {
            (Kind::UserPoolDomain, (Kind::UserPool, get("user_pool_id")?))
        }
        "aws_cognito_identity_provider" => (
            Kind::IdentityProvider,
            (Kind::UserPool, get("user_pool_id")?),
        ),
        "aws_cognito_resource_server" => {
            (Kind::ResourceServer, (Kind::UserPool, get("user_pool_id")?))
        }
        "aws_cognito_user_pool_client" | "aws_cognito_managed_user_pool_client" => {
            (Kind::UserPoolClient, (Kind::UserPool, get("user_pool_id")?))
        }
        "aws_cognito_user_group" => (Kind::UserPoolGroup, (Kind::UserPool, get("user_pool_id")?)),
        "aws_cognito_identity_pool" => (Kind::IdentityPool, (Kind::IdentityPool, get("id")?)),
        // The roles and role mappings are fields of the identity pool in a spec.
        "aws_cognito_identity_pool_roles_attachment" => (
            Kind::IdentityPool,
            (Kind::IdentityPool, get("identity_pool_id")?),
        ),
        "aws_ssoadmin_trusted_token_issuer" => (
            Kind::TrustedTokenIssuer,
            (Kind::TrustedTokenIssuer, get("arn")?),
        ),
        "aws_ssoadmin_application" => (
            Kind::Application,
            (Kind::Application, get("application_arn")?),
        ),
        "aws_ssoadmin_application_access_scope" => (
            Kind::ApplicationAccessScope,
            (Kind::Application, get("application_arn")?),
        ),
        "aws_ssoadmin_application_assignment" => (
            Kind::ApplicationAssignment,
            (Kind::Application, get("application_arn")?),
        ),
        "aws_ssoadmin_application_assignment_configuration" => (
            Kind::ApplicationAssignmentConfiguration,
            (Kind::Application, get("application_arn")?),
        ),
        "aws_identitystore_user" => (
            Kind::IdentityStoreUser,
            (Kind::IdentityStoreUser, get("user_id")?),
        ),
        "aws_identitystore_group" => (
            Kind::IdentityStoreGroup,
            (Kind::IdentityStoreGroup, get("group_id")?),
        ),
        "aws_identitystore_group_membership" => (
            Kind::IdentityStoreGroupMembership,
            (Kind::IdentityStoreGroup, get("group_id")?),
        ),
        _ => return Ok(None),
    };
    Ok(Some(Mapped {
        address: r.address.clone(),
        resource_type: r.resource_type.clone(),
        kind,
        top,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state shaped as Terraform 1.9 prints it: a root module with a `for_each` resource, a
    /// child module with a `count` resource, a data source, and resources idplane leaves alone.
    const STATE: &str = r#"{
      "format_version": "1.0",
      "terraform_version": "1.9.5",
      "values": {
        "root_module": {
          "resources": [
            {"address": "aws_cognito_user_pool.main", "mode": "managed", "type": "aws_cognito_user_pool",
             "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
             "values": {"id": "us-east-1_AbC123", "name": "main"}, "sensitive_values": {}},
            {"address": "aws_cognito_user_pool_client.web[\"admin\"]", "mode": "managed",
             "type": "aws_cognito_user_pool_client", "name": "web", "index": "admin",
             "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
             "values": {"id": "3n4b5", "user_pool_id": "us-east-1_AbC123"}, "sensitive_values": {"client_secret": true}},
            {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity",
             "name": "me", "values": {"account_id": "123456789012"}},
            {"address": "aws_cognito_user_in_group.x", "mode": "managed", "type": "aws_cognito_user_in_group",
             "name": "x", "values": {"user_pool_id": "us-east-1_AbC123"}},
            {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
             "values": {"id": "logs"}}
          ],
          "child_modules": [
            {"address": "module.tip",
             "resources": [
               {"address": "module.tip.aws_ssoadmin_application.app[0]", "mode": "managed",
                "type": "aws_ssoadmin_application", "name": "app", "index": 0,
                "values": {"application_arn": "arn:aws:sso::123456789012:application/ssoins-1/apl-1", "id": "arn:aws:sso::123456789012:application/ssoins-1/apl-1"}},
               {"address": "module.tip.aws_ssoadmin_application_access_scope.s", "mode": "managed",
                "type": "aws_ssoadmin_application_access_scope", "name": "s",
                "values": {"application_arn": "arn:aws:sso::123456789012:application/ssoins-1/apl-1", "scope": "sso:account:access"}}
             ]}
          ]
        }
      }
    }"#;

    #[test]
    fn resources_map_to_their_top_level_objects_across_modules() {
        let m = read(STATE).unwrap();
        let addrs: Vec<&str> = m.mapped.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(
            addrs,
            [
                "aws_cognito_user_pool.main",
                "aws_cognito_user_pool_client.web[\"admin\"]",
                "module.tip.aws_ssoadmin_application.app[0]",
                "module.tip.aws_ssoadmin_application_access_scope.s",
            ]
        );
        let pool = (Kind::UserPool, "us-east-1_AbC123".to_string());
        let app = (
            Kind::Application,
            "arn:aws:sso::123456789012:application/ssoins-1/apl-1".to_string(),
        );
        assert_eq!(m.tops(), [pool.clone(), app.clone()].into_iter().collect());
        assert_eq!(m.mapped[1].kind, Kind::UserPoolClient);
        assert_eq!(
            m.addresses_of(&pool),
            [
                "aws_cognito_user_pool.main",
                "aws_cognito_user_pool_client.web[\"admin\"]"
            ]
        );
        assert_eq!(
            m.unmapped,
            vec![(
                "aws_cognito_user_in_group.x".to_string(),
                "aws_cognito_user_in_group".to_string()
            )]
        );
    }

    #[test]
    fn state_rm_commands_are_quoted_for_the_shell() {
        let m = read(STATE).unwrap();
        let cmds = m.state_rm_commands();
        assert_eq!(
            cmds[1],
            "terraform state rm 'aws_cognito_user_pool_client.web[\"admin\"]'"
        );
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
    }

    #[test]
    fn other_documents_are_refused_with_the_command_to_run() {
        let raw_tfstate = r#"{"version": 4, "terraform_version": "1.9.5", "resources": []}"#;
        let err = read(raw_tfstate).unwrap_err();
        assert!(err.contains("terraform show -json"), "{err}");
        let err = read("not json").unwrap_err();
        assert!(err.contains("terraform show -json"), "{err}");
        let err = read(r#"{"format_version": "2.0"}"#).unwrap_err();
        assert!(err.contains("unsupported format_version 2.0"), "{err}");
        let missing = r#"{"format_version": "1.0", "values": {"root_module": {"resources": [
            {"address": "aws_cognito_user_pool_client.c", "mode": "managed",
             "type": "aws_cognito_user_pool_client", "values": {"id": "x"}}]}}}"#;
        let err = read(missing).unwrap_err();
        assert!(
            err.contains("aws_cognito_user_pool_client.c: the state has no `user_pool_id`"),
            "{err}"
        );
        // An empty state (no resources) maps nothing.
        assert_eq!(
            read(r#"{"format_version": "1.0"}"#).unwrap(),
            Mapping::default()
        );
    }
}
