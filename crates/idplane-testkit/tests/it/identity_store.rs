//! identitystore UpdateUser and UpdateGroup, which the extension adds: attribute operations
//! change moto's stored user or group, so Describe, List and Get*Id see the new values.

use aws_sdk_identitystore::types::{
    AlternateIdentifier, AttributeOperation, Email, Name, UniqueAttribute,
};
use aws_smithy_types::Document;
use std::collections::HashMap;

use crate::support::{Ctx, code, ctx};

const STORE: &str = "d-1234567890";

fn set(path: &str, value: Document) -> AttributeOperation {
    AttributeOperation::builder()
        .attribute_path(path)
        .attribute_value(value)
        .build()
        .unwrap()
}

fn s(v: &str) -> Document {
    Document::String(v.to_string())
}

fn email(value: &str, primary: bool) -> Document {
    Document::Object(HashMap::from([
        ("value".to_string(), s(value)),
        ("type".to_string(), s("work")),
        ("primary".to_string(), Document::Bool(primary)),
    ]))
}

async fn create_user(c: &Ctx, user_name: &str) -> String {
    c.ids
        .create_user()
        .identity_store_id(STORE)
        .user_name(user_name)
        .display_name("Alice Doe")
        .name(
            Name::builder()
                .given_name("Alice")
                .family_name("Doe")
                .build(),
        )
        .emails(
            Email::builder()
                .value("alice@example.com")
                .r#type("work")
                .primary(true)
                .build(),
        )
        .nick_name("al")
        .send()
        .await
        .expect("CreateUser")
        .user_id()
        .to_string()
}

async fn create_group(c: &Ctx, name: &str, description: &str) -> String {
    c.ids
        .create_group()
        .identity_store_id(STORE)
        .display_name(name)
        .description(description)
        .send()
        .await
        .expect("CreateGroup")
        .group_id()
        .to_string()
}

#[tokio::test]
async fn update_user_changes_only_the_given_attributes() {
    let c = ctx().await;
    let id = create_user(&c, "alice").await;
    c.ids
        .update_user()
        .identity_store_id(STORE)
        .user_id(&id)
        .operations(set("displayName", s("Alice Smith")))
        .operations(set("name.givenName", s("Alicia")))
        .operations(set(
            "emails",
            Document::Array(vec![
                email("alice@new.example", true),
                email("a@old.example", false),
            ]),
        ))
        .send()
        .await
        .expect("UpdateUser");

    let u = c
        .ids
        .describe_user()
        .identity_store_id(STORE)
        .user_id(&id)
        .send()
        .await
        .expect("DescribeUser");
    assert_eq!(u.display_name(), Some("Alice Smith"));
    assert_eq!(u.name().and_then(|n| n.given_name()), Some("Alicia"));
    assert_eq!(u.name().and_then(|n| n.family_name()), Some("Doe"), "kept");
    assert_eq!(u.user_name(), Some("alice"), "kept");
    assert_eq!(u.nick_name(), Some("al"), "kept");
    let emails: Vec<(Option<&str>, Option<&str>, bool)> = u
        .emails()
        .iter()
        .map(|e| (e.value(), e.r#type(), e.primary()))
        .collect();
    assert_eq!(
        emails,
        vec![
            (Some("alice@new.example"), Some("work"), true),
            (Some("a@old.example"), Some("work"), false),
        ],
        "the list is replaced whole"
    );

    // ListUsers and GetUserId by email read the same stored user.
    let listed = c
        .ids
        .list_users()
        .identity_store_id(STORE)
        .send()
        .await
        .expect("ListUsers");
    assert_eq!(listed.users().len(), 1);
    assert_eq!(listed.users()[0].display_name(), Some("Alice Smith"));
    assert_eq!(
        listed.users()[0].name().and_then(|n| n.given_name()),
        Some("Alicia")
    );
    let by_email = c
        .ids
        .get_user_id()
        .identity_store_id(STORE)
        .alternate_identifier(AlternateIdentifier::UniqueAttribute(
            UniqueAttribute::builder()
                .attribute_path("emails.value")
                .attribute_value(s("alice@new.example"))
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .expect("GetUserId by the new email");
    assert_eq!(by_email.user_id(), id);

    // An operation without a value removes an optional attribute.
    c.ids
        .update_user()
        .identity_store_id(STORE)
        .user_id(&id)
        .operations(
            AttributeOperation::builder()
                .attribute_path("nickName")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("UpdateUser removing nickName");
    let u = c
        .ids
        .describe_user()
        .identity_store_id(STORE)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(u.nick_name(), None);
    assert_eq!(u.display_name(), Some("Alice Smith"), "kept");
}

#[tokio::test]
async fn update_user_rejects_bad_paths_and_missing_users() {
    let c = ctx().await;
    let id = create_user(&c, "bob").await;
    let update = |user: &str, op: AttributeOperation| {
        c.ids
            .update_user()
            .identity_store_id(STORE)
            .user_id(user)
            .operations(op)
            .send()
    };
    assert_eq!(
        code(update(&id, set("shoeSize", s("42"))).await),
        "ValidationException"
    );
    assert_eq!(
        code(update(&id, set("emails[0].value", s("x@example.com"))).await),
        "ValidationException",
        "a multi-valued attribute is replaced whole"
    );
    assert_eq!(
        code(
            update(
                &id,
                AttributeOperation::builder()
                    .attribute_path("displayName")
                    .build()
                    .unwrap()
            )
            .await
        ),
        "ValidationException",
        "displayName is required"
    );
    assert_eq!(
        code(
            update(
                "00000000-0000-4000-8000-000000000000",
                set("displayName", s("Nobody"))
            )
            .await
        ),
        "ResourceNotFoundException"
    );
    // Nothing above changed the user.
    let u = c
        .ids
        .describe_user()
        .identity_store_id(STORE)
        .user_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(u.display_name(), Some("Alice Doe"));
    assert_eq!(
        u.emails().first().and_then(|e| e.value()),
        Some("alice@example.com")
    );
}

#[tokio::test]
async fn update_group_changes_description_and_display_name() {
    let c = ctx().await;
    let id = create_group(&c, "admins", "Admins").await;
    create_group(&c, "ops", "Operators").await;

    c.ids
        .update_group()
        .identity_store_id(STORE)
        .group_id(&id)
        .operations(set("description", s("Administrators")))
        .send()
        .await
        .expect("UpdateGroup description");
    let g = c
        .ids
        .describe_group()
        .identity_store_id(STORE)
        .group_id(&id)
        .send()
        .await
        .expect("DescribeGroup");
    assert_eq!(g.description(), Some("Administrators"));
    assert_eq!(g.display_name(), Some("admins"), "kept");

    c.ids
        .update_group()
        .identity_store_id(STORE)
        .group_id(&id)
        .operations(set("displayName", s("superusers")))
        .send()
        .await
        .expect("UpdateGroup displayName");
    let g = c
        .ids
        .describe_group()
        .identity_store_id(STORE)
        .group_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(g.display_name(), Some("superusers"));
    assert_eq!(g.description(), Some("Administrators"), "kept");
    let found = c
        .ids
        .get_group_id()
        .identity_store_id(STORE)
        .alternate_identifier(AlternateIdentifier::UniqueAttribute(
            UniqueAttribute::builder()
                .attribute_path("displayName")
                .attribute_value(s("superusers"))
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .expect("GetGroupId by the new name");
    assert_eq!(found.group_id(), id);

    let update = |group: &str, op: AttributeOperation| {
        c.ids
            .update_group()
            .identity_store_id(STORE)
            .group_id(group)
            .operations(op)
            .send()
    };
    assert_eq!(
        code(update(&id, set("displayName", s("ops"))).await),
        "ConflictException",
        "another group has that name"
    );
    assert_eq!(
        code(update(&id, set("members", s("x"))).await),
        "ValidationException"
    );
    assert_eq!(
        code(
            update(
                "00000000-0000-4000-8000-000000000000",
                set("description", s("x"))
            )
            .await
        ),
        "ResourceNotFoundException"
    );
}
