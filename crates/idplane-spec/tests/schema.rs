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

fn keys(schema: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    match schema {
        serde_json::Value::Object(o) => {
            if let Some(serde_json::Value::Object(props)) = o.get("properties") {
                out.extend(props.keys().cloned());
            }
            o.values().for_each(|v| keys(v, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[test]
fn the_reference_page_mentions_every_key_and_code() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/reference.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&idplane_spec::json_schema()).unwrap();
    let mut all = std::collections::BTreeSet::new();
    keys(&schema, &mut all);
    let missing: Vec<_> = all.iter().filter(|k| !doc.contains(k.as_str())).collect();
    assert!(missing.is_empty(), "specs/reference.md lacks {missing:?}");
    let codes = include_str!("../src/lib.rs");
    for line in codes
        .lines()
        .filter(|l| l.contains("pub const") && l.contains(": &str = \""))
    {
        let code = line.split('"').nth(1).unwrap();
        assert!(
            doc.contains(&format!("| {code} |")),
            "specs/reference.md lacks {code}"
        );
    }
}
