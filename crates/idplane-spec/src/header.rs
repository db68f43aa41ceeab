//! The header of a stack directory (`stack`, `region`, `account`) read without loading the
//! stack: for finding stacks and listing them (`idplane stacks`), where variables may be unset.

use crate::yaml::{self, NodeValue};
use std::path::{Path, PathBuf};

/// What a stack directory's files say at the top level (the first file that sets a key wins;
/// `validate` reports files that disagree).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct StackHeader {
    pub stack: Option<String>,
    pub region: Option<String>,
    pub accounts: Vec<String>,
}

/// The `*.yaml` / `*.yml` files directly inside `dir`, sorted by name.
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|f| f.is_file() && crate::is_yaml(f))
        .collect();
    files.sort();
    files
}

/// The header of the stack whose files are directly inside `dir`; files that cannot be read or
/// parsed are skipped (loading the stack reports them).
pub fn read_header(dir: &Path) -> StackHeader {
    let mut h = StackHeader::default();
    for f in yaml_files(dir) {
        let Ok(text) = idplane_model::files::read_text(&f, yaml::MAX_FILE_BYTES as u64) else {
            continue;
        };
        let Ok(root) = yaml::parse(&text, 0) else {
            continue;
        };
        let text_of = |key: &str| root.get(key).and_then(|n| n.as_str()).map(str::to_string);
        if h.stack.is_none() {
            h.stack = text_of("stack");
        }
        if h.region.is_none() {
            h.region = text_of("region");
        }
        if h.accounts.is_empty()
            && let Some(n) = root.get("account")
        {
            h.accounts = match &n.value {
                NodeValue::Seq(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
                _ => n.as_str().map(str::to_string).into_iter().collect(),
            };
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_file_that_sets_a_key_wins_and_broken_files_are_skipped() {
        let dir = std::env::temp_dir().join(format!("idplane-header-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.yaml"), "version: 1\nstack: s1\n").unwrap();
        std::fs::write(
            dir.join("b.yml"),
            "region: eu-west-1\naccount: [\"111111111111\"]\n",
        )
        .unwrap();
        std::fs::write(dir.join("c.yaml"), "stack: [unclosed\n").unwrap();
        std::fs::write(dir.join("d.txt"), "stack: ignored\n").unwrap();
        let h = read_header(&dir);
        assert_eq!(h.stack.as_deref(), Some("s1"));
        assert_eq!(h.region.as_deref(), Some("eu-west-1"));
        assert_eq!(h.accounts, vec!["111111111111".to_string()]);
        let none = read_header(&dir.join("missing"));
        assert_eq!(none, StackHeader::default());
    }
}
