//! Text, JSON and Markdown forms of a verify [`Report`].

use crate::{Report, Status};
use std::fmt::Write as _;

fn counts(r: &Report) -> (usize, usize, usize) {
    let n = |s: Status| r.findings.iter().filter(|f| f.status == s).count();
    (n(Status::Pass), n(Status::Broken), n(Status::Skipped))
}

fn summary(r: &Report) -> String {
    let (pass, broken, skipped) = counts(r);
    if r.chains.is_empty() {
        return "Nothing to verify: no application of the spec has a JWT bearer grant.".into();
    }
    format!("Verify: {pass} links hold, {broken} broken, {skipped} skipped.")
}

/// Plain text, one line per link, with expected / actual / fix under a broken one.
pub fn text(r: &Report, color: bool) -> String {
    let (red, green, dim, reset) = if color {
        ("\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut out = String::new();
    let mut chain = None;
    for f in &r.findings {
        if chain != Some(&f.chain) {
            let sep = if chain.is_some() { "\n" } else { "" };
            let _ = writeln!(out, "{sep}chain {}", f.chain);
            chain = Some(&f.chain);
        }
        match f.status {
            Status::Pass => {
                let _ = writeln!(out, "  {green}pass{reset}    {:<34} {}", f.link, f.actual);
            }
            Status::Skipped => {
                let _ = writeln!(out, "  {dim}skipped {:<34} {}{reset}", f.link, f.actual);
            }
            Status::Broken => {
                let _ = writeln!(out, "  {red}BROKEN{reset}  {}", f.link);
                if !f.objects.is_empty() {
                    let _ = writeln!(out, "          objects:  {}", f.objects.join(", "));
                }
                let _ = writeln!(out, "          expected: {}", f.expected);
                let _ = writeln!(out, "          actual:   {}", f.actual);
                let _ = writeln!(out, "          fix:      {}", f.fix);
            }
        }
    }
    if !r.findings.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(r));
    out.push('\n');
    out
}

/// The report as JSON (`format_version`, `stack`, `region`, `chains`, `findings`, `summary`).
pub fn json(r: &Report) -> String {
    let (pass, broken, skipped) = counts(r);
    let mut v = serde_json::to_value(r).expect("a report serializes");
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "summary".into(),
            serde_json::json!({ "pass": pass, "broken": broken, "skipped": skipped }),
        );
    }
    let mut s = serde_json::to_string_pretty(&v).expect("JSON");
    s.push('\n');
    s
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown: a table per chain, for a pull-request or issue comment.
pub fn markdown(r: &Report) -> String {
    let mut out = format!("### idplane verify: `{}`\n\n{}\n", r.stack, summary(r));
    let mut chain = None;
    for f in &r.findings {
        if chain != Some(&f.chain) {
            let _ = write!(
                out,
                "\n#### `{}`\n\n| link | status | objects | expected | actual | fix |\n|---|---|---|---|---|---|\n",
                f.chain
            );
            chain = Some(&f.chain);
        }
        let status = match f.status {
            Status::Pass => "pass",
            Status::Broken => "**broken**",
            Status::Skipped => "skipped",
        };
        let _ = writeln!(
            out,
            "| `{}` | {status} | {} | {} | {} | {} |",
            f.link,
            cell(&f.objects.join(", ")),
            cell(&f.expected),
            cell(&f.actual),
            cell(&f.fix)
        );
    }
    out
}
