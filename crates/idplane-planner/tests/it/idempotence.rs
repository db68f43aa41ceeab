//! Property: normalizing is idempotent and diffing a normalized value with itself is empty, for
//! arbitrary attribute trees on every kind.

use idplane_model::{Attrs, Kind, Value};
use idplane_planner::{differences, normalize};
use proptest::prelude::*;

/// Keys that trigger the special rules of `normalize`, plus a few plain ones.
const KEYS: [&str; 20] = [
    "email",
    "custom:x",
    "dev:custom:y",
    "string_constraints",
    "min_length",
    "max_length",
    "attribute_data_type",
    "required",
    "Statement",
    "Action",
    "Principal",
    "AWS",
    "authorized_token_issuers",
    "authorized_audiences",
    "redirect_uris",
    "MetadataURL",
    "MetadataFile",
    "authorize_scopes",
    "priority",
    "password_history_size",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-2i64..3).prop_map(Value::Int),
        prop::sample::select(vec!["", "0", "12", "a b a", "String", "SAML", "OIDC", "x"])
            .prop_map(Value::str),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
            prop::collection::btree_map(
                prop::sample::select(KEYS.to_vec()).prop_map(str::to_string),
                inner,
                0..4
            )
            .prop_map(Value::Map),
        ]
    })
}

fn attrs_for(kind: Kind) -> impl Strategy<Value = Attrs> {
    let names: Vec<&'static str> = kind.info().fields.iter().map(|f| f.name).collect();
    prop::collection::btree_map(
        prop::sample::select(names).prop_map(str::to_string),
        value(),
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn normalize_is_idempotent(
        (kind, attrs) in prop::sample::select(Kind::ALL.to_vec())
            .prop_flat_map(|k| (Just(k), attrs_for(k)))
    ) {
        let once = normalize(kind, &attrs);
        let twice = normalize(kind, &once);
        prop_assert_eq!(&twice, &once, "{}", kind);
        prop_assert!(differences(kind, &once, &twice).is_empty());
    }
}
