//! Identity Store users, groups and group memberships, and resolving user names and group
//! display names to ids (and back) for application assignments.

use crate::convert::{Obj, get_str, merge_attrs};
use crate::error::invalid;
use crate::{AwsProvider, CONCURRENCY, need_parent, none_if_missing};
use aws_sdk_identitystore::operation::describe_group::DescribeGroupOutput;
use aws_sdk_identitystore::operation::describe_user::DescribeUserOutput;
use aws_sdk_identitystore::types as t;
use aws_smithy_types::Document;
use futures::stream::{self, StreamExt, TryStreamExt};
use idplane_model::{ErrorClass, Kind, LiveObject, ObserveRequest, ProviderError, Target};
use std::collections::{BTreeMap, HashMap};

fn unique(path: &str, value: &str) -> Result<t::AlternateIdentifier, ProviderError> {
    let u = t::UniqueAttribute::builder()
        .attribute_path(path)
        .attribute_value(Document::String(value.to_string()))
        .build()
        .map_err(|e| invalid("identitystore", e.to_string()))?;
    Ok(t::AlternateIdentifier::UniqueAttribute(u))
}

/// The id of the user with this user name, if any.
pub async fn user_id(
    p: &AwsProvider,
    store: &str,
    name: &str,
) -> Result<Option<String>, ProviderError> {
    let alt = unique("userName", name)?;
    let out = none_if_missing(
        p.call("identitystore:GetUserId", || {
            p.ids
                .get_user_id()
                .identity_store_id(store)
                .alternate_identifier(alt.clone())
                .send()
        })
        .await,
    )?;
    Ok(out.map(|o| o.user_id().to_string()))
}

/// The id of the group with this display name, if any.
pub async fn group_id(
    p: &AwsProvider,
    store: &str,
    name: &str,
) -> Result<Option<String>, ProviderError> {
    let alt = unique("displayName", name)?;
    let out = none_if_missing(
        p.call("identitystore:GetGroupId", || {
            p.ids
                .get_group_id()
                .identity_store_id(store)
                .alternate_identifier(alt.clone())
                .send()
        })
        .await,
    )?;
    Ok(out.map(|o| o.group_id().to_string()))
}

async fn describe_user(
    p: &AwsProvider,
    store: &str,
    id: &str,
) -> Result<Option<DescribeUserOutput>, ProviderError> {
    none_if_missing(
        p.call("identitystore:DescribeUser", || {
            p.ids
                .describe_user()
                .identity_store_id(store)
                .user_id(id)
                .send()
        })
        .await,
    )
}

async fn describe_group(
    p: &AwsProvider,
    store: &str,
    id: &str,
) -> Result<Option<DescribeGroupOutput>, ProviderError> {
    none_if_missing(
        p.call("identitystore:DescribeGroup", || {
            p.ids
                .describe_group()
                .identity_store_id(store)
                .group_id(id)
                .send()
        })
        .await,
    )
}

/// The user name of a user id, if the user exists.
pub async fn user_name(
    p: &AwsProvider,
    store: &str,
    id: &str,
) -> Result<Option<String>, ProviderError> {
    Ok(describe_user(p, store, id)
        .await?
        .and_then(|u| u.user_name().map(str::to_string)))
}

/// The display name of a group id, if the group exists.
pub async fn group_name(
    p: &AwsProvider,
    store: &str,
    id: &str,
) -> Result<Option<String>, ProviderError> {
    Ok(describe_group(p, store, id)
        .await?
        .and_then(|g| g.display_name().map(str::to_string)))
}

pub fn user_to_live(u: &DescribeUserOutput) -> LiveObject {
    let email = u
        .emails()
        .iter()
        .find(|e| e.primary())
        .or_else(|| u.emails().first())
        .and_then(|e| e.value());
    let attrs = Obj::new()
        .s("user_name", u.user_name())
        .s("display_name", u.display_name())
        .s("given_name", u.name().and_then(|n| n.given_name()))
        .s("family_name", u.name().and_then(|n| n.family_name()))
        .s("email", email)
        .attrs();
    LiveObject {
        kind: Kind::IdentityStoreUser,
        id: u.user_id().to_string(),
        parent_id: None,
        tags: BTreeMap::new(),
        attrs,
        outputs: BTreeMap::from([("id".to_string(), u.user_id().to_string())]),
    }
}

pub fn group_to_live(g: &DescribeGroupOutput) -> LiveObject {
    let attrs = Obj::new()
        .s("display_name", g.display_name())
        .s("description", g.description())
        .attrs();
    LiveObject {
        kind: Kind::IdentityStoreGroup,
        id: g.group_id().to_string(),
        parent_id: None,
        tags: BTreeMap::new(),
        attrs,
        outputs: BTreeMap::from([("id".to_string(), g.group_id().to_string())]),
    }
}

fn membership_to_live(id: &str, group: &str, user_name: &str) -> LiveObject {
    LiveObject {
        kind: Kind::IdentityStoreGroupMembership,
        id: id.to_string(),
        parent_id: Some(group.to_string()),
        tags: BTreeMap::new(),
        attrs: Obj::new().s("user_name", Some(user_name)).attrs(),
        outputs: BTreeMap::from([("id".to_string(), id.to_string())]),
    }
}

/// Memberships of a group as (membership id, member user id).
async fn memberships(
    p: &AwsProvider,
    store: &str,
    group: &str,
) -> Result<Vec<(String, String)>, ProviderError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = p
            .call("identitystore:ListGroupMemberships", || {
                p.ids
                    .list_group_memberships()
                    .identity_store_id(store)
                    .group_id(group)
                    .max_results(100)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        for m in page.group_memberships() {
            if let Some(t::MemberId::UserId(u)) = m.member_id() {
                out.push((m.membership_id().to_string(), u.clone()));
            }
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}

async fn group_memberships_live(
    p: &AwsProvider,
    store: &str,
    group: &str,
    names: &mut HashMap<String, Option<String>>,
) -> Result<Vec<LiveObject>, ProviderError> {
    let mut objs = Vec::new();
    for (mid, uid) in memberships(p, store, group).await? {
        if !names.contains_key(&uid) {
            let n = user_name(p, store, &uid).await?;
            names.insert(uid.clone(), n);
        }
        let name = names[&uid].clone().unwrap_or(uid);
        objs.push(membership_to_live(&mid, group, &name));
    }
    Ok(objs)
}

/// Every user name and group display name of the store (ListUsers, ListGroups), for `everything`.
async fn all_names(
    p: &AwsProvider,
    store: &str,
) -> Result<(Vec<String>, Vec<String>), ProviderError> {
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let out = p
            .call("identitystore:ListUsers", || {
                p.ids
                    .list_users()
                    .identity_store_id(store)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        users.extend(
            out.users()
                .iter()
                .filter_map(|u| u.user_name().map(str::to_string)),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    let mut groups = Vec::new();
    loop {
        let out = p
            .call("identitystore:ListGroups", || {
                p.ids
                    .list_groups()
                    .identity_store_id(store)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        groups.extend(
            out.groups()
                .iter()
                .filter_map(|g| g.display_name().map(str::to_string)),
        );
        token = out.next_token().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    Ok((users, groups))
}

pub async fn observe(
    p: &AwsProvider,
    req: &ObserveRequest,
    instance: &idplane_model::IdentityCenterInstance,
) -> Result<Vec<LiveObject>, ProviderError> {
    let store = instance.identity_store_id.as_str();
    let mut objs = Vec::new();
    let (mut user_names, mut group_names) = (req.user_names.clone(), req.group_names.clone());
    if req.everything {
        let (users, groups) = all_names(p, store).await?;
        user_names.extend(users);
        group_names.extend(groups);
    }
    let users: Vec<Option<LiveObject>> =
        stream::iter(user_names.iter().cloned().collect::<Vec<_>>())
            .map(|name| async move {
                match user_id(p, store, &name).await? {
                    Some(id) => Ok(describe_user(p, store, &id)
                        .await?
                        .as_ref()
                        .map(user_to_live)),
                    None => Ok(None),
                }
            })
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await?;
    objs.extend(users.into_iter().flatten());
    let groups: Vec<Option<LiveObject>> =
        stream::iter(group_names.iter().cloned().collect::<Vec<_>>())
            .map(|name| async move {
                match group_id(p, store, &name).await? {
                    Some(id) => Ok(describe_group(p, store, &id)
                        .await?
                        .as_ref()
                        .map(group_to_live)),
                    None => Ok(None),
                }
            })
            .buffer_unordered(CONCURRENCY)
            .try_collect()
            .await?;
    let groups: Vec<LiveObject> = groups.into_iter().flatten().collect();
    if req.kinds.contains(&Kind::IdentityStoreGroupMembership) {
        let mut names: HashMap<String, Option<String>> = objs
            .iter()
            .map(|u| (u.id.clone(), get_str(&u.attrs, "user_name")))
            .collect();
        for g in &groups {
            objs.extend(group_memberships_live(p, store, &g.id, &mut names).await?);
        }
    }
    objs.extend(groups);
    Ok(objs)
}

pub async fn read(
    p: &AwsProvider,
    kind: Kind,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    match kind {
        Kind::IdentityStoreUser => Ok(describe_user(p, &store, id)
            .await?
            .as_ref()
            .map(user_to_live)),
        Kind::IdentityStoreGroup => Ok(describe_group(p, &store, id)
            .await?
            .as_ref()
            .map(group_to_live)),
        Kind::IdentityStoreGroupMembership => {
            let group = need_parent(kind, parent)?;
            let out = none_if_missing(
                p.call("identitystore:DescribeGroupMembership", || {
                    p.ids
                        .describe_group_membership()
                        .identity_store_id(&store)
                        .membership_id(id)
                        .send()
                })
                .await,
            )?;
            let Some(m) = out else { return Ok(None) };
            if m.group_id() != group {
                return Ok(None);
            }
            let Some(t::MemberId::UserId(uid)) = m.member_id() else {
                return Ok(None);
            };
            let name = user_name(p, &store, uid)
                .await?
                .unwrap_or_else(|| uid.clone());
            Ok(Some(membership_to_live(id, group, &name)))
        }
        _ => unreachable!("not an Identity Store kind"),
    }
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    let key = |k: &str| get_str(&tg.attrs, k).unwrap_or_default();
    match tg.kind {
        Kind::IdentityStoreUser => match user_id(p, &store, &key("user_name")).await? {
            Some(id) => read(p, tg.kind, None, &id).await,
            None => Ok(None),
        },
        Kind::IdentityStoreGroup => match group_id(p, &store, &key("display_name")).await? {
            Some(id) => read(p, tg.kind, None, &id).await,
            None => Ok(None),
        },
        Kind::IdentityStoreGroupMembership => {
            let group = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let Some(uid) = user_id(p, &store, &key("user_name")).await? else {
                return Ok(None);
            };
            let hit = memberships(p, &store, group)
                .await?
                .into_iter()
                .find(|(_, u)| *u == uid);
            Ok(hit.map(|(mid, _)| membership_to_live(&mid, group, &key("user_name"))))
        }
        _ => unreachable!("not an Identity Store kind"),
    }
}

fn email_doc(email: &str) -> Document {
    Document::Array(vec![Document::Object(HashMap::from([
        ("value".to_string(), Document::String(email.to_string())),
        ("type".to_string(), Document::String("work".to_string())),
        ("primary".to_string(), Document::Bool(true)),
    ]))])
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    let a = &tg.attrs;
    match tg.kind {
        Kind::IdentityStoreUser => {
            const OP: &str = "identitystore:CreateUser";
            let name =
                get_str(a, "user_name").ok_or_else(|| invalid(OP, "a user needs `user_name`"))?;
            let given = get_str(a, "given_name");
            let family = get_str(a, "family_name");
            let n = (given.is_some() || family.is_some()).then(|| {
                t::Name::builder()
                    .set_given_name(given)
                    .set_family_name(family)
                    .build()
            });
            let emails = get_str(a, "email").map(|e| {
                vec![
                    t::Email::builder()
                        .value(e)
                        .r#type("work")
                        .primary(true)
                        .build(),
                ]
            });
            let out = sent!(
                p.call_create(OP, tg, || {
                    p.ids
                        .create_user()
                        .identity_store_id(&store)
                        .user_name(&name)
                        .set_display_name(get_str(a, "display_name"))
                        .set_name(n.clone())
                        .set_emails(emails.clone())
                        .send()
                })
                .await?
            );
            read(p, tg.kind, None, out.user_id())
                .await?
                .ok_or_else(|| invalid(OP, "created, but not found"))
        }
        Kind::IdentityStoreGroup => {
            const OP: &str = "identitystore:CreateGroup";
            let name = get_str(a, "display_name")
                .ok_or_else(|| invalid(OP, "a group needs `display_name`"))?;
            let out = sent!(
                p.call_create(OP, tg, || {
                    p.ids
                        .create_group()
                        .identity_store_id(&store)
                        .display_name(&name)
                        .set_description(get_str(a, "description"))
                        .send()
                })
                .await?
            );
            read(p, tg.kind, None, out.group_id())
                .await?
                .ok_or_else(|| invalid(OP, "created, but not found"))
        }
        Kind::IdentityStoreGroupMembership => {
            const OP: &str = "identitystore:CreateGroupMembership";
            let group = need_parent(tg.kind, tg.parent_id.as_deref())?;
            let name = get_str(a, "user_name")
                .ok_or_else(|| invalid(OP, "a membership needs `user_name`"))?;
            let uid = user_id(p, &store, &name).await?.ok_or_else(|| {
                ProviderError::new(
                    ErrorClass::NotFound,
                    OP,
                    "",
                    format!("no identity store user named `{name}`"),
                )
            })?;
            let out = sent!(
                p.call_create(OP, tg, || {
                    p.ids
                        .create_group_membership()
                        .identity_store_id(&store)
                        .group_id(group)
                        .member_id(t::MemberId::UserId(uid.clone()))
                        .send()
                })
                .await?
            );
            Ok(membership_to_live(out.membership_id(), group, &name))
        }
        _ => unreachable!("not an Identity Store kind"),
    }
}

fn op(path: &str, v: Option<Document>) -> t::AttributeOperation {
    t::AttributeOperation::builder()
        .attribute_path(path)
        .set_attribute_value(v)
        .build()
        .expect("attribute_path is set")
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let store = p.instance().await?.identity_store_id;
    let gone = || {
        ProviderError::new(
            ErrorClass::NotFound,
            format!("update {}", tg.kind),
            "",
            format!("{} is gone", lv.id),
        )
    };
    let cur = read(p, tg.kind, lv.parent_id.as_deref(), &lv.id)
        .await?
        .ok_or_else(gone)?;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &[]);
    let changed = |k: &str| merged.get(k) != cur.attrs.get(k);
    let s = |k: &str| get_str(&merged, k).map(Document::String);
    match tg.kind {
        Kind::IdentityStoreUser => {
            let mut ops = Vec::new();
            if changed("display_name") {
                ops.push(op("displayName", s("display_name")));
            }
            if changed("given_name") {
                ops.push(op("name.givenName", s("given_name")));
            }
            if changed("family_name") {
                ops.push(op("name.familyName", s("family_name")));
            }
            if changed("email") {
                ops.push(op(
                    "emails",
                    get_str(&merged, "email").map(|e| email_doc(&e)),
                ));
            }
            if !ops.is_empty() {
                p.call("identitystore:UpdateUser", || {
                    p.ids
                        .update_user()
                        .identity_store_id(&store)
                        .user_id(&lv.id)
                        .set_operations(Some(ops.clone()))
                        .send()
                })
                .await?;
            }
        }
        Kind::IdentityStoreGroup if changed("description") => {
            let ops = vec![op("description", s("description"))];
            p.call("identitystore:UpdateGroup", || {
                p.ids
                    .update_group()
                    .identity_store_id(&store)
                    .group_id(&lv.id)
                    .set_operations(Some(ops.clone()))
                    .send()
            })
            .await?;
        }
        // Nothing changed, or a membership (its only field is immutable).
        _ => {}
    }
    read(p, tg.kind, lv.parent_id.as_deref(), &lv.id)
        .await?
        .ok_or_else(gone)
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let store = p.instance().await?.identity_store_id;
    let id = lv.id.as_str();
    match lv.kind {
        Kind::IdentityStoreUser => p
            .call("identitystore:DeleteUser", || {
                p.ids
                    .delete_user()
                    .identity_store_id(&store)
                    .user_id(id)
                    .send()
            })
            .await
            .map(|_| ()),
        Kind::IdentityStoreGroup => p
            .call("identitystore:DeleteGroup", || {
                p.ids
                    .delete_group()
                    .identity_store_id(&store)
                    .group_id(id)
                    .send()
            })
            .await
            .map(|_| ()),
        Kind::IdentityStoreGroupMembership => p
            .call("identitystore:DeleteGroupMembership", || {
                p.ids
                    .delete_group_membership()
                    .identity_store_id(&store)
                    .membership_id(id)
                    .send()
            })
            .await
            .map(|_| ()),
        _ => unreachable!("not an Identity Store kind"),
    }
}
