//! The idplane spec language: YAML loading with spans, variables, references, secrets, validation
//! and lowering to the desired state.
//!
//! [`load`] reads one or more YAML files (or directories of `*.yaml` / `*.yml`, sorted), merges
//! them into one stack, substitutes `${var.NAME}`, checks the structure against the JSON Schema
//! of [`ast::Stack`], lowers to [`idplane_model::Desired`] and runs the semantic rules. It reports
//! every problem at once as [`Diagnostic`]s and never calls AWS.

pub mod ast;
mod check;
pub mod diag;
pub mod export;
pub mod header;
pub mod limits;
mod lower;
mod merge;
mod rename;
mod rules;
pub mod sp_metadata;
pub mod terraform;
mod vars;
pub mod yaml;

pub use ast::json_schema;
pub use diag::{Diagnostic, MAX_SHOWN, Severity, Sources, render_diagnostics};

use idplane_model::Desired;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yaml::{Node, NodeValue, Pos};

/// Diagnostic codes. Each rule has its own; `specs/reference.md` lists them.
pub mod codes {
    pub const YAML: &str = "E001";
    pub const IO: &str = "E002";
    pub const UNKNOWN_KEY: &str = "E003";
    pub const WRONG_TYPE: &str = "E004";
    pub const MISSING_KEY: &str = "E005";
    pub const BAD_VALUE: &str = "E006";
    pub const VERSION: &str = "E007";
    pub const DUPLICATE_NAME: &str = "E008";
    pub const UNKNOWN_VAR: &str = "E009";
    pub const DANGLING_REF: &str = "E010";
    pub const CYCLE: &str = "E011";
    pub const PARTIAL_REF: &str = "E012";
    pub const UNKNOWN_OUTPUT: &str = "E013";
    pub const INLINE_SECRET: &str = "E014";
    pub const SECRET_UNREADABLE: &str = "E015";
    pub const ALIAS_AND_USERNAME: &str = "E016";
    pub const INSECURE_URL: &str = "E017";
    pub const UNKNOWN_SCOPE: &str = "E018";
    pub const UNKNOWN_IDP: &str = "E019";
    pub const FLOW_WITHOUT_CALLBACK: &str = "E020";
    pub const TTI_CLAIM_PATH: &str = "E021";
    pub const TTI_STORE_PATH: &str = "E022";
    pub const AUDIENCE_NOT_CLIENT: &str = "E023";
    pub const TTI_ISSUER: &str = "E024";
    pub const TOO_MANY_TTIS: &str = "E025";
    pub const TOO_MANY_SCOPES: &str = "E026";
    pub const NO_ASSIGNMENTS: &str = "E027";
    pub const SAML_METADATA: &str = "E028";
    pub const CROSS_POOL_CLIENT: &str = "E029";
    pub const IDP_PROTOCOL: &str = "E030";
    pub const DOMAIN: &str = "E031";
    pub const DURATION: &str = "E032";
    pub const STACK_HEADER: &str = "E033";
    pub const DUPLICATE_ITEM: &str = "E034";
    pub const BAD_ARN: &str = "E035";
    pub const METADATA_FILE: &str = "E036";
    pub const SCHEMA_ATTRIBUTE: &str = "E037";
    pub const CLIENT_CREDENTIALS: &str = "E038";
    pub const DEFAULT_REDIRECT: &str = "E039";
    pub const REFERENCED_APP: &str = "E040";
    pub const DUPLICATE_KEY: &str = "E043";
    pub const OIDC_SCOPES: &str = "E044";
    pub const UNMAPPED_REQUIRED: &str = "E045";
    pub const PASSWORD_POLICY: &str = "E047";
    pub const IDP_NAME: &str = "E048";
    pub const GRANT_ISSUER: &str = "E049";
    pub const OPENID_REQUIRED: &str = "E050";
    pub const MFA: &str = "E051";
    pub const EMAIL_CONFIG: &str = "E052";
    pub const ACTOR_POLICY: &str = "E053";
    pub const VAR_FILE: &str = "E054";
    pub const INSTANCE: &str = "E055";
    pub const EMPTY_STACK: &str = "E056";
    pub const ROLE_MAPPING: &str = "E057";
    pub const UNKNOWN_ATTRIBUTE: &str = "E058";
    pub const LIMIT: &str = "E059";
    pub const ACCOUNT: &str = "E060";
    pub const ASSUME_ROLE: &str = "E061";
    pub const SECRET_NOT_SET: &str = "W001";
    pub const DEFAULT_ASSIGNMENT_REQUIRED: &str = "W002";
    pub const UNUSED_VAR: &str = "W003";
}

/// A problem before it is given a file name.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Issue {
    pub severity: Severity,
    pub code: &'static str,
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
}

impl Issue {
    pub(crate) fn new(
        code: &'static str,
        pos: Pos,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Self {
        Issue {
            severity: if code.starts_with('W') {
                Severity::Warning
            } else {
                Severity::Error
            },
            code,
            pos,
            message: message.into(),
            hint,
        }
    }
}

/// How to load a stack.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// `--var k=v` values (override var files and defaults).
    pub vars: BTreeMap<String, String>,
    /// `--var-file` YAML maps `name: value`, applied in order.
    pub var_files: Vec<PathBuf>,
    /// Read secrets from their sources (`plan`, `apply`). When false (`validate`), a secret whose
    /// source cannot be read is a warning and lowers to a placeholder.
    pub resolve_secrets: bool,
}

/// The result of loading: the desired state when there is no error, and every diagnostic.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub desired: Option<Desired>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// One parsed input file.
pub(crate) struct Input {
    pub file: usize,
    /// The directory relative paths in the file resolve against (`metadata_file`).
    pub dir: Option<PathBuf>,
    pub root: Node,
}

fn is_yaml(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    )
}

/// Loads a stack from files and directories (`*.yaml` / `*.yml` inside, sorted by name).
pub fn load(paths: &[PathBuf], opts: &LoadOptions) -> Loaded {
    let mut sources = Sources::default();
    let mut issues = Vec::new();
    let mut inputs = Vec::new();
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    let mut found: Vec<PathBuf> = rd
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|f| f.is_file() && is_yaml(f))
                        .collect();
                    found.sort();
                    if found.is_empty() {
                        let id = sources.add(p.display().to_string(), String::new());
                        issues.push(Issue::new(
                            codes::IO,
                            Pos {
                                file: id,
                                line: 0,
                                col: 0,
                            },
                            "the directory holds no `*.yaml` or `*.yml` file",
                            None,
                        ));
                    }
                    files.extend(found);
                }
                Err(e) => {
                    let id = sources.add(p.display().to_string(), String::new());
                    issues.push(Issue::new(
                        codes::IO,
                        Pos {
                            file: id,
                            line: 0,
                            col: 0,
                        },
                        format!("cannot read directory: {e}"),
                        None,
                    ));
                }
            }
        } else {
            files.push(p.clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    for f in files {
        let name = f.display().to_string();
        let text = idplane_model::files::read_text(&f, yaml::MAX_FILE_BYTES as u64)
            .map_err(|e| format!("cannot read file: {e}"));
        match text {
            Ok(text) => {
                let id = sources.add(name, text);
                let dir = f.parent().map(Path::to_path_buf);
                parse_input(&mut sources, id, dir, &mut inputs, &mut issues);
            }
            Err(message) => {
                let id = sources.add(name, String::new());
                issues.push(Issue::new(
                    codes::IO,
                    Pos {
                        file: id,
                        line: 0,
                        col: 0,
                    },
                    message,
                    None,
                ));
            }
        }
    }
    finish(inputs, issues, sources, opts)
}

/// Loads a stack from one text (for tests and tools); `name` is the file name diagnostics show.
pub fn load_str(name: &str, text: &str, opts: &LoadOptions) -> Loaded {
    let mut sources = Sources::default();
    let mut issues = Vec::new();
    let mut inputs = Vec::new();
    let id = sources.add(name.to_string(), text.to_string());
    let dir = Path::new(name).parent().map(Path::to_path_buf);
    parse_input(&mut sources, id, dir, &mut inputs, &mut issues);
    finish(inputs, issues, sources, opts)
}

fn parse_input(
    sources: &mut Sources,
    id: usize,
    dir: Option<PathBuf>,
    inputs: &mut Vec<Input>,
    issues: &mut Vec<Issue>,
) {
    let text = sources.text(sources.name(id)).unwrap_or("").to_string();
    match yaml::parse(&text, id) {
        Ok(root) => match root.value {
            NodeValue::Map(_) => inputs.push(Input {
                file: id,
                dir,
                root,
            }),
            NodeValue::Null => issues.push(Issue::new(
                codes::EMPTY_STACK,
                Pos {
                    file: id,
                    line: 1,
                    col: 1,
                },
                "the file is empty",
                Some(
                    "a stack file starts with `version: 1`, `stack: NAME` and `region: REGION`"
                        .into(),
                ),
            )),
            _ => issues.push(Issue::new(
                codes::WRONG_TYPE,
                root.pos,
                "a stack file must be a mapping of keys such as `version`, `stack`, `user_pools`",
                None,
            )),
        },
        Err(e) => issues.push(Issue::new(
            codes::YAML,
            e.pos,
            format!("invalid YAML: {}", e.message),
            Some(yaml_hint(&e.message)),
        )),
    }
}

fn yaml_hint(message: &str) -> String {
    if message.contains("budget") || message.contains("recursion") || message.contains("limit") {
        "the document is too large or too deeply nested (anchors/aliases expand too much); \
         write it out plainly"
            .into()
    } else if message.contains("duplicate") {
        "each key may appear once per mapping".into()
    } else if message.contains("multiple YAML documents") {
        "put one document per file (no `---` separators); split stacks into several files".into()
    } else if message.contains("recursive") {
        "an alias may not refer to the node that contains it".into()
    } else {
        "check indentation, colons and brackets around this position".into()
    }
}

fn finish(
    inputs: Vec<Input>,
    mut issues: Vec<Issue>,
    mut sources: Sources,
    opts: &LoadOptions,
) -> Loaded {
    let merged = merge::merge(&inputs, &sources, &mut issues);
    let mut root = merged;
    let values = vars::collect(&root, opts, &mut sources, &mut issues);
    vars::substitute(&mut root, &values, &mut issues);
    let schema: serde_json::Value =
        serde_json::from_str(&json_schema()).expect("the schema is valid JSON");
    check::Checker::new(&schema).check(&root, &schema, "", &mut issues);
    let dirs: Vec<Option<PathBuf>> = {
        let mut d = vec![None; sources.names().count()];
        for i in &inputs {
            d[i.file] = i.dir.clone();
        }
        d
    };
    let desired = lower::lower(
        &root,
        !inputs.is_empty(),
        &dirs,
        &sources,
        opts,
        &mut issues,
    );
    limits::check(&root, &mut issues);
    issues.sort_by(|a, b| {
        (a.pos.file, a.pos.line, a.pos.col, a.code)
            .cmp(&(b.pos.file, b.pos.line, b.pos.col, b.code))
    });
    issues.dedup();
    let diagnostics: Vec<Diagnostic> = issues
        .into_iter()
        .map(|i| Diagnostic {
            severity: i.severity,
            code: i.code,
            message: i.message,
            file: sources.name(i.pos.file).to_string(),
            line: i.pos.line,
            col: i.pos.col,
            hint: i.hint,
        })
        .collect();
    let ok = !diagnostics.iter().any(Diagnostic::is_error);
    Loaded {
        desired: if ok { desired } else { None },
        diagnostics,
        sources,
    }
}
