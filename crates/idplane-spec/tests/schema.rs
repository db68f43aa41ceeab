//! The committed `specs/idplane.schema.json` must equal `json_schema()`.

use std::path::Path;

#[test]
fn committed_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/idplane.schema.json");
    let fresh = idplane_spec::json_schema();
    if std::env::var("IDPLANE_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &fresh).expect("write the schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "specs/idplane.schema.json is stale; regenerate it with \
         `idplane schema > specs/idplane.schema.json` or `IDPLANE_BLESS=1 cargo test -p idplane-spec --test schema`"
    );
}

#[test]
fn schema_is_json_with_the_top_level_keys() {
    let schema: serde_json::Value = serde_json::from_str(&idplane_spec::json_schema()).unwrap();
    let props = schema["properties"].as_object().unwrap();
    for key in [
        "version",
        "stack",
        "region",
        "variables",
        "user_pools",
        "identity_pools",
        "identity_center",
        "identity_store",
    ] {
        assert!(props.contains_key(key), "{key}");
    }
    assert_eq!(
        schema["additionalProperties"],
        serde_json::Value::Bool(false)
    );
}
