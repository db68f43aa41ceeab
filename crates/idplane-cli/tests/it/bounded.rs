//! No input makes `idplane validate` panic, hang or eat memory: every spec of the invalid corpus
//! and a few hundred mutants of the examples (lines deleted, duplicated, swapped, re-indented,
//! bytes changed, YAML tokens inserted, the file cut short), each validated by the binary in a
//! child process whose CPU time, wall time and peak memory (`getrusage` via `wait4`, max RSS)
//! are measured. Limits: 2 s, 200 MB; a panic (exit 101 or a signal) fails too.

use crate::support::root;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIME_LIMIT: Duration = Duration::from_secs(2);
const MEMORY_LIMIT_KB: i64 = 200 * 1024;
const MUTANTS_PER_EXAMPLE: usize = 40;

/// A small deterministic generator (the mutants of a run are the same on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "\"",
    "'",
    "${",
    "}}",
    "&a ",
    "*a",
    "!!binary ",
    "? ",
    "\t",
    "---\n",
    "#",
    "|\n",
    ">-\n",
    "~",
    "null",
    "${var.nope}",
    "$${",
    "\u{feff}",
    "\\x00",
    "9999999999999999999999",
];

fn mutate(text: &str, rng: &mut Lcg) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for _ in 0..1 + rng.below(4) {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(7) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 => {
                let indent = " ".repeat(rng.below(9));
                let l = format!("{indent}{}", lines[i].trim_start());
                lines[i] = l;
            }
            4 => {
                let l = &mut lines[i];
                let at = (0..=l.len())
                    .filter(|k| l.is_char_boundary(*k))
                    .nth(rng.below(l.len() + 1))
                    .unwrap_or(0);
                l.insert_str(at, TOKENS[rng.below(TOKENS.len())]);
            }
            5 => {
                let l = &mut lines[i];
                if let Some((at, _)) = l.char_indices().nth(rng.below(l.chars().count().max(1))) {
                    let c = char::from(b' ' + rng.below(95) as u8);
                    l.replace_range(
                        at..at + l[at..].chars().next().map_or(0, char::len_utf8),
                        &c.to_string(),
                    );
                }
            }
            _ => lines.truncate(i.max(1)),
        }
    }
    lines.join("\n")
}

struct Measured {
    code: Option<i32>,
    signal: Option<i32>,
    wall: Duration,
    cpu: Duration,
    max_rss_kb: i64,
    timed_out: bool,
}

/// Runs `idplane validate FILE`, killing it after `limit`, and measures it with `wait4`.
// The child is reaped by `wait4` (which std's `Child::wait` cannot do with the usage).
#[allow(clippy::zombie_processes)]
fn validate(file: &Path, limit: Duration) -> Measured {
    let child = Command::new(env!("CARGO_BIN_EXE_idplane"))
        .args(["validate", file.to_str().expect("a UTF-8 path")])
        .current_dir(root())
        .env("OKTA_CLIENT_SECRET", "bounded-test-secret")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the idplane binary starts");
    let pid = child.id() as libc::pid_t;
    let start = Instant::now();
    let mut timed_out = false;
    loop {
        let mut status = 0;
        // SAFETY: `rusage` is plain data; wait4 only writes to the two pointers we pass.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            let tv = |t: libc::timeval| {
                Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
            };
            return Measured {
                code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
                signal: libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status)),
                wall: start.elapsed(),
                cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
                max_rss_kb: usage.ru_maxrss,
                timed_out,
            };
        }
        assert_eq!(r, 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if !timed_out && start.elapsed() > limit {
            timed_out = true;
            // SAFETY: the child is ours and not reaped yet.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn inputs(scratch: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let corpus = root().join("tests/specs/invalid");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("the invalid corpus")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for f in files {
        out.push((format!("corpus {}", f.display()), f));
    }
    let mut rng = Lcg(0x1d_91a4e);
    for example in crate::support::examples() {
        let path = root().join(&example);
        let dir = path.parent().unwrap();
        // Files an example names (seed 002's metadata document) sit beside its mutants.
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap().path();
            if e.extension().is_some_and(|x| x != "yaml") {
                std::fs::copy(&e, scratch.join(e.file_name().unwrap())).unwrap();
            }
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for n in 0..MUTANTS_PER_EXAMPLE {
            let mutant = mutate(&text, &mut rng);
            let name = format!("{}-{n}.yaml", dir.file_name().unwrap().to_string_lossy());
            let file = scratch.join(&name);
            std::fs::write(&file, mutant).unwrap();
            out.push((format!("mutant {name} of {example}"), file));
        }
    }
    out
}

#[test]
fn no_invalid_or_mutated_spec_panics_hangs_or_eats_memory() {
    let scratch = std::env::temp_dir().join(format!("idplane-bounded-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let all = inputs(&scratch);
    assert!(all.len() > 200, "{} inputs", all.len());
    let mut worst_rss = 0;
    let mut worst_cpu = Duration::ZERO;
    let mut failures = Vec::new();
    for (what, file) in &all {
        let mut m = validate(file, TIME_LIMIT);
        if m.timed_out {
            // Once more, to tell a hang from a busy machine: a hang hangs again.
            m = validate(file, TIME_LIMIT);
        }
        worst_rss = worst_rss.max(m.max_rss_kb);
        worst_cpu = worst_cpu.max(m.cpu);
        let problem = if m.timed_out {
            Some(format!("still running after {:?}", TIME_LIMIT))
        } else if m.cpu > TIME_LIMIT {
            Some(format!("{:?} of CPU time", m.cpu))
        } else if m.max_rss_kb > MEMORY_LIMIT_KB {
            Some(format!("{} MB of memory", m.max_rss_kb / 1024))
        } else if let Some(sig) = m.signal {
            Some(format!("killed by signal {sig}"))
        } else if !matches!(m.code, Some(0 | 1)) {
            Some(format!("exit code {:?} (a panic exits 101)", m.code))
        } else {
            None
        };
        if let Some(p) = problem {
            failures.push(format!("{what}: {p} (wall {:?})", m.wall));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    eprintln!(
        "{} inputs validated; worst peak memory {} KB, worst CPU time {:?}",
        all.len(),
        worst_rss,
        worst_cpu
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(worst_rss > 0, "the measurement measured something");
}
