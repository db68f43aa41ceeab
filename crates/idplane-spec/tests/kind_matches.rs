//! No `match` on `Kind` in this crate has a catch-all arm, so that a new kind's to-do list here is
//! the compiler's error list. (`clippy::wildcard_enum_match_arm` would also flag the many
//! matches on YAML nodes and values, whose catch-all arms are deliberate; this test looks only
//! at matches with `Kind::` patterns.)

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("readable source directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("readable source");
            out.push((path.display().to_string(), text));
        }
    }
}

/// The text of each `match` block (from `match` to its closing brace).
fn match_blocks(text: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("match ") {
        let start = from + i;
        from = start + 6;
        let Some(open) = text[start..].find('{').map(|o| start + o) else {
            break;
        };
        let mut depth = 0;
        for (k, c) in text[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        blocks.push(&text[start..open + k + 1]);
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    blocks
}

fn has_kind_arm(block: &str) -> bool {
    block
        .lines()
        .any(|l| l.trim_start().starts_with("Kind::") && l.contains("=>"))
}

fn has_catch_all(block: &str) -> bool {
    block.lines().any(|l| {
        let t = l.trim_start();
        t.starts_with("_ =>") || t.starts_with("_ if ")
    })
}

#[test]
fn no_match_on_kind_has_a_catch_all_arm() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    assert!(files.len() > 10, "the crate's sources were found");
    let mut found = Vec::new();
    for (path, text) in &files {
        for block in match_blocks(text) {
            if has_kind_arm(block) && has_catch_all(block) {
                found.push(format!(
                    "{path}: {}",
                    block.lines().next().unwrap_or_default()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "matches on Kind with `_ =>`:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_a_catch_all_match_on_kind() {
    let text = "fn f(k: Kind) -> u8 {\n    match k {\n        Kind::UserPool => 1,\n        _ => 2,\n    }\n}\n";
    let blocks = match_blocks(text);
    assert_eq!(blocks.len(), 1);
    assert!(has_kind_arm(blocks[0]) && has_catch_all(blocks[0]));
    let exhaustive = "match k {\n    Kind::UserPool => 1,\n    Kind::UserPoolDomain => 2,\n}";
    assert!(!has_catch_all(match_blocks(exhaustive)[0]));
}
