//! Diagnostics: located problems with a code, a hint, and their rustc-like rendering.

use std::fmt::Write as _;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a spec, located at `file:line:col`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code such as `E003` (errors) or `W001` (warnings); see `specs/reference.md`.
    pub code: &'static str,
    pub message: String,
    pub file: String,
    /// 1-based; 0 when the problem has no position (e.g. a file that cannot be read).
    pub line: usize,
    pub col: usize,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The texts of the loaded files, by the name diagnostics use.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Vec<(String, String)>,
}

impl Sources {
    pub(crate) fn add(&mut self, name: String, text: String) -> usize {
        self.files.push((name, text));
        self.files.len() - 1
    }

    pub(crate) fn name(&self, id: usize) -> &str {
        self.files
            .get(id)
            .map(|f| f.0.as_str())
            .unwrap_or("<unknown>")
    }

    /// The text of a file by name.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
    }

    /// The names of the files, in load order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(n, _)| n.as_str())
    }
}

/// Length of the token starting at a column (1-based, in characters), at least 1.
fn token_len(line: &str, col: usize) -> usize {
    let chars: Vec<char> = line.chars().skip(col.saturating_sub(1)).collect();
    let Some(&first) = chars.first() else {
        return 1;
    };
    if first == '"' || first == '\'' {
        let end = chars[1..].iter().position(|&c| c == first);
        return end.map(|e| e + 2).unwrap_or(chars.len()).max(1);
    }
    let mut n = 0;
    for (i, &c) in chars.iter().enumerate() {
        let next_is_space = chars.get(i + 1).is_none_or(|c| c.is_whitespace());
        if c.is_whitespace() || c == ',' || c == ']' || c == '}' || (c == ':' && next_is_space) {
            break;
        }
        n += 1;
    }
    n.max(1)
}

/// How many diagnostics are printed at most; the rest are counted (the first ones usually
/// explain the others, and a huge list helps nobody).
pub const MAX_SHOWN: usize = 100;

/// A secret written inline: where it is and its text, masked wherever it would be shown.
struct InlineSecret<'a> {
    file: &'a str,
    line: usize,
    /// 0-based character range on the line.
    chars: std::ops::Range<usize>,
    text: String,
}

/// Renders diagnostics like rustc: `error[E003]: message`, `--> file:line:col`, the source line
/// with a caret under the culprit, and the hint. Errors and warnings appear in the given order
/// (the first [`MAX_SHOWN`]), followed by a summary line. A secret written inline (E014) is
/// masked in every diagnostic that would show it. Linear in the number of diagnostics and the
/// size of the files.
pub fn render_diagnostics(diags: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let (red, yellow, blue, bold, reset) = if color {
        ("\x1b[31m", "\x1b[33m", "\x1b[34m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    // Each file's lines, split once.
    let mut lines: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for d in diags.iter().filter(|d| d.line > 0) {
        if !lines.contains_key(d.file.as_str()) {
            let split = sources
                .text(&d.file)
                .map(|t| t.lines().collect())
                .unwrap_or_default();
            lines.insert(d.file.as_str(), split);
        }
    }
    let line_of = |d: &Diagnostic| -> Option<&str> {
        (d.line > 0)
            .then(|| lines.get(d.file.as_str())?.get(d.line - 1).copied())
            .flatten()
    };
    let secrets: Vec<InlineSecret> = diags
        .iter()
        .filter(|d| d.code == crate::codes::INLINE_SECRET)
        .filter_map(|d| {
            let text = line_of(d)?;
            let start = d.col.max(1) - 1;
            let len = token_len(text, d.col.max(1));
            Some(InlineSecret {
                file: d.file.as_str(),
                line: d.line,
                chars: start..start + len,
                text: text.chars().skip(start).take(len).collect(),
            })
        })
        .collect();
    let mask_text = |t: &str| -> String {
        let mut t = t.to_string();
        for s in secrets.iter().filter(|s| s.text.chars().count() >= 4) {
            if t.contains(&s.text) {
                t = t.replace(&s.text, "****");
            }
        }
        t
    };
    let mut out = String::new();
    for d in diags.iter().take(MAX_SHOWN) {
        let (label, c) = match d.severity {
            Severity::Error => ("error", red),
            Severity::Warning => ("warning", yellow),
        };
        let _ = writeln!(
            out,
            "{bold}{c}{label}[{}]{reset}{bold}: {}{reset}",
            d.code,
            mask_text(&d.message)
        );
        let gutter = " ".repeat(d.line.max(1).to_string().len());
        if d.line > 0 {
            let _ = writeln!(
                out,
                "{gutter}{blue}-->{reset} {}:{}:{}",
                d.file, d.line, d.col
            );
        } else {
            let _ = writeln!(out, "{gutter}{blue}-->{reset} {}", d.file);
        }
        if let Some(text) = line_of(d) {
            let col = d.col.max(1);
            let width = token_len(text, col).min(80);
            // Never echo a secret written inline: mask it on every diagnostic of its line.
            let hidden: Vec<&std::ops::Range<usize>> = secrets
                .iter()
                .filter(|s| s.file == d.file && s.line == d.line)
                .map(|s| &s.chars)
                .collect();
            let shown: String = text
                .chars()
                .take(160)
                .enumerate()
                .map(|(i, ch)| {
                    if hidden.iter().any(|r| r.contains(&i)) {
                        '*'
                    } else {
                        ch
                    }
                })
                .collect();
            let pad: String = text
                .chars()
                .take(col - 1)
                .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{gutter} {blue}|{reset}");
            let _ = writeln!(out, "{blue}{}{reset} {blue}|{reset} {shown}", d.line);
            let _ = writeln!(
                out,
                "{gutter} {blue}|{reset} {pad}{c}{}{reset}",
                "^".repeat(width)
            );
        }
        if let Some(hint) = &d.hint {
            let _ = writeln!(
                out,
                "{gutter} {blue}={reset} {bold}hint{reset}: {}",
                mask_text(hint)
            );
        }
        out.push('\n');
    }
    if diags.len() > MAX_SHOWN {
        let _ = writeln!(
            out,
            "... and {} more not shown (the first {MAX_SHOWN} are above; fixing them often fixes the rest)",
            diags.len() - MAX_SHOWN
        );
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 || warnings > 0 {
        let _ = writeln!(
            out,
            "{}",
            match (errors, warnings) {
                (0, w) => format!("{w} warning(s)"),
                (e, 0) => format!("{e} error(s)"),
                (e, w) => format!("{e} error(s), {w} warning(s)"),
            }
        );
    }
    out
}

/// Levenshtein distance (for "did you mean").
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate to `word`, if close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("nmae", ["name", "id"]), Some("name"));
        assert_eq!(did_you_mean("zzzzzz", ["name", "id"]), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn caret_spans_the_token() {
        assert_eq!(token_len("  nmae: x", 3), 4);
        assert_eq!(token_len("  a: \"b c\"", 6), 5);
    }
}
