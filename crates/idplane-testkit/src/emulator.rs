//! The shared emulator process (moto plus idplane's extension) and per-test isolated accounts.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use rand::Rng;

use crate::proxy::FaultProxy;

/// Environment variable naming an already running emulator (`http://127.0.0.1:PORT`).
pub const ENDPOINT_ENV: &str = "IDPLANE_EMULATOR_ENDPOINT";
/// Environment variable naming the `tests/emulator` directory (defaults to the one in this repo).
pub const DIR_ENV: &str = "IDPLANE_EMULATOR_DIR";
/// The region every test account uses.
pub const REGION: &str = "us-east-1";
/// Prefix of the access key id that also selects the account in the emulator (`IDPLTEST<12 digits>`).
pub const ACCESS_KEY_PREFIX: &str = "IDPLTEST";

/// Emulator switches, as request headers (see `tests/emulator/README.md`).
const PROPAGATION_HEADER: &str = "x-idplane-propagation-window-ms";
const CONSOLE_HEADER: &str = "x-idplane-as-console";
const HOME_REGION_HEADER: &str = "x-idplane-identity-center-region";
const INSTANCE_CREATE_HEADER: &str = "x-idplane-instance-create-ms";
const INSTANCE_DELETE_HEADER: &str = "x-idplane-instance-delete-ms";
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// The local AWS emulator used by one test binary.
///
/// Started once per process by [`Emulator::shared`]; the server exits by itself when this process
/// exits (it watches the pipe on its standard input), so no server is left behind.
pub struct Emulator {
    endpoint: String,
    // Keeping the write end of the child's stdin open keeps the child alive; the OS closes it when
    // this process exits, and the child then exits too.
    _process: Option<Mutex<(Child, ChildStdin)>>,
    startup: Duration,
    accounts: AtomicU64,
}

/// The Python interpreter of the emulator's venv, after `tests/emulator/setup.sh` made sure the
/// venv exists and is current (it builds it the first time). Its `site-packages` holds moto and
/// botocore, whose service models are the AWS API reference in machine form.
pub fn venv_python() -> Result<PathBuf, String> {
    let setup = emulator_dir().join("setup.sh");
    if !setup.is_file() {
        return Err(format!(
            "{} not found; set {DIR_ENV} to the tests/emulator directory or {ENDPOINT_ENV} to a running emulator",
            setup.display()
        ));
    }
    let output = Command::new("bash")
        .arg(&setup)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", setup.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed ({}); its messages are above",
            setup.display(),
            output.status
        ));
    }
    let venv = String::from_utf8_lossy(&output.stdout).trim().to_string();
    Ok(PathBuf::from(&venv).join("bin").join("python"))
}

/// A botocore service model (`service-2`, e.g. of `sso-admin`) as JSON, loaded by the venv's
/// botocore (which reads the compressed files it ships).
pub fn botocore_model(service: &str) -> Result<serde_json::Value, String> {
    let python = venv_python()?;
    let output = Command::new(&python)
        .args([
            "-c",
            "import json, sys, botocore.loaders; \
             print(json.dumps(botocore.loaders.Loader().load_service_model(sys.argv[1], 'service-2')))",
            service,
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "cannot load the botocore model of {service}: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the botocore model of {service} is not JSON: {e}"))
}

impl Emulator {
    /// The emulator of this test binary, started on first use.
    ///
    /// Uses `IDPLANE_EMULATOR_ENDPOINT` when set; otherwise runs `tests/emulator/setup.sh` (which
    /// builds the Python venv the first time) and starts `run_server.py` on a free loopback port.
    ///
    /// # Panics
    /// With a message saying what failed when the emulator can neither be reached nor started.
    /// Tests that need the emulator must fail, never pass silently, when it is missing.
    pub fn shared() -> &'static Emulator {
        // The outcome is kept, failure included, so a missing emulator is reported to every test
        // without trying to start it again for each.
        static SHARED: OnceLock<Result<Emulator, String>> = OnceLock::new();
        match SHARED.get_or_init(Emulator::start) {
            Ok(emulator) => emulator,
            Err(message) => {
                panic!("idplane-testkit: cannot start the local AWS emulator: {message}")
            }
        }
    }

    fn start() -> Result<Emulator, String> {
        if let Ok(endpoint) = std::env::var(ENDPOINT_ENV)
            && !endpoint.trim().is_empty()
        {
            let endpoint = endpoint.trim().trim_end_matches('/').to_string();
            check_reachable(&endpoint)
                .map_err(|e| format!("{ENDPOINT_ENV}={endpoint} is set but not reachable: {e}"))?;
            return Ok(Emulator {
                endpoint,
                _process: None,
                startup: Duration::ZERO,
                accounts: AtomicU64::new(0),
            });
        }
        let dir = emulator_dir();
        let python = venv_python()?;
        remove_stale_logs();
        let log_path =
            std::env::temp_dir().join(format!("idplane-emulator-{}.log", std::process::id()));
        let log = std::fs::File::create(&log_path)
            .map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
        let started = Instant::now();
        let mut child = Command::new(&python)
            .arg(dir.join("run_server.py"))
            .args(["--host", "127.0.0.1", "--port", "0", "--exit-on-stdin-eof"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let first = reader.read_line(&mut line).map(|_| line.clone());
            let _ = tx.send(first);
            // Keep draining so the server never blocks on a full pipe.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => return Err(format!("cannot read the server's output: {e}")),
            Err(_) => {
                let _ = child.kill();
                return Err(format!(
                    "no endpoint after {}s; log: {}",
                    START_TIMEOUT.as_secs(),
                    log_path.display()
                ));
            }
        };
        let Some(endpoint) = line.trim().strip_prefix(&format!("{ENDPOINT_ENV}=")) else {
            let _ = child.wait();
            let mut tail = String::new();
            if let Ok(mut f) = std::fs::File::open(&log_path) {
                let _ = f.read_to_string(&mut tail);
            }
            return Err(format!(
                "the server exited before listening; log {}:\n{}",
                log_path.display(),
                last_lines(&tail, 30)
            ));
        };
        Ok(Emulator {
            endpoint: endpoint.to_string(),
            _process: Some(Mutex::new((child, stdin))),
            startup: started.elapsed(),
            accounts: AtomicU64::new(0),
        })
    }

    /// The emulator's base URL, `http://127.0.0.1:PORT` (no account routing: requests land in the
    /// account named by their `x-moto-account-id` header or access key, else 123456789012).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// How long the server took from spawn to listening (zero when it was given by the environment).
    pub fn startup_time(&self) -> Duration {
        self.startup
    }

    /// How many accounts this process has created so far.
    pub fn accounts_created(&self) -> u64 {
        self.accounts.load(Ordering::Relaxed)
    }

    /// A fresh, isolated 12-digit account with its own proxy in pass-through mode.
    pub fn account(&self) -> Account {
        self.accounts.fetch_add(1, Ordering::Relaxed);
        let id = fresh_account_id();
        let proxy = FaultProxy::start(
            &self.endpoint,
            vec![("x-moto-account-id".into(), id.clone())],
        )
        .unwrap_or_else(|e| panic!("idplane-testkit: cannot start the account proxy: {e}"));
        Account { id, proxy }
    }
}

/// One isolated account in the emulator, reached through its own [`FaultProxy`].
pub struct Account {
    id: String,
    proxy: FaultProxy,
}

impl Account {
    /// The 12-digit account id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The endpoint URL that routes to this account (the proxy's URL). Give it to any SDK client
    /// or to `idplane --endpoint-url`.
    pub fn endpoint(&self) -> String {
        self.proxy.url()
    }

    /// The fault and latency proxy in front of this account (pass-through until rules are set).
    pub fn proxy(&self) -> &FaultProxy {
        &self.proxy
    }

    /// Switches the emulator's sso-admin propagation conflicts on for this account: every write
    /// on an application or trusted token issuer made less than `window` ago answers
    /// `ConflictException`, as AWS does before a create has propagated. `None` switches them off
    /// (the default) for objects created from then on.
    pub fn set_propagation_conflicts(&self, window: Option<Duration>) {
        let ms = window.map(|w| w.as_millis().to_string());
        self.proxy
            .set_header(PROPAGATION_HEADER, ms.as_deref())
            .expect("a valid header");
    }

    /// Makes the emulator accept `CreateApplication` with any application provider for this
    /// account, as the console does for SAML applications (`false`: only the custom provider,
    /// as the API).
    pub fn set_console_mode(&self, on: bool) {
        self.proxy
            .set_header(CONSOLE_HEADER, on.then_some("1"))
            .expect("a valid header");
    }

    /// Puts this account's IAM Identity Center instance in `region` only, as AWS has one
    /// instance per account in its home region (`None`: moto's instance in every region).
    pub fn set_identity_center_region(&self, region: Option<&str>) {
        self.proxy
            .set_header(HOME_REGION_HEADER, region)
            .expect("a valid header");
    }

    /// How long the emulator keeps an instance this account creates in `CREATE_IN_PROGRESS`
    /// and one it deletes in `DELETE_IN_PROGRESS` (`None`: the emulator's defaults, 1 s and 30 s).
    pub fn set_instance_transitions(&self, create: Option<Duration>, delete: Option<Duration>) {
        for (name, d) in [
            (INSTANCE_CREATE_HEADER, create),
            (INSTANCE_DELETE_HEADER, delete),
        ] {
            let ms = d.map(|d| d.as_millis().to_string());
            self.proxy
                .set_header(name, ms.as_deref())
                .expect("a valid header");
        }
    }

    /// Static test credentials; the access key id also names this account (`IDPLTEST<id>`).
    pub fn credentials(&self) -> Credentials {
        Credentials::new(
            format!("{ACCESS_KEY_PREFIX}{}", self.id),
            "idplane-testkit-secret",
            None,
            None,
            "idplane-testkit",
        )
    }

    /// Environment variables that point an AWS SDK or CLI process (such as the `idplane` binary)
    /// at this account: endpoint, region, the test credentials, no instance metadata lookups.
    pub fn env(&self) -> Vec<(String, String)> {
        let creds = self.credentials();
        vec![
            ("AWS_ENDPOINT_URL".into(), self.endpoint()),
            ("AWS_REGION".into(), REGION.into()),
            ("AWS_DEFAULT_REGION".into(), REGION.into()),
            ("AWS_ACCESS_KEY_ID".into(), creds.access_key_id().into()),
            (
                "AWS_SECRET_ACCESS_KEY".into(),
                creds.secret_access_key().into(),
            ),
            ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ]
    }

    /// An SDK config for this account: region us-east-1, static test credentials, `endpoint_url`
    /// set to [`Account::endpoint`], the SDK's default retry policy.
    pub async fn sdk_config(&self) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(self.credentials())
            .endpoint_url(self.endpoint())
            .load()
            .await
    }
}

/// A random 12-digit id never handed out before in this process (random so that several test
/// binaries sharing one emulator do not collide either).
fn fresh_account_id() -> String {
    static SEEN: Mutex<BTreeSet<u64>> = Mutex::new(BTreeSet::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        let id: u64 = rand::rng().random_range(100_000_000_000..1_000_000_000_000);
        if id != 123_456_789_012 && seen.insert(id) {
            return id.to_string();
        }
    }
}

/// Where the emulator scripts are: `IDPLANE_EMULATOR_DIR`, else `tests/emulator` of the checkout
/// the test runs in (cargo runs tests from their package's folder), else of the checkout this
/// crate was compiled from. The run-time look-up comes first because a build cache shared by two
/// checkouts can hand one of them a testkit compiled in the other.
fn emulator_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let from_cwd = std::env::current_dir().ok().and_then(|cwd| {
        cwd.ancestors()
            .map(|a| a.join("tests/emulator"))
            .find(|d| d.join("run_server.py").is_file())
    });
    from_cwd
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/emulator"))
}

/// Removes the server logs of earlier test processes that have exited (Linux: by `/proc/<pid>`).
fn remove_stale_logs() {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("idplane-emulator-"))
            .and_then(|n| n.strip_suffix(".log"))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn check_reachable(endpoint: &str) -> Result<(), String> {
    let authority = endpoint
        .strip_prefix("http://")
        .ok_or_else(|| "only http:// endpoints are supported".to_string())?;
    let authority = authority.split('/').next().unwrap_or(authority);
    let addr = authority
        .to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or_else(|| "no address".to_string())?;
    TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| e.to_string())?;
    Ok(())
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
