//! The application's authentication method links: `auth_method.iam` and
//! `auth_method.actor_policy` (the actor policy allows `sso-oauth:CreateTokenWithIAM` to the
//! calling account, read as IAM reads it: wildcards, principals, an explicit deny wins).

use crate::chain::{Chain, Ctx};
use crate::report::Status;
use idplane_model::{Kind, LiveObject, Value};
use std::collections::BTreeMap;

impl Ctx<'_> {
    /// `auth_method.iam` and `auth_method.actor_policy`.
    pub(crate) fn auth_method_links(
        &self,
        c: &mut Chain,
        app_obj: &[String],
        live_app: &LiveObject,
    ) {
        let app_obj = app_obj.to_vec();
        // auth_method.iam and auth_method.actor_policy
        let method = self
            .live_children(Kind::ApplicationAuthenticationMethod, live_app)
            .into_iter()
            .find(|m| m.id == "IAM");
        match method {
            None => {
                c.push(
                    "auth_method.iam",
                    Status::Broken,
                    app_obj.clone(),
                    "an IAM authentication method",
                    "none",
                    "add `authentication_methods.iam.actor_policy`, then `idplane apply`",
                );
                c.skip(
                    "auth_method.actor_policy",
                    app_obj.clone(),
                    "no IAM authentication method",
                );
            }
            Some(m) => {
                c.pass("auth_method.iam", app_obj.clone(), "IAM");
                let policy = m.attrs.get("actor_policy").cloned().unwrap_or_default();
                let account = self.facts.account_id.as_deref();
                let expected = format!(
                    "Allow sso-oauth:CreateTokenWithIAM to {}",
                    account.unwrap_or("the calling account")
                );
                match actor_policy_allows(&policy, account) {
                    Ok(why) => c.pass("auth_method.actor_policy", app_obj.clone(), why),
                    Err(why) => c.push(
                        "auth_method.actor_policy",
                        Status::Broken,
                        app_obj.clone(),
                        expected,
                        why,
                        "name the calling account in the actor policy's Principal (AWS: ACCOUNT_ID), then `idplane apply`",
                    ),
                }
            }
        }
    }
}

fn one_or_many(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Str(s)) => vec![s.clone()],
        Some(Value::List(l)) => l
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// An IAM action pattern (`*` and `?` wildcards, case-insensitive) matching an action.
fn action_matches(pattern: &str, action: &str) -> bool {
    fn go(p: &[u8], a: &[u8]) -> bool {
        match (p.first(), a.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], a) || (!a.is_empty() && go(p, &a[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &a[1..]),
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => go(&p[1..], &a[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), action.as_bytes())
}

/// Whether a principal entry names the account (`*`, the id, or an ARN of the account).
fn principal_matches(p: &str, account: Option<&str>) -> bool {
    if p == "*" {
        return true;
    }
    match account {
        Some(a) => p == a || (p.starts_with("arn:") && p.split(':').nth(4) == Some(a)),
        None => false,
    }
}

/// Whether an actor policy allows `sso-oauth:CreateTokenWithIAM` to the account (an explicit
/// deny wins). `Ok` says which statement allows it, `Err` why not.
pub(crate) fn actor_policy_allows(policy: &Value, account: Option<&str>) -> Result<String, String> {
    const ACTION: &str = "sso-oauth:CreateTokenWithIAM";
    // AWS returns the document as JSON text or as data.
    let parsed;
    let policy = match policy {
        Value::Str(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(j) => {
                parsed = Value::from_json(&j);
                &parsed
            }
            Err(_) => return Err("the actor policy is not JSON".to_string()),
        },
        other => other,
    };
    let statements: Vec<&BTreeMap<String, Value>> =
        match policy.as_map().and_then(|m| m.get("Statement")) {
            Some(Value::List(l)) => l.iter().filter_map(Value::as_map).collect(),
            Some(Value::Map(m)) => vec![m],
            _ => return Err("no actor policy statement".to_string()),
        };
    let mut allowed = None;
    let mut named = Vec::new();
    for s in statements {
        let actions = one_or_many(s.get("Action"));
        if !actions.iter().any(|a| action_matches(a, ACTION)) {
            continue;
        }
        let principals: Vec<String> = match s.get("Principal") {
            Some(Value::Str(p)) => vec![p.clone()],
            Some(Value::Map(m)) => one_or_many(m.get("AWS")),
            _ => Vec::new(),
        };
        named.extend(principals.iter().cloned());
        if principals.iter().any(|p| principal_matches(p, account)) {
            match s.get("Effect").and_then(Value::as_str) {
                Some("Deny") => return Err(format!("a Deny statement for {ACTION} names it")),
                Some("Allow") => allowed = Some(principals.join(", ")),
                _ => {}
            }
        }
    }
    match allowed {
        Some(p) => Ok(format!("Allow {ACTION} to {p}")),
        None if named.is_empty() => Err(format!("no statement allows {ACTION}")),
        None => Err(format!("{ACTION} is allowed to {} only", named.join(", "))),
    }
}
