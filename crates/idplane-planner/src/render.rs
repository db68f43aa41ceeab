//! Renderers of plans and drift reports: Terraform-like text, stable JSON, Markdown for
//! pull-request comments. Secrets show as `(sensitive)`, unknown values as `(known after apply)`.

use crate::drift::{DriftReport, DriftStatus};
use idplane_model::{Action, AttrDiff, Change, Plan, ReplaceOrder, Value};
use std::fmt::Write as _;

const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const MAGENTA: &str = "\x1b[35m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Values longer than this (or spanning lines, or documents) are shown as unified diffs.
const INLINE_WIDTH: usize = 72;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

fn action_color(action: Action) -> &'static str {
    match action {
        Action::Create => GREEN,
        Action::Update => YELLOW,
        Action::Adopt => CYAN,
        Action::Replace(_) => MAGENTA,
        Action::Delete => RED,
        Action::NoOp => DIM,
    }
}

fn action_words(action: Action) -> &'static str {
    match action {
        Action::NoOp => "no change",
        Action::Create => "create",
        Action::Update => "update in place",
        Action::Adopt => "adopt (add ownership tags only)",
        Action::Replace(ReplaceOrder::DeleteThenCreate) => "replace (delete, then create)",
        Action::Replace(ReplaceOrder::CreateThenDelete) => "replace (create, then delete)",
        Action::Delete => "destroy",
    }
}

/// A multi-line JSON-like rendering of a value: keys sorted, secrets `(sensitive)`, unknowns
/// `(known after apply)`, references `${address.output}`.
pub fn pretty(v: &Value) -> String {
    let mut out = String::new();
    pretty_into(v, 0, &mut out);
    out
}

#[allow(clippy::wildcard_enum_match_arm)] // on `Value`: scalars print as they are
fn pretty_into(v: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    let close = "  ".repeat(indent);
    match v {
        Value::List(l) if !l.is_empty() => {
            out.push_str("[\n");
            for (i, e) in l.iter().enumerate() {
                out.push_str(&pad);
                pretty_into(e, indent + 1, out);
                if i + 1 < l.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&close);
            out.push(']');
        }
        Value::Map(m) if !m.is_empty() => {
            out.push_str("{\n");
            for (i, (k, e)) in m.iter().enumerate() {
                let _ = write!(out, "{pad}{k:?}: ");
                pretty_into(e, indent + 1, out);
                if i + 1 < m.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&close);
            out.push('}');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// Whether a value is shown on one line.
fn is_short(v: &Value) -> bool {
    let one = v.to_string();
    !matches!(v, Value::Map(m) if m.len() > 1)
        && !one.contains("\\n")
        && one.chars().count() <= INLINE_WIDTH
}

fn indent_lines(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}\n"))
        .collect::<String>()
}

/// A unified diff of the pretty forms of two values.
fn value_diff(before: &Value, after: &Value) -> String {
    let b = text_of(before);
    let a = text_of(after);
    let diff = similar::TextDiff::from_lines(&b, &a);
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        let _ = write!(out, "{hunk}");
    }
    out
}

/// Long strings diff line by line on their own text; everything else on its pretty form.
#[allow(clippy::wildcard_enum_match_arm)] // on `Value`: every other value prints pretty
fn text_of(v: &Value) -> String {
    let mut s = match v {
        Value::Null => String::new(),
        Value::Str(s) => s.clone(),
        other => pretty(other),
    };
    if !s.is_empty() && !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// The body lines of one change (no colour codes when `style.color` is false).
fn change_body(c: &Change, style: &Style, out: &mut String) {
    let pad = "      ";
    match c.action {
        Action::Create => {
            if let Some(after) = &c.after {
                let width = after.keys().map(String::len).max().unwrap_or(0);
                for (k, v) in after {
                    attr_line(style, "+", GREEN, k, width, v, out);
                }
            }
        }
        Action::Delete => {
            if let Some(before) = &c.before {
                // Only what differs from AWS's defaults: the fields that identify the object.
                let defaults = idplane_model::normalize(c.kind, &idplane_model::Attrs::new());
                let shown: Vec<(&String, &Value)> = before
                    .iter()
                    .filter(|(k, v)| defaults.get(*k) != Some(*v))
                    .collect();
                let width = shown.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                for (k, v) in shown {
                    attr_line(style, "-", RED, k, width, v, out);
                }
            }
        }
        Action::Update | Action::Replace(_) => {
            for d in &c.diffs {
                diff_lines(style, d, out);
            }
        }
        // What is added is said by the reason (the ownership tags); no field changes.
        Action::Adopt | Action::NoOp => {}
    }
    for r in &c.reasons {
        let _ = writeln!(out, "{pad}{}", style.paint(DIM, &format!("# {r}")));
    }
}

fn attr_line(
    style: &Style,
    sign: &str,
    color: &str,
    key: &str,
    width: usize,
    v: &Value,
    out: &mut String,
) {
    let pad = "      ";
    if is_short(v) {
        let _ = writeln!(out, "{pad}{} {key:<width$} = {v}", style.paint(color, sign));
    } else {
        let body = pretty(v);
        let mut lines = body.lines();
        let first = lines.next().unwrap_or("");
        let _ = writeln!(
            out,
            "{pad}{} {key:<width$} = {first}",
            style.paint(color, sign)
        );
        for l in lines {
            let _ = writeln!(out, "{pad}  {:<width$}   {l}", "");
        }
    }
}

fn diff_lines(style: &Style, d: &AttrDiff, out: &mut String) {
    let pad = "      ";
    let forces = if d.forces_replace {
        style.paint(RED, " # forces replacement")
    } else {
        String::new()
    };
    let origin = match d.origin {
        idplane_model::DiffOrigin::Drift => style.paint(DIM, " # changed outside idplane"),
        idplane_model::DiffOrigin::Spec | idplane_model::DiffOrigin::Unknown => String::new(),
    };
    if d.before.is_null() {
        attr_line_suffix(style, "+", GREEN, &d.path, &d.after, &forces, out);
    } else if d.after.is_null() {
        attr_line_suffix(style, "-", RED, &d.path, &d.before, &forces, out);
    } else if let (Value::List(b), Value::List(a)) = (&d.before, &d.after)
        && list_delta(b, a).is_some()
    {
        // Lists (mostly sets): the elements that leave and arrive.
        let (gone, came) = list_delta(b, a).unwrap_or_default();
        let _ = writeln!(
            out,
            "{pad}{} {}:{forces}{origin}",
            style.paint(YELLOW, "~"),
            d.path
        );
        for v in gone {
            let _ = writeln!(out, "{pad}    {} {v}", style.paint(RED, "-"));
        }
        for v in came {
            let _ = writeln!(out, "{pad}    {} {v}", style.paint(GREEN, "+"));
        }
    } else if is_short(&d.before) && is_short(&d.after) {
        let _ = writeln!(
            out,
            "{pad}{} {}: {} -> {}{forces}{origin}",
            style.paint(YELLOW, "~"),
            d.path,
            d.before,
            d.after
        );
    } else {
        let _ = writeln!(
            out,
            "{pad}{} {}:{forces}{origin}",
            style.paint(YELLOW, "~"),
            d.path
        );
        for line in value_diff(&d.before, &d.after).lines() {
            let painted = match line.chars().next() {
                Some('+') => style.paint(GREEN, line),
                Some('-') => style.paint(RED, line),
                Some('@') => style.paint(DIM, line),
                _ => line.to_string(),
            };
            let _ = writeln!(out, "{pad}    {painted}");
        }
    }
}

/// Elements only in `before` and only in `after`, when there are any (an order-only change of
/// an ordered list has none: it is shown as before -> after instead).
fn list_delta<'a>(
    before: &'a [Value],
    after: &'a [Value],
) -> Option<(Vec<&'a Value>, Vec<&'a Value>)> {
    let gone: Vec<&Value> = before.iter().filter(|v| !after.contains(v)).collect();
    let came: Vec<&Value> = after.iter().filter(|v| !before.contains(v)).collect();
    (!gone.is_empty() || !came.is_empty()).then_some((gone, came))
}

fn attr_line_suffix(
    style: &Style,
    sign: &str,
    color: &str,
    path: &str,
    v: &Value,
    suffix: &str,
    out: &mut String,
) {
    let pad = "      ";
    if is_short(v) {
        let _ = writeln!(
            out,
            "{pad}{} {path} = {v}{suffix}",
            style.paint(color, sign)
        );
    } else {
        let _ = writeln!(out, "{pad}{} {path} ={suffix}", style.paint(color, sign));
        out.push_str(&indent_lines(&pretty(v), &format!("{pad}    ")));
    }
}

fn summary_line(plan: &Plan) -> String {
    let s = &plan.summary;
    let adopt = if s.adopt > 0 {
        format!(", {} to adopt", s.adopt)
    } else {
        String::new()
    };
    format!(
        "Plan: {} to add, {} to change, {} to replace, {} to destroy{adopt}.",
        s.add, s.change, s.replace, s.destroy
    )
}

/// Terraform-like text: one block per change (no-ops left out), attribute-level before -> after,
/// long values and documents as unified diffs, then the summary line. ANSI colour only when
/// `color` is true.
pub fn text(plan: &Plan, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "idplane plan for stack `{}` in {}",
        plan.stack, plan.region
    );
    out.push('\n');
    if !plan.has_changes() {
        let _ = writeln!(
            out,
            "No changes. Live state matches the spec ({} objects).",
            plan.summary.unchanged
        );
    }
    for c in plan.changes.iter().filter(|c| c.action != Action::NoOp) {
        let symbol = format!("{:>3}", c.action.symbol());
        let id = c
            .live_id
            .as_deref()
            .map(|id| format!(" [{id}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {} ({}){id}: {}",
            style.paint(action_color(c.action), &symbol),
            style.paint(BOLD, &c.address.to_string()),
            c.kind,
            action_words(c.action)
        );
        change_body(c, &style, &mut out);
        out.push('\n');
    }
    for w in &plan.warnings {
        let _ = writeln!(out, "{} {w}", style.paint(YELLOW, "Warning:"));
    }
    if !plan.warnings.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", style.paint(BOLD, &summary_line(plan)));
    out
}

/// The plan as pretty JSON, in the versioned format of `specs/plan-format.md` (the serialized
/// [`Plan`]; secrets appear as `{"$sensitive": true, "$source": source}`, never as text).
pub fn json(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(plan).expect("a plan always serializes");
    s.push('\n');
    s
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Text safe inside HTML elements (`<summary>`).
fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markdown for pull-request comments: the summary, a table of changes, and a collapsible
/// `<details>` block per changed object with its diff.
pub fn markdown(plan: &Plan) -> String {
    let style = Style { color: false };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### idplane plan: `{}` ({})\n",
        plan.stack, plan.region
    );
    let _ = writeln!(out, "**{}**\n", summary_line(plan));
    let changed: Vec<&Change> = plan
        .changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .collect();
    if changed.is_empty() {
        let _ = writeln!(out, "No changes.");
    } else {
        out.push_str("| | Address | Kind | Action |\n|---|---|---|---|\n");
        for c in &changed {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} |",
                c.action.symbol(),
                md_escape(&c.address.to_string()),
                c.kind,
                action_words(c.action)
            );
        }
        out.push('\n');
        for c in &changed {
            let _ = writeln!(
                out,
                "<details><summary><code>{} {}</code> ({}): {}</summary>\n",
                html_escape(c.action.symbol()),
                html_escape(&c.address.to_string()),
                c.kind,
                action_words(c.action)
            );
            let mut body = String::new();
            change_body(c, &style, &mut body);
            out.push_str("```diff\n");
            for line in body.lines() {
                // `diff` highlighting wants the sign in the first column.
                let trimmed = line.trim_start();
                let _ = writeln!(out, "{trimmed}");
            }
            out.push_str("```\n\n</details>\n\n");
        }
    }
    if !plan.warnings.is_empty() {
        out.push_str("**Warnings**\n\n");
        for w in &plan.warnings {
            let _ = writeln!(out, "- {}", md_escape(w));
        }
    }
    out
}

fn drift_words(s: DriftStatus) -> (&'static str, &'static str, &'static str) {
    match s {
        DriftStatus::Changed => ("~", YELLOW, "differs from the spec"),
        DriftStatus::Missing => ("+", GREEN, "missing live"),
        DriftStatus::Unmanaged => ("-", RED, "live but not in the spec"),
    }
}

fn drift_entry_body(e: &crate::drift::DriftEntry, style: &Style, out: &mut String) {
    for d in &e.diffs {
        diff_lines(style, d, out);
    }
}

/// Drift as text: one block per drifted object, then a summary line.
pub fn drift_text(report: &DriftReport, color: bool) -> String {
    let style = Style { color };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "idplane drift for stack `{}` in {}\n",
        report.stack, report.region
    );
    for e in &report.entries {
        let (sym, col, words) = drift_words(e.status);
        let id = e
            .live_id
            .as_deref()
            .map(|id| format!(" [{id}]"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {} ({}){id}: {words}",
            style.paint(col, sym),
            style.paint(BOLD, &e.address.to_string()),
            e.kind
        );
        drift_entry_body(e, &style, &mut out);
        out.push('\n');
    }
    for w in &report.warnings {
        let _ = writeln!(out, "{} {w}", style.paint(YELLOW, "Warning:"));
    }
    if !report.warnings.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", style.paint(BOLD, &drift_summary(report)));
    out
}

fn drift_summary(r: &DriftReport) -> String {
    if !r.has_drift() {
        return format!("No drift: {} objects match the spec.", r.in_sync);
    }
    let count = |s| r.entries.iter().filter(|e| e.status == s).count();
    format!(
        "Drift: {} changed, {} missing, {} unmanaged, {} in sync.",
        count(DriftStatus::Changed),
        count(DriftStatus::Missing),
        count(DriftStatus::Unmanaged),
        r.in_sync
    )
}

/// Drift as pretty JSON (same `format_version` as plans; see `specs/plan-format.md`).
pub fn drift_json(report: &DriftReport) -> String {
    let mut s = serde_json::to_string_pretty(report).expect("a drift report always serializes");
    s.push('\n');
    s
}

/// Drift as Markdown with a `<details>` block per drifted object.
pub fn drift_markdown(report: &DriftReport) -> String {
    let style = Style { color: false };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### idplane drift: `{}` ({})\n\n**{}**\n",
        report.stack,
        report.region,
        drift_summary(report)
    );
    for w in &report.warnings {
        let _ = writeln!(out, "> **Warning:** {}\n", html_escape(w));
    }
    for e in &report.entries {
        let (sym, _, words) = drift_words(e.status);
        let _ = writeln!(
            out,
            "<details><summary><code>{sym} {}</code> ({}): {words}</summary>\n",
            html_escape(&e.address.to_string()),
            e.kind
        );
        let mut body = String::new();
        drift_entry_body(e, &style, &mut body);
        out.push_str("```diff\n");
        for line in body.lines() {
            let _ = writeln!(out, "{}", line.trim_start());
        }
        out.push_str("```\n\n</details>\n\n");
    }
    out
}
