//! The fleet files beside the code, checked without Docker, GitHub or a cluster: a lint of the
//! `Dockerfile`'s stages, the structure of the GitHub Actions matrix workflow
//! (`examples/ci/idplane.yml`), the Kubernetes CronJob manifests (`examples/kubernetes/`), and
//! `scripts/container.sh` where Docker is missing. Each lint is also run on broken copies, so
//! every check is known to be able to fail.

use crate::offline::tempdir;
use crate::support::{Env, root};
use serde_json::Value;
use std::collections::BTreeSet;

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("valid YAML")
}

fn yaml_docs(text: &str) -> Vec<Value> {
    serde_saphyr::from_multiple(text).expect("valid YAML documents")
}

fn s<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

/// One instruction: its keyword (upper case) and the rest of its (joined) lines.
#[derive(Debug)]
struct Instr {
    keyword: String,
    args: String,
}

/// Instructions grouped by stage (each `FROM` starts one); comments and blank lines dropped,
/// backslash continuations joined.
fn dockerfile_stages(text: &str) -> Vec<Vec<Instr>> {
    let mut stages: Vec<Vec<Instr>> = Vec::new();
    let mut current = String::new();
    let mut logical = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        // Comment lines (parser directives included) and blank lines, also inside a
        // continuation, are not part of any instruction.
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if let Some(body) = trimmed.strip_suffix('\\') {
            current.push_str(body);
            current.push(' ');
            continue;
        }
        current.push_str(trimmed);
        logical.push(std::mem::take(&mut current));
    }
    if !current.is_empty() {
        logical.push(current);
    }
    for l in logical {
        let (kw, args) = l.split_once(char::is_whitespace).unwrap_or((&l, ""));
        let instr = Instr {
            keyword: kw.to_ascii_uppercase(),
            args: args.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        if instr.keyword == "FROM" || stages.is_empty() {
            stages.push(Vec::new());
        }
        stages.last_mut().expect("a stage").push(instr);
    }
    stages
}

/// Every problem of the Dockerfile against the image's rules (empty: fine).
fn lint_dockerfile(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let stages = dockerfile_stages(text);
    let from: Vec<(String, Option<String>)> = stages
        .iter()
        .filter_map(|st| st.first().filter(|i| i.keyword == "FROM"))
        .map(|i| {
            let words: Vec<&str> = i
                .args
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            let name = match words.as_slice() {
                [_, kw, name] if kw.eq_ignore_ascii_case("as") => Some(name.to_string()),
                _ => None,
            };
            (words.first().unwrap_or(&"").to_string(), name)
        })
        .collect();
    if from.len() != stages.len() || from.len() < 2 {
        problems.push(format!(
            "needs at least two stages, each starting with FROM (found {} FROM in {} stages)",
            from.len(),
            stages.len()
        ));
        return problems;
    }
    let last = stages.last().expect("stages");
    let base = &from.last().expect("from").0;
    if !(base == "scratch" || base.starts_with("gcr.io/distroless/static")) {
        problems.push(format!(
            "the final stage's base is {base}, not scratch or distroless static"
        ));
    }
    let user = last.iter().rev().find(|i| i.keyword == "USER");
    match user.map(|u| u.args.as_str()) {
        None => problems.push("the final stage sets no USER".into()),
        Some(u) => {
            let numeric = |x: &str| !x.is_empty() && x.bytes().all(|b| b.is_ascii_digit());
            let (uid, gid) = u.split_once(':').unwrap_or((u, "1"));
            if !numeric(uid) || !numeric(gid) || uid.trim_start_matches('0').is_empty() {
                problems.push(format!("USER {u} is not a numeric non-root uid[:gid]"));
            }
        }
    }
    if last.iter().any(|i| i.keyword == "RUN") {
        problems.push("the final stage has a RUN (it needs a shell)".into());
    }
    // COPY --from=<earlier stage> .../idplane
    let copy = last.iter().find_map(|i| {
        let rest = i.args.strip_prefix("--from=")?;
        let (stage, paths) = rest.split_once(' ')?;
        (i.keyword == "COPY" && paths.split(' ').next()?.ends_with("/idplane"))
            .then(|| stage.to_string())
    });
    let build_stage = match copy {
        None => {
            problems.push("the final stage does not COPY --from= the idplane binary".into());
            None
        }
        Some(stage) => {
            let found = from[..from.len() - 1]
                .iter()
                .enumerate()
                .position(|(n, (_, name))| {
                    n.to_string() == stage || name.as_deref() == Some(&stage)
                });
            if found.is_none() {
                problems.push(format!("COPY --from={stage} names no earlier stage"));
            }
            found.map(|n| &stages[n])
        }
    };
    let entry = last.iter().rev().find(|i| i.keyword == "ENTRYPOINT");
    match entry.map(|e| serde_json::from_str::<Vec<String>>(&e.args)) {
        None => problems.push("no ENTRYPOINT in the final stage".into()),
        Some(Err(_)) => problems.push("ENTRYPOINT is not in exec (JSON array) form".into()),
        Some(Ok(argv)) if argv.first().is_none_or(|a| !a.ends_with("idplane")) => {
            problems.push(format!("ENTRYPOINT {argv:?} does not run idplane"))
        }
        Some(Ok(_)) => {}
    }
    if let Some(build) = build_stage {
        let builds = build.iter().any(|i| {
            let words: Vec<&str> = i.args.split(' ').collect();
            i.keyword == "RUN"
                && words.windows(2).any(|w| w == ["cargo", "build"])
                && words.contains(&"--locked")
                && words
                    .windows(2)
                    .any(|w| matches!(w[0], "-p" | "--package") && w[1] == "idplane-cli")
        });
        if !builds {
            problems
                .push("the build stage has no `RUN cargo build --locked -p idplane-cli`".into());
        }
        if !build
            .iter()
            .any(|i| i.keyword == "ARG" && i.args.starts_with("IDPLANE_BUILD_COMMIT"))
        {
            problems.push("the build stage takes no IDPLANE_BUILD_COMMIT build arg".into());
        }
    }
    problems
}

#[test]
fn the_dockerfile_builds_a_static_non_root_image_without_a_shell() {
    let text = read("Dockerfile");
    assert_eq!(lint_dockerfile(&text), Vec::<String>::new());
    assert!(
        read(".dockerignore").lines().any(|l| l.trim() == "target"),
        ".dockerignore keeps target/ out of the build context"
    );
}

#[test]
fn each_dockerfile_check_can_fail() {
    let text = read("Dockerfile");
    let broken = |from: &str, to: &str| {
        assert!(text.contains(from), "the Dockerfile has `{from}`");
        lint_dockerfile(&text.replacen(from, to, 1)).join("\n")
    };
    let last_from = "FROM gcr.io/distroless/static-debian12:nonroot";
    let cases = [
        (
            broken(last_from, "FROM debian:12-slim"),
            "not scratch or distroless",
        ),
        (broken("USER 65532:65532", "USER nonroot"), "not a numeric"),
        (broken("USER 65532:65532", "USER 0:0"), "not a numeric"),
        (broken("USER 65532:65532", ""), "sets no USER"),
        (
            broken(
                "COPY --from=build",
                "RUN chmod 755 /idplane\nCOPY --from=build",
            ),
            "has a RUN",
        ),
        (
            broken("COPY --from=build", "COPY --from=builder"),
            "names no earlier stage",
        ),
        (
            broken("COPY --from=build /out/idplane", "COPY /out/idplane"),
            "does not COPY --from=",
        ),
        (
            broken(r#"ENTRYPOINT ["/idplane"]"#, "ENTRYPOINT /idplane"),
            "not in exec",
        ),
        (
            broken("cargo build --release --locked", "cargo build --release"),
            "no `RUN cargo build --locked",
        ),
        (
            broken("-p idplane-cli", "-p idplane-model"),
            "no `RUN cargo build --locked",
        ),
        (
            broken("ARG IDPLANE_BUILD_COMMIT", "ARG OTHER"),
            "no IDPLANE_BUILD_COMMIT",
        ),
        (
            lint_dockerfile(&text[text.find(last_from).unwrap()..]).join("\n"),
            "at least two stages",
        ),
    ];
    for (problems, want) in cases {
        assert!(problems.contains(want), "want `{want}` in: {problems}");
    }
}

#[test]
fn container_script_says_when_docker_is_not_available() {
    let out = std::process::Command::new("bash")
        .arg(root().join("scripts/container.sh"))
        .env("DOCKER", "/nonexistent/docker")
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is not installed: the image cannot be built"),
        "{stderr}"
    );
    let script = read("scripts/container.sh");
    assert!(
        script.contains("build --build-arg \"IDPLANE_BUILD_COMMIT=$commit\""),
        "the commit reaches the image"
    );
}

// ---------------------------------------------------------------------------------------------
// GitHub Actions workflow

const WORKFLOW: &str = "examples/ci/idplane.yml";

/// The `run:` scripts of a job's steps, joined.
fn runs(job: &Value) -> String {
    job["steps"]
        .as_array()
        .map(|steps| {
            steps
                .iter()
                .filter_map(|st| st["run"].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

fn uses(job: &Value, action: &str) -> Option<Value> {
    job["steps"].as_array()?.iter().find_map(|st| {
        st["uses"]
            .as_str()
            .is_some_and(|u| u.starts_with(&format!("{action}@")))
            .then(|| st.clone())
    })
}

/// Every problem of the workflow against the fleet's rules (empty: fine).
fn lint_workflow(wf: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let on = &wf["on"];
    for event in ["pull_request", "push", "schedule"] {
        if on.get(event).is_none() {
            p.push(format!("not triggered by {event}"));
        }
    }
    if !on["push"]["branches"]
        .as_array()
        .is_some_and(|b| b.iter().any(|b| b == "main"))
    {
        p.push("push does not name main".into());
    }
    if wf["permissions"].get("id-token").is_some() {
        p.push("id-token is granted to every job, not only to those reaching AWS".into());
    }
    let image = s(wf, "/env/IDPLANE_IMAGE");
    let (repo, tag) = image.rsplit_once(':').unwrap_or((image, ""));
    if repo.is_empty() || tag.is_empty() || tag == "latest" {
        p.push(format!(
            "IDPLANE_IMAGE `{image}` is not an image with a pinned tag"
        ));
    }
    let stacks = &wf["jobs"]["stacks"];
    let list = runs(stacks);
    let from_image = list.contains("docker run") && list.contains("\"$IDPLANE_IMAGE\"");
    if !(from_image && list.contains("stacks \"$STACKS_DIR\" --format json")) {
        p.push(
            "the stacks job does not run `idplane stacks DIR --format json` from the image".into(),
        );
    }
    let output = s(stacks, "/outputs/matrix");
    let step_id = output
        .strip_prefix("${{ steps.")
        .and_then(|r| r.strip_suffix(".outputs.matrix }}"));
    let has_step = step_id.is_some_and(|id| {
        stacks["steps"]
            .as_array()
            .is_some_and(|st| st.iter().any(|st| st["id"] == id))
    });
    if !has_step || !list.contains("matrix=") || !list.contains("$GITHUB_OUTPUT") {
        p.push("the stacks job does not output `matrix` from its step".into());
    }
    let jobs = [
        ("plan", "pull_request", "plan \"$STACK_PATH\""),
        ("apply", "push", "apply \"$STACK_PATH\" --auto-approve"),
        ("drift", "schedule", "drift \"$STACK_PATH\""),
    ];
    for (name, event, command) in jobs {
        let job = &wf["jobs"][name];
        if job.is_null() {
            p.push(format!("no {name} job"));
            continue;
        }
        if !s(job, "/if").contains(&format!("'{event}'")) {
            p.push(format!("{name} does not run on {event}"));
        }
        let needs = &job["needs"];
        if !(needs == "stacks"
            || needs
                .as_array()
                .is_some_and(|n| n.iter().any(|n| n == "stacks")))
        {
            p.push(format!("{name} does not need the stacks job"));
        }
        if s(job, "/strategy/matrix/stack") != "${{ fromJSON(needs.stacks.outputs.matrix) }}" {
            p.push(format!(
                "{name}'s matrix is not fed by the stacks job's output"
            ));
        }
        if job["strategy"]["fail-fast"] != false {
            p.push(format!("{name}: one stack's failure cancels the others"));
        }
        if s(job, "/permissions/id-token") != "write" {
            p.push(format!("{name} lacks `id-token: write` (OIDC)"));
        }
        let creds = uses(job, "aws-actions/configure-aws-credentials");
        if creds
            .as_ref()
            .is_none_or(|c| s(c, "/with/role-to-assume").is_empty())
        {
            p.push(format!("{name} gets no AWS role through OIDC"));
        }
        let script = runs(job);
        if !(script.contains("docker run") && script.contains("\"$IDPLANE_IMAGE\" \"$@\"")) {
            p.push(format!("{name} does not run idplane from the image"));
        }
        if !script.contains(command) {
            p.push(format!("{name} does not run `idplane {command}`"));
        }
        if !script.contains("--assume-role \"arn:aws:iam::$ACCOUNT:role/") {
            p.push(format!("{name} does not assume the stack's account role"));
        }
    }
    let plan = &wf["jobs"]["plan"];
    let script = runs(plan);
    if !script.contains("--detailed-exitcode") || !script.contains("--format markdown") {
        p.push("plan is not a Markdown plan with --detailed-exitcode".into());
    }
    if s(plan, "/permissions/pull-requests") != "write"
        || !uses(plan, "actions/github-script").is_some_and(|st| {
            let js = s(&st, "/with/script");
            js.contains("createComment") && js.contains("STACK_PATH")
        })
    {
        p.push("plan does not comment one plan per stack on the pull request".into());
    }
    p
}

/// The `matrix.stack.KEY` keys the workflow uses.
fn matrix_keys(text: &str) -> BTreeSet<String> {
    text.split("matrix.stack.")
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

#[test]
fn the_ci_workflow_is_a_matrix_over_idplane_stacks_run_from_the_image() {
    let text = read(WORKFLOW);
    let wf = yaml(&text);
    assert_eq!(lint_workflow(&wf), Vec::<String>::new());

    // What the matrix reads from each stack is what `idplane stacks --format json` writes.
    let listed = Env::default()
        .run(&["stacks", "examples/", "--format", "json"])
        .expect(0);
    let rows: Vec<Value> = serde_json::from_str(&listed.stdout).expect("stacks JSON");
    assert_eq!(rows.len(), 4, "{}", listed.stdout);
    let used = matrix_keys(&text);
    assert!(
        used.contains("path") && used.contains("accounts"),
        "{used:?}"
    );
    for row in &rows {
        let keys: BTreeSet<String> = row.as_object().unwrap().keys().cloned().collect();
        assert!(used.is_subset(&keys), "{used:?} not all in {keys:?}");
    }

    // The CronJob runs the same image as CI.
    let cron = cronjob(&yaml_docs(&read(MANIFEST)));
    assert_eq!(
        s(
            &cron,
            "/spec/jobTemplate/spec/template/spec/containers/0/image"
        ),
        s(&wf, "/env/IDPLANE_IMAGE")
    );
}

#[test]
fn each_workflow_check_can_fail() {
    let wf = yaml(&read(WORKFLOW));
    let broken = |f: &dyn Fn(&mut Value)| {
        let mut w = wf.clone();
        f(&mut w);
        lint_workflow(&w).join("\n")
    };
    let set = |ptr: &'static str, v: Value| {
        move |w: &mut Value| *w.pointer_mut(ptr).expect(ptr) = v.clone()
    };
    let cases: Vec<(String, &str)> = vec![
        (
            broken(&set("/jobs/drift/strategy/matrix/stack", "[a]".into())),
            "drift's matrix is not fed",
        ),
        (
            broken(&set("/jobs/plan/permissions/id-token", "none".into())),
            "plan lacks `id-token: write`",
        ),
        (
            broken(&set("/env/IDPLANE_IMAGE", "idplane:latest".into())),
            "not an image with a pinned tag",
        ),
        (
            broken(&set("/jobs/stacks/outputs/matrix", "[]".into())),
            "does not output `matrix`",
        ),
        (
            broken(&|w| {
                w["jobs"]["apply"]["steps"] =
                    serde_json::json!([{"run": "idplane apply \"$STACK_PATH\" --auto-approve"}])
            }),
            "apply does not run idplane from the image",
        ),
        (
            broken(&|w| {
                w["jobs"]["plan"]["steps"][2]["run"] = s(&wf, "/jobs/plan/steps/2/run")
                    .replace(" --detailed-exitcode", "")
                    .into()
            }),
            "--detailed-exitcode",
        ),
        (
            broken(&|w| {
                w["jobs"]["plan"]["strategy"]["fail-fast"] = true.into();
            }),
            "plan: one stack's failure cancels",
        ),
    ];
    for (problems, want) in cases {
        assert!(problems.contains(want), "want `{want}` in: {problems}");
    }
}

/// A tool of the test tools venv (`tests/tools/setup.sh` builds it when missing or stale, from
/// pinned PyPI packages; failing to is a test failure, never a skip).
fn tool(name: &str) -> std::path::PathBuf {
    let out = std::process::Command::new("bash")
        .arg(root().join("tests/tools/setup.sh"))
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("bash runs tests/tools/setup.sh");
    assert!(
        out.status.success(),
        "tests/tools/setup.sh failed ({}); its messages are above",
        out.status
    );
    let venv = String::from_utf8_lossy(&out.stdout).trim().to_string();
    std::path::Path::new(&venv).join("bin").join(name)
}

/// Runs a validator: `Ok` or its report.
fn validate_with(cmd: &mut std::process::Command) -> Result<(), String> {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(report)
    }
}

/// Validates a workflow file against the GitHub-workflow JSON Schema of SchemaStore that
/// check-jsonschema bundles (offline): `Ok` or the tool's report.
fn schema_check(tool: &std::path::Path, file: &std::path::Path) -> Result<(), String> {
    validate_with(
        std::process::Command::new(tool)
            .args(["--builtin-schema", "vendor.github-workflows"])
            .arg(file),
    )
}

#[test]
fn the_ci_workflow_is_valid_against_the_github_workflow_schema() {
    let tool = tool("check-jsonschema");
    schema_check(&tool, &root().join(WORKFLOW)).expect("a valid GitHub workflow");

    // The check can fail: a misspelt key, a job without `runs-on`, an unknown event, a list
    // where a name belongs.
    let text = read(WORKFLOW);
    let dir = tempdir();
    for (from, to) in [
        ("  drift:\n    name:", "  drift:\n    nam:"),
        ("    runs-on: ubuntu-latest\n    outputs:", "    outputs:"),
        ("\n  pull_request:\n", "\n  pull_requests:\n"),
        ("environment: production", "environment: [production]"),
    ] {
        assert!(text.contains(from), "{from}");
        let broken = dir.join("broken.yml");
        std::fs::write(&broken, text.replacen(from, to, 1)).unwrap();
        let report = schema_check(&tool, &broken).expect_err(to);
        assert!(report.contains("Schema validation errors"), "{report}");
    }
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

const MANIFEST: &str = "examples/kubernetes/idplane-drift.yaml";

fn of_kind(docs: &[Value], kind: &str) -> Vec<Value> {
    docs.iter().filter(|d| d["kind"] == kind).cloned().collect()
}

fn cronjob(docs: &[Value]) -> Value {
    let found = of_kind(docs, "CronJob");
    assert_eq!(found.len(), 1, "one CronJob");
    found[0].clone()
}

/// Every problem of the manifests against the CronJob's rules (empty: fine).
fn lint_manifests(docs: &[Value]) -> Vec<String> {
    let mut p = Vec::new();
    let cron = cronjob(docs);
    if cron["apiVersion"] != "batch/v1" {
        p.push("the CronJob is not batch/v1".into());
    }
    if cron["spec"]["concurrencyPolicy"] != "Forbid" {
        p.push("concurrencyPolicy is not Forbid".into());
    }
    let pod = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    if !matches!(pod["restartPolicy"].as_str(), Some("Never" | "OnFailure")) {
        p.push("restartPolicy is neither Never nor OnFailure".into());
    }
    let psc = &pod["securityContext"];
    if psc["runAsNonRoot"] != true || psc["runAsUser"].as_u64().is_none_or(|u| u == 0) {
        p.push("the pod does not run as a non-root numeric user".into());
    }
    let containers = pod["containers"].as_array().cloned().unwrap_or_default();
    if containers.len() != 1 {
        p.push("not exactly one container".into());
        return p;
    }
    let c = &containers[0];
    if !s(c, "/image").contains("idplane:") {
        p.push("the container does not run the idplane image".into());
    }
    if c.get("command").is_some() {
        p.push("`command` overrides the image's /idplane entrypoint".into());
    }
    let args: Vec<&str> = c["args"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if args.first() != Some(&"drift") || !args.windows(2).any(|w| w == ["--format", "json"]) {
        p.push("the container does not run `idplane drift ... --format json`".into());
    }
    let csc = &c["securityContext"];
    if csc["readOnlyRootFilesystem"] != true {
        p.push("the root filesystem is not read-only".into());
    }
    if csc["allowPrivilegeEscalation"] != false
        || !csc["capabilities"]["drop"]
            .as_array()
            .is_some_and(|d| d.iter().any(|c| c == "ALL"))
    {
        p.push("privileges are not dropped".into());
    }
    for kind in ["requests", "limits"] {
        for res in ["cpu", "memory"] {
            if c["resources"][kind][res].is_null() {
                p.push(format!("no {kind}.{res}"));
            }
        }
    }
    // The spec directory the command names comes from a ConfigMap of the file.
    let stack_dir = args.get(1).copied().unwrap_or("");
    let mount = c["volumeMounts"].as_array().and_then(|m| {
        m.iter()
            .find(|m| m["mountPath"] == stack_dir && m["readOnly"] == true)
    });
    let config_map = mount.and_then(|m| {
        pod["volumes"]
            .as_array()?
            .iter()
            .find(|v| v["name"] == m["name"])
            .map(|v| s(v, "/configMap/name").to_string())
    });
    if config_map.is_none_or(|name| {
        !of_kind(docs, "ConfigMap")
            .iter()
            .any(|cm| cm["metadata"]["name"] == name.as_str())
    }) {
        p.push(format!(
            "{stack_dir} is not a read-only mount of a ConfigMap in the file"
        ));
    }
    let sa = s(pod, "/serviceAccountName");
    let role = of_kind(docs, "ServiceAccount").into_iter().find_map(|a| {
        (a["metadata"]["name"] == sa)
            .then(|| s(&a, "/metadata/annotations/eks.amazonaws.com~1role-arn").to_string())
    });
    if role.is_none_or(|r| !(r.starts_with("arn:aws:iam::") && r.contains(":role/"))) {
        p.push(format!("ServiceAccount {sa} has no IRSA role annotation"));
    }
    p
}

#[test]
fn the_cronjob_runs_drift_as_json_non_root_read_only_from_a_configmap_with_irsa() {
    let docs = yaml_docs(&read(MANIFEST));
    assert_eq!(lint_manifests(&docs), Vec::<String>::new());

    // Lay the ConfigMap out as the kubelet does (a timestamped directory, `..data` pointing at
    // it, each key a symlink through `..data`): idplane lists and validates the stack there.
    let cm = &of_kind(&docs, "ConfigMap")[0];
    let dir = tempdir().join("production");
    let stamp = dir.join("..2026_01_01_00_00_00.000000001");
    std::fs::create_dir_all(&stamp).unwrap();
    std::os::unix::fs::symlink("..2026_01_01_00_00_00.000000001", dir.join("..data")).unwrap();
    for (key, value) in cm["data"].as_object().expect("ConfigMap data") {
        std::fs::write(stamp.join(key), value.as_str().unwrap()).unwrap();
        std::os::unix::fs::symlink(format!("..data/{key}"), dir.join(key)).unwrap();
    }
    let dir_arg = dir.display().to_string();
    Env::default().run(&["validate", &dir_arg]).expect(0);
    let listed = Env::default()
        .run(&["stacks", &dir_arg, "--format", "json"])
        .expect(0);
    let rows: Vec<Value> = serde_json::from_str(&listed.stdout).expect("stacks JSON");
    assert_eq!(rows.len(), 1, "{}", listed.stdout);
    let cron = cronjob(&docs);
    assert_eq!(
        rows[0]["stack"],
        cron["metadata"]["labels"]["idplane.dev/stack"]
    );
    // The account the spec is guarded to is the one the IRSA role lives in.
    let sa = &of_kind(&docs, "ServiceAccount")[0];
    let role = s(sa, "/metadata/annotations/eks.amazonaws.com~1role-arn");
    assert_eq!(
        role.split(':').nth(4),
        rows[0]["accounts"][0].as_str(),
        "{role}"
    );
}

#[test]
fn each_manifest_check_can_fail() {
    let docs = yaml_docs(&read(MANIFEST));
    let at = docs.iter().position(|d| d["kind"] == "CronJob").unwrap();
    let pod = "/spec/jobTemplate/spec/template/spec";
    let broken = |ptr: String, v: Value| {
        let mut d = docs.clone();
        *d[at].pointer_mut(&ptr).unwrap_or_else(|| panic!("{ptr}")) = v;
        lint_manifests(&d).join("\n")
    };
    let c = format!("{pod}/containers/0");
    let cases = [
        (
            broken("/spec/concurrencyPolicy".into(), "Allow".into()),
            "not Forbid",
        ),
        (
            broken(format!("{pod}/securityContext/runAsUser"), 0.into()),
            "non-root",
        ),
        (
            broken(
                format!("{c}/securityContext/readOnlyRootFilesystem"),
                false.into(),
            ),
            "not read-only",
        ),
        (
            broken(format!("{c}/args/3"), "text".into()),
            "--format json",
        ),
        (
            broken(format!("{c}/resources/limits"), serde_json::json!({})),
            "no limits.cpu",
        ),
        (
            broken(format!("{pod}/volumes/0/configMap/name"), "other".into()),
            "not a read-only mount of a ConfigMap",
        ),
        (
            broken(format!("{pod}/serviceAccountName"), "default".into()),
            "no IRSA role annotation",
        ),
    ];
    for (problems, want) in cases {
        assert!(problems.contains(want), "want `{want}` in: {problems}");
    }
}

/// Kubernetes versions the manifests are validated against: the oldest and the newest whose
/// OpenAPI schemas kubernetes-validate bundles that have CronJob `timeZone` (GA in 1.27).
const KUBERNETES: [&str; 2] = ["1.27.0", "1.37.0"];

fn kubernetes_validate(tool: &std::path::Path, file: &std::path::Path) -> Result<(), String> {
    for version in KUBERNETES {
        validate_with(
            std::process::Command::new(tool)
                .args(["--strict", "--quiet", "-k", version])
                .arg(file),
        )?;
    }
    Ok(())
}

#[test]
fn the_manifests_are_valid_against_the_kubernetes_schemas() {
    let tool = tool("kubernetes-validate");
    kubernetes_validate(&tool, &root().join(MANIFEST)).expect("valid Kubernetes objects");

    // The check can fail: a misspelt field (strict), a wrong type, a missing required field.
    let text = read(MANIFEST);
    let dir = tempdir();
    for (from, to) in [
        ("  timeZone: Etc/UTC", "  timezone: Etc/UTC"),
        (
            "readOnlyRootFilesystem: true",
            "readOnlyRootFilesystem: \"yes\"",
        ),
        ("  schedule: \"17 * * * *\"\n", ""),
    ] {
        assert!(text.contains(from), "{from}");
        let broken = dir.join("broken.yaml");
        std::fs::write(&broken, text.replacen(from, to, 1)).unwrap();
        let report = kubernetes_validate(&tool, &broken).expect_err(to);
        assert!(report.contains("did not validate"), "{report}");
    }
}
