//! Normalization rules of `user_pool` fields: the schema against AWS's standard attributes,
//! password policy, invitation config, Lambda triggers and account recovery (rules 6 to 8).

// Matches here are on `Value` (a catch-all keeps other values as they are), never on `Kind`.
#![allow(clippy::wildcard_enum_match_arm)]

use super::int_like;
use crate::Value;
use crate::kind::user_pool::field;
use std::collections::BTreeMap;

pub(super) fn canon_field(name: &str, v: Value) -> Value {
    match name {
        field::SCHEMA => canon_schema(v),
        field::PASSWORD_POLICY => match v {
            Value::Map(m) => {
                let mut m: BTreeMap<String, Value> =
                    m.into_iter().map(|(k, v)| (k, int_like(v))).collect();
                // 0 is AWS's "no password history", the same as leaving it out (and a Lite-tier
                // pool rejects the key altogether).
                if m.get("password_history_size") == Some(&Value::Int(0)) {
                    m.remove("password_history_size");
                }
                Value::Map(m)
            }
            other => other,
        },
        field::ADMIN_CREATE_USER_CONFIG => match v {
            Value::Map(mut m) => {
                m.remove("unused_account_validity_days");
                if m.get("invite_message_template")
                    .and_then(Value::as_map)
                    .is_some_and(BTreeMap::is_empty)
                {
                    m.remove("invite_message_template");
                }
                Value::Map(m)
            }
            other => other,
        },
        field::LAMBDA_CONFIG => match v {
            Value::Map(mut m) => {
                // AWS keeps the two halves of the pre-token trigger equal: the config's ARN is
                // the plain trigger.
                if let Some(arn) = m
                    .get("pre_token_generation_config")
                    .and_then(Value::as_map)
                    .and_then(|c| c.get("lambda_arn"))
                    .cloned()
                {
                    m.insert("pre_token_generation".into(), arn);
                }
                let plain = m.get("pre_token_generation").cloned();
                let redundant = m
                    .get("pre_token_generation_config")
                    .and_then(Value::as_map)
                    .is_some_and(|c| {
                        c.get("lambda_arn") == plain.as_ref()
                            && c.get("lambda_version")
                                .and_then(Value::as_str)
                                .unwrap_or("V1_0")
                                == "V1_0"
                    });
                if redundant {
                    m.remove("pre_token_generation_config");
                }
                Value::Map(m)
            }
            other => other,
        },
        field::ACCOUNT_RECOVERY => match v {
            Value::List(mut l) => {
                l.sort_by_key(|e| {
                    let m = e.as_map();
                    let prio = m
                        .and_then(|m| m.get("priority"))
                        .cloned()
                        .map(int_like)
                        .unwrap_or(Value::Null);
                    (prio, e.clone())
                });
                Value::List(
                    l.into_iter()
                        .map(|e| match e {
                            Value::Map(m) => {
                                Value::Map(m.into_iter().map(|(k, v)| (k, int_like(v))).collect())
                            }
                            other => other,
                        })
                        .collect(),
                )
            }
            other => other,
        },
        _ => v,
    }
}

/// One standard attribute of every user pool, at its AWS defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandardAttribute {
    pub name: &'static str,
    /// `String`, `Boolean` or `Number`.
    pub data_type: &'static str,
    pub required: bool,
    pub mutable: bool,
    /// String length constraints (min, max), for string attributes that have them.
    pub string: Option<(i64, i64)>,
    /// The minimum of a number attribute.
    pub number_min: Option<i64>,
}

const fn std_string(name: &'static str) -> StandardAttribute {
    StandardAttribute {
        name,
        data_type: "String",
        required: false,
        mutable: true,
        string: Some((0, 2048)),
        number_min: None,
    }
}

/// The standard attributes DescribeUserPool lists for every pool, at their AWS defaults (the
/// one list of them: the spec checks schema names against it, the planner fills defaults).
pub const STANDARD_ATTRIBUTES: [StandardAttribute; 21] = [
    StandardAttribute {
        name: "sub",
        data_type: "String",
        required: true,
        mutable: false,
        string: Some((1, 2048)),
        number_min: None,
    },
    std_string("name"),
    std_string("given_name"),
    std_string("family_name"),
    std_string("middle_name"),
    std_string("nickname"),
    std_string("preferred_username"),
    std_string("profile"),
    std_string("picture"),
    std_string("website"),
    std_string("email"),
    StandardAttribute {
        name: "email_verified",
        data_type: "Boolean",
        required: false,
        mutable: true,
        string: None,
        number_min: None,
    },
    std_string("gender"),
    StandardAttribute {
        name: "birthdate",
        data_type: "String",
        required: false,
        mutable: true,
        string: Some((10, 10)),
        number_min: None,
    },
    std_string("zoneinfo"),
    std_string("locale"),
    std_string("phone_number"),
    StandardAttribute {
        name: "phone_number_verified",
        data_type: "Boolean",
        required: false,
        mutable: true,
        string: None,
        number_min: None,
    },
    std_string("address"),
    StandardAttribute {
        name: "updated_at",
        data_type: "Number",
        required: false,
        mutable: true,
        string: None,
        number_min: Some(0),
    },
    StandardAttribute {
        name: "identities",
        data_type: "String",
        required: false,
        mutable: true,
        string: None,
        number_min: None,
    },
];

fn standard(name: &str) -> Option<&'static StandardAttribute> {
    STANDARD_ATTRIBUTES.iter().find(|s| s.name == name)
}

/// Whether `name` is one of the standard attributes of every user pool.
pub fn is_standard_attribute(name: &str) -> bool {
    standard(name).is_some()
}

fn constraints(min_key: &str, min: i64, max_key: &str, max: Option<i64>) -> Value {
    let mut m = BTreeMap::new();
    m.insert(min_key.to_string(), Value::Int(min));
    if let Some(max) = max {
        m.insert(max_key.to_string(), Value::Int(max));
    }
    Value::Map(m)
}

/// The full property map of a schema attribute at its defaults.
fn schema_defaults(name: &str, data_type: Option<&str>) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    let (dtype, required, mutable, string, number_min) = match standard(name) {
        Some(s) => (s.data_type, s.required, s.mutable, s.string, s.number_min),
        None => {
            let dtype = data_type.unwrap_or("String");
            let string = (dtype == "String").then_some((0, 2048));
            (dtype, false, true, string, None)
        }
    };
    m.insert("attribute_data_type".into(), Value::str(dtype));
    m.insert("required".into(), Value::Bool(required));
    m.insert("mutable".into(), Value::Bool(mutable));
    m.insert("developer_only".into(), Value::Bool(false));
    if let Some((min, max)) = string {
        m.insert(
            "string_constraints".into(),
            constraints("min_length", min, "max_length", Some(max)),
        );
    }
    if let Some(min) = number_min {
        m.insert(
            "number_constraints".into(),
            constraints("min_value", min, "max_value", None),
        );
    }
    m
}

fn canon_schema(v: Value) -> Value {
    let Value::Map(attrs) = v else { return v };
    let mut out = BTreeMap::new();
    for (name, props) in attrs {
        // AWS lists developer-only custom attributes as `dev:custom:NAME`; the spec says
        // `custom:NAME` with `developer_only: true`.
        let (name, props) = match name.strip_prefix("dev:") {
            Some(rest) => {
                let props = match props {
                    Value::Map(mut m) => {
                        m.insert("developer_only".into(), Value::Bool(true));
                        Value::Map(m)
                    }
                    other => other,
                };
                (rest.to_string(), props)
            }
            None => (name, props),
        };
        let Value::Map(props) = props else {
            out.insert(name, props);
            continue;
        };
        let mut props: BTreeMap<String, Value> = props
            .into_iter()
            .filter(|(k, _)| k != "name")
            .map(|(k, v)| match v {
                Value::Map(c) => {
                    let c: BTreeMap<String, Value> =
                        c.into_iter().map(|(k, v)| (k, int_like(v))).collect();
                    (k, Value::Map(c))
                }
                other => (k, other),
            })
            .collect();
        // An empty constraints map is the same as none given.
        props.retain(|_, v| v.as_map().is_none_or(|m| !m.is_empty()));
        let dtype = props
            .get("attribute_data_type")
            .and_then(Value::as_str)
            .map(str::to_string);
        let defaults = schema_defaults(&name, dtype.as_deref());
        for (k, d) in &defaults {
            match (props.get_mut(k), d) {
                (None, d) => {
                    props.insert(k.clone(), d.clone());
                }
                (Some(Value::Map(given)), Value::Map(dm)) => {
                    for (ck, cv) in dm {
                        given.entry(ck.clone()).or_insert_with(|| cv.clone());
                    }
                }
                _ => {}
            }
        }
        if standard(&name).is_some() && props == defaults {
            continue;
        }
        out.insert(name, Value::Map(props));
    }
    Value::Map(out)
}
