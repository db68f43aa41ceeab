//! Exporting Identity Store users and groups (with their members).

use super::{Selection, attrs, j, put, renamed};
use crate::rename::STORE_USER;
use idplane_model::{Kind, LiveObject, Observed, Value};
use serde_json::{Map, Value as J};

/// Identity Store users and groups (with their members), keyed by user name and display name.
/// Nothing there has tags: with a `--tag` selection they are left out. `entry` learns where
/// each one is written.
pub(super) fn identity_store(
    observed: &Observed,
    sel: &Selection,
    entry: &mut impl FnMut(&[&str], &str, &LiveObject),
) -> Map<String, J> {
    let mut out = Map::new();
    if !sel.tags.is_empty() {
        return out;
    }
    let mut users = Map::new();
    for u in observed
        .objects
        .iter()
        .filter(|o| o.kind == Kind::IdentityStoreUser && sel.takes(o))
    {
        let a = attrs(u);
        let Some(name) = a.get("user_name").and_then(Value::as_str) else {
            continue;
        };
        entry(&["identity_store", "users"], name, u);
        users.insert(name.to_string(), J::Object(renamed(STORE_USER, &a)));
    }
    let mut groups = Map::new();
    for g in observed
        .objects
        .iter()
        .filter(|o| o.kind == Kind::IdentityStoreGroup && sel.takes(o))
    {
        let a = attrs(g);
        let Some(name) = a.get("display_name").and_then(Value::as_str) else {
            continue;
        };
        entry(&["identity_store", "groups"], name, g);
        let mut m = Map::new();
        put(&mut m, "description", a.get("description").map(j));
        let members: Vec<J> = observed
            .objects
            .iter()
            .filter(|o| {
                o.kind == Kind::IdentityStoreGroupMembership
                    && o.parent_id.as_deref() == Some(g.id.as_str())
            })
            .filter_map(|o| o.attrs.get("user_name").map(j))
            .collect();
        if !members.is_empty() {
            m.insert("members".into(), J::Array(members));
        }
        groups.insert(name.to_string(), J::Object(m));
    }
    put(&mut out, "users", Some(J::Object(users)));
    put(&mut out, "groups", Some(J::Object(groups)));
    out
}
