//! A loopback HTTP/1.1 proxy in front of the emulator that routes to one account, counts calls per
//! operation and injects faults: latency, throttling, 500s, dropped connections, lost responses.
//!
//! The operation of a request is the part after the last `.` of its `X-Amz-Target` header
//! (`SWBExternalService.CreateApplication` is `CreateApplication`); a request without that header
//! is counted as `METHOD /path`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderName, HeaderValue};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the proxy does to a request a rule matched.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Wait this long, then go on (later rules may still match the same request).
    Latency(Duration),
    /// Answer the service's own throttling error without forwarding: HTTP 400 with
    /// `TooManyRequestsException` for the Cognito services, `ThrottlingException` for sso-admin and
    /// identitystore.
    Throttle,
    /// Answer HTTP 500 with the service's internal error (`InternalErrorException` for Cognito,
    /// `InternalServerException` for sso-admin and identitystore) without forwarding.
    ServerError,
    /// Close the connection without forwarding and without answering.
    DropConnection,
    /// Forward the request (so the emulator performs it), then close the connection without
    /// passing the response on: the change happened, the caller never heard.
    LoseResponse,
    /// Answer HTTP 200 with an empty JSON object without forwarding: the call "succeeds" and
    /// nothing changes, as when AWS silently does not apply what it was sent.
    Ignore,
    /// Answer any JSON error without forwarding.
    Error {
        /// HTTP status.
        status: u16,
        /// The `__type` / `x-amzn-ErrorType` code, e.g. `ConflictException`.
        error_type: String,
        /// The error message.
        message: String,
    },
}

/// One fault rule; the first matching non-latency rule decides what happens to a request.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// The operation to match (`CreateUserPool`, or a full target such as
    /// `AWSCognitoIdentityProviderService.CreateUserPool`); `None` matches every request.
    pub operation: Option<String>,
    /// What to do.
    pub fault: Fault,
    /// How many times the rule may fire; `None` is unlimited.
    pub times: Option<u32>,
    /// Chance that a matching request triggers it, drawn from the proxy's seeded generator
    /// (1.0: always).
    pub probability: f64,
}

impl FaultRule {
    /// A rule firing on every request, every time.
    pub fn always(fault: Fault) -> FaultRule {
        FaultRule {
            operation: None,
            fault,
            times: None,
            probability: 1.0,
        }
    }

    /// A rule firing on every call of one operation.
    pub fn on(operation: &str, fault: Fault) -> FaultRule {
        FaultRule {
            operation: Some(operation.to_string()),
            ..FaultRule::always(fault)
        }
    }

    /// Limits the rule to the first `n` times it fires.
    pub fn times(mut self, n: u32) -> FaultRule {
        self.times = Some(n);
        self
    }

    /// Makes the rule fire with probability `p` (seeded, see [`FaultProxy::seed`]).
    pub fn with_probability(mut self, p: f64) -> FaultRule {
        self.probability = p;
        self
    }

    fn matches(&self, target: Option<&str>, operation: &str) -> bool {
        match &self.operation {
            None => true,
            Some(want) if want.contains('.') => target == Some(want.as_str()),
            Some(want) => want == operation,
        }
    }
}

/// Errors starting a proxy.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The upstream is not an `http://host:port` URL.
    #[error("unsupported upstream endpoint {0:?} (expected http://host:port)")]
    BadUpstream(String),
    /// A header given to add is not a valid HTTP header.
    #[error("invalid header {0:?}")]
    BadHeader(String),
    /// The loopback listener could not be opened.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
}

/// The proxy closes the connection instead of answering.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by the fault proxy")]
struct Dropped;

#[derive(Debug)]
struct State {
    rules: Vec<FaultRule>,
    rng: StdRng,
    calls: BTreeMap<String, u64>,
    log: Vec<String>,
    /// Arrivals (`true`) and ends (`false`) of requests, in order, by operation.
    flight: Vec<(String, bool)>,
    total: u64,
    injected: u64,
}

#[derive(Debug)]
struct Shared {
    upstream: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// Headers set after the start ([`FaultProxy::set_header`]), added after `headers`.
    extra: Mutex<Vec<(HeaderName, HeaderValue)>>,
    state: Mutex<State>,
}

impl Shared {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts the call and picks what to do: total latency and at most one other fault.
    fn decide(&self, target: Option<&str>, operation: &str) -> (Duration, Option<Fault>) {
        let mut state = self.state();
        *state.calls.entry(operation.to_string()).or_default() += 1;
        state.log.push(operation.to_string());
        state.flight.push((operation.to_string(), true));
        state.total += 1;
        let mut delay = Duration::ZERO;
        let mut chosen = None;
        let State { rules, rng, .. } = &mut *state;
        for rule in rules.iter_mut() {
            if !rule.matches(target, operation) || rule.times == Some(0) {
                continue;
            }
            let fires = rule.probability >= 1.0
                || (rule.probability > 0.0 && rng.random_bool(rule.probability));
            if !fires {
                continue;
            }
            if let Some(n) = rule.times.as_mut() {
                *n -= 1;
            }
            match &rule.fault {
                Fault::Latency(d) => delay += *d,
                other => {
                    chosen = Some(other.clone());
                    break;
                }
            }
        }
        if chosen.is_some() {
            state.injected += 1;
        }
        (delay, chosen)
    }
}

/// A running proxy; stops listening when dropped.
#[derive(Debug)]
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl FaultProxy {
    /// Starts a proxy on a free loopback port forwarding to `upstream` (`http://host:port`) and
    /// adding `headers` to every forwarded request. It runs on the testkit's own background
    /// runtime, so it works from sync and async tests alike and outlives any test's runtime.
    ///
    /// # Errors
    /// When `upstream` or a header is malformed or no loopback port can be opened.
    pub fn start(upstream: &str, headers: Vec<(String, String)>) -> Result<FaultProxy, ProxyError> {
        let authority = upstream
            .strip_prefix("http://")
            .map(|rest| rest.split('/').next().unwrap_or(rest))
            .filter(|a| !a.is_empty())
            .ok_or_else(|| ProxyError::BadUpstream(upstream.to_string()))?;
        let headers = headers
            .into_iter()
            .map(|(name, value)| {
                let n = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| ProxyError::BadHeader(name.clone()))?;
                let v = HeaderValue::from_str(&value).map_err(|_| ProxyError::BadHeader(name))?;
                Ok((n, v))
            })
            .collect::<Result<Vec<_>, ProxyError>>()?;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(ProxyError::Bind)?;
        listener.set_nonblocking(true).map_err(ProxyError::Bind)?;
        let addr = listener.local_addr().map_err(ProxyError::Bind)?;
        let shared = Arc::new(Shared {
            upstream: authority.to_string(),
            headers,
            extra: Mutex::new(Vec::new()),
            state: Mutex::new(State {
                rules: Vec::new(),
                rng: StdRng::seed_from_u64(0),
                calls: BTreeMap::new(),
                log: Vec::new(),
                flight: Vec::new(),
                total: 0,
                injected: 0,
            }),
        });
        let rt = runtime();
        let listener = {
            let _guard = rt.enter();
            TcpListener::from_std(listener).map_err(ProxyError::Bind)?
        };
        let for_task = Arc::clone(&shared);
        let task = rt.spawn(accept_loop(listener, for_task));
        Ok(FaultProxy { addr, shared, task })
    }

    /// The proxy's URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The proxy's socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Replaces the fault rules (an empty list is pass-through).
    pub fn set_rules(&self, rules: Vec<FaultRule>) {
        self.shared.state().rules = rules;
    }

    /// Appends one rule after the current ones.
    pub fn add_rule(&self, rule: FaultRule) {
        self.shared.state().rules.push(rule);
    }

    /// Removes every rule: pass-through again.
    pub fn clear_rules(&self) {
        self.shared.state().rules.clear();
    }

    /// Reseeds the generator that decides probabilistic rules (the initial seed is 0).
    pub fn seed(&self, seed: u64) {
        self.shared.state().rng = StdRng::seed_from_u64(seed);
    }

    /// How many requests of `operation` arrived (faulted ones and SDK retries included).
    /// `operation` is a short name (`CreateUserPool`) or a full `X-Amz-Target`.
    pub fn calls(&self, operation: &str) -> u64 {
        let short = operation.rsplit('.').next().unwrap_or(operation);
        self.shared.state().calls.get(short).copied().unwrap_or(0)
    }

    /// How many requests arrived in all.
    pub fn total_calls(&self) -> u64 {
        self.shared.state().total
    }

    /// Calls per operation, sorted by operation.
    pub fn call_counts(&self) -> BTreeMap<String, u64> {
        self.shared.state().calls.clone()
    }

    /// The operations of every request so far, in arrival order (retries included).
    pub fn operations(&self) -> Vec<String> {
        self.shared.state().log.clone()
    }

    /// The largest number of requests of the given operations (short names) that were in the
    /// proxy at the same time, each from its arrival until its answer (or fault) was ready.
    /// Counted from events in order, not from a clock: two requests held by a latency rule
    /// overlap exactly when the second arrived before the first was answered.
    pub fn peak_in_flight(&self, operations: &[&str]) -> usize {
        let state = self.shared.state();
        let (mut now, mut peak) = (0usize, 0usize);
        for (op, arrived) in &state.flight {
            if operations.contains(&op.as_str()) {
                if *arrived {
                    now += 1;
                    peak = peak.max(now);
                } else {
                    now = now.saturating_sub(1);
                }
            }
        }
        peak
    }

    /// How many requests got a fault other than latency.
    pub fn injected_faults(&self) -> u64 {
        self.shared.state().injected
    }

    /// Adds `name: value` to every request forwarded from now on (`None` stops adding it); for
    /// the emulator's switches, e.g. its propagation window.
    ///
    /// # Errors
    /// When the name or the value is not a valid HTTP header.
    pub fn set_header(&self, name: &str, value: Option<&str>) -> Result<(), ProxyError> {
        let n = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| ProxyError::BadHeader(name.to_string()))?;
        let v = value
            .map(|v| HeaderValue::from_str(v).map_err(|_| ProxyError::BadHeader(name.to_string())))
            .transpose()?;
        let mut extra = self.shared.extra.lock().unwrap_or_else(|e| e.into_inner());
        extra.retain(|(k, _)| *k != n);
        if let Some(v) = v {
            extra.push((n, v));
        }
        Ok(())
    }

    /// Sets every counter back to zero (rules and seed stay).
    pub fn reset_counts(&self) {
        let mut state = self.shared.state();
        state.calls.clear();
        state.log.clear();
        state.flight.clear();
        state.total = 0;
        state.injected = 0;
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("idplane-testkit-proxy")
            .enable_all()
            .build()
            .expect("idplane-testkit: cannot build the proxy runtime")
    })
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(Arc::clone(&shared), req));
            // An error here is a dropped connection, which is what a fault asked for.
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Err(Dropped),
    };
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let operation = match &target {
        Some(t) => t.rsplit('.').next().unwrap_or(t).to_string(),
        // The query protocol (STS) names the operation in the form body: `Action=Name&...`.
        None => {
            query_action(&body).unwrap_or_else(|| format!("{} {}", parts.method, parts.uri.path()))
        }
    };
    let req = (parts, body);
    let (delay, fault) = shared.decide(target.as_deref(), &operation);
    let _in_flight = InFlight {
        shared: Arc::clone(&shared),
        operation,
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let service = target
        .as_deref()
        .and_then(|t| t.split_once('.'))
        .map(|(prefix, _)| prefix)
        .unwrap_or("");
    // No `X-Amz-Target`: the query protocol (STS), whose errors are XML.
    let protocol = if target.is_some() {
        Protocol::Json
    } else {
        Protocol::Query
    };
    let error_response =
        |status: u16, code: &str, message: &str| error_response(protocol, status, code, message);
    match fault {
        None | Some(Fault::Latency(_)) => Ok(forward(&shared, req).await),
        Some(Fault::LoseResponse) => {
            let _ = forward(&shared, req).await;
            Err(Dropped)
        }
        Some(Fault::DropConnection) => Err(Dropped),
        Some(Fault::Throttle) => Ok(error_response(
            400,
            match protocol {
                Protocol::Json => throttling_code(service),
                Protocol::Query => QUERY_THROTTLING,
            },
            "Rate exceeded (injected by the idplane fault proxy)",
        )),
        Some(Fault::ServerError) => Ok(error_response(
            500,
            match protocol {
                Protocol::Json => internal_code(service),
                Protocol::Query => QUERY_INTERNAL,
            },
            "Internal failure (injected by the idplane fault proxy)",
        )),
        Some(Fault::Ignore) => Ok(Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amzn-requestid", "idplane-fault-proxy")
            .body(Full::new(Bytes::from_static(b"{}")))
            .expect("static response parts are valid")),
        Some(Fault::Error {
            status,
            error_type,
            message,
        }) => Ok(error_response(status, &error_type, &message)),
    }
}

/// A request in the proxy: its end is recorded when this is dropped (answered, faulted or
/// dropped), for [`FaultProxy::peak_in_flight`].
struct InFlight {
    shared: Arc<Shared>,
    operation: String,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let operation = std::mem::take(&mut self.operation);
        self.shared.state().flight.push((operation, false));
    }
}

/// The throttling error code each service uses.
pub fn throttling_code(target_prefix: &str) -> &'static str {
    match target_prefix {
        "AWSCognitoIdentityProviderService" | "AWSCognitoIdentityService" => {
            "TooManyRequestsException"
        }
        _ => "ThrottlingException",
    }
}

/// The internal (HTTP 500) error code each service uses.
pub fn internal_code(target_prefix: &str) -> &'static str {
    match target_prefix {
        "AWSCognitoIdentityProviderService" | "AWSCognitoIdentityService" => {
            "InternalErrorException"
        }
        _ => "InternalServerException",
    }
}

/// How a service's requests and errors are encoded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Protocol {
    /// `X-Amz-Target` and JSON bodies (Cognito, Identity Center, Identity Store): errors are
    /// `{"__type": code, "message": ...}`.
    Json,
    /// `Action=...` form bodies (STS): errors are `<ErrorResponse><Error><Code>` XML.
    Query,
}

/// The throttling error code of the query-protocol services (STS), as botocore's retry
/// handler lists it among the throttling codes.
const QUERY_THROTTLING: &str = "Throttling";
/// The internal (HTTP 500) error code of the query-protocol services ("InternalFailure", the
/// AWS common errors).
const QUERY_INTERNAL: &str = "InternalFailure";

fn error_response(
    protocol: Protocol,
    status: u16,
    code: &str,
    message: &str,
) -> Response<Full<Bytes>> {
    if protocol == Protocol::Query {
        let kind = if status >= 500 { "Receiver" } else { "Sender" };
        let body = format!(
            "<ErrorResponse><Error><Type>{kind}</Type><Code>{}</Code><Message>{}</Message></Error>\
             <RequestId>idplane-fault-proxy</RequestId></ErrorResponse>",
            xml_escape(code),
            xml_escape(message)
        );
        return Response::builder()
            .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
            .header("content-type", "text/xml")
            .header("x-amzn-requestid", "idplane-fault-proxy")
            .body(Full::new(Bytes::from(body)))
            .expect("static response parts are valid");
    }
    let body = serde_json::json!({ "__type": code, "message": message }).to_string();
    Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amzn-errortype", code)
        .header("x-amzn-requestid", "idplane-fault-proxy")
        .body(Full::new(Bytes::from(body)))
        .expect("static response parts are valid")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn bad_gateway(message: String) -> Response<Full<Bytes>> {
    Response::builder()
        .status(StatusCode::BAD_GATEWAY)
        .header("content-type", "text/plain")
        .body(Full::new(Bytes::from(format!(
            "idplane fault proxy: {message}"
        ))))
        .expect("static response parts are valid")
}

const HOP_BY_HOP: [&str; 5] = [
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "proxy-connection",
];

/// The `Action` of a query-protocol request body (`Action=GetCallerIdentity&Version=...`).
fn query_action(body: &[u8]) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .find_map(|kv| kv.strip_prefix("Action="))
        .filter(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(str::to_string)
}

async fn forward(
    shared: &Shared,
    req: (hyper::http::request::Parts, Bytes),
) -> Response<Full<Bytes>> {
    match try_forward(shared, req).await {
        Ok(resp) => resp,
        Err(message) => bad_gateway(message),
    }
}

async fn try_forward(
    shared: &Shared,
    (mut parts, body): (hyper::http::request::Parts, Bytes),
) -> Result<Response<Full<Bytes>>, String> {
    for name in HOP_BY_HOP {
        parts.headers.remove(name);
    }
    for (name, value) in &shared.headers {
        parts.headers.insert(name.clone(), value.clone());
    }
    let extra = shared
        .extra
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    for (name, value) in extra {
        parts.headers.insert(name, value);
    }
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".to_string());
    parts.uri = path.parse().map_err(|e| format!("bad uri {path}: {e}"))?;
    let stream = TcpStream::connect(&shared.upstream)
        .await
        .map_err(|e| format!("connecting to {}: {e}", shared.upstream))?;
    let _ = stream.set_nodelay(true);
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("handshake with {}: {e}", shared.upstream))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let resp = sender
        .send_request(Request::from_parts(parts, Full::new(body)))
        .await
        .map_err(|e| format!("forwarding to {}: {e}", shared.upstream))?;
    let (mut parts, body) = resp.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| format!("reading the response: {e}"))?
        .to_bytes();
    for name in HOP_BY_HOP {
        parts.headers.remove(name);
    }
    Ok(Response::from_parts(parts, Full::new(body)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn shared(rules: Vec<FaultRule>) -> Shared {
        Shared {
            upstream: "127.0.0.1:1".into(),
            headers: Vec::new(),
            extra: Mutex::new(Vec::new()),
            state: Mutex::new(State {
                rules,
                rng: StdRng::seed_from_u64(0),
                calls: BTreeMap::new(),
                log: Vec::new(),
                flight: Vec::new(),
                total: 0,
                injected: 0,
            }),
        }
    }

    const TARGET: &str = "AWSCognitoIdentityProviderService.CreateUserPool";

    #[test]
    fn rules_match_short_names_full_targets_or_everything() {
        let short = FaultRule::on("CreateUserPool", Fault::Throttle);
        let full = FaultRule::on(TARGET, Fault::Throttle);
        let other_service = FaultRule::on("SWBExternalService.CreateUserPool", Fault::Throttle);
        let any = FaultRule::always(Fault::Throttle);
        assert!(short.matches(Some(TARGET), "CreateUserPool"));
        assert!(full.matches(Some(TARGET), "CreateUserPool"));
        assert!(!other_service.matches(Some(TARGET), "CreateUserPool"));
        assert!(any.matches(None, "GET /"));
        assert!(!short.matches(Some("X.DeleteUserPool"), "DeleteUserPool"));
    }

    #[test]
    fn times_limits_a_rule_and_latency_adds_up_before_the_deciding_fault() {
        let s = shared(vec![
            FaultRule::always(Fault::Latency(Duration::from_millis(5))),
            FaultRule::on("CreateUserPool", Fault::Latency(Duration::from_millis(7))).times(1),
            FaultRule::on("CreateUserPool", Fault::ServerError).times(2),
            FaultRule::always(Fault::Throttle).times(1),
        ]);
        let first = s.decide(Some(TARGET), "CreateUserPool");
        assert_eq!(first, (Duration::from_millis(12), Some(Fault::ServerError)));
        let second = s.decide(Some(TARGET), "CreateUserPool");
        assert_eq!(second, (Duration::from_millis(5), Some(Fault::ServerError)));
        let third = s.decide(Some(TARGET), "CreateUserPool");
        assert_eq!(third, (Duration::from_millis(5), Some(Fault::Throttle)));
        let fourth = s.decide(Some(TARGET), "CreateUserPool");
        assert_eq!(fourth, (Duration::from_millis(5), None));
        let state = s.state();
        assert_eq!(state.calls.get("CreateUserPool"), Some(&4));
        assert_eq!((state.total, state.injected), (4, 3));
    }

    #[test]
    fn probability_zero_never_fires_and_one_always_does() {
        let s = shared(vec![
            FaultRule::always(Fault::DropConnection).with_probability(0.0),
            FaultRule::always(Fault::LoseResponse).with_probability(1.0),
        ]);
        for _ in 0..50 {
            assert_eq!(s.decide(None, "GET /").1, Some(Fault::LoseResponse));
        }
    }

    #[test]
    fn error_codes_follow_the_service() {
        assert_eq!(
            throttling_code("AWSCognitoIdentityProviderService"),
            "TooManyRequestsException"
        );
        assert_eq!(
            throttling_code("AWSCognitoIdentityService"),
            "TooManyRequestsException"
        );
        assert_eq!(throttling_code("SWBExternalService"), "ThrottlingException");
        assert_eq!(throttling_code("AWSIdentityStore"), "ThrottlingException");
        assert_eq!(
            internal_code("AWSCognitoIdentityService"),
            "InternalErrorException"
        );
        assert_eq!(
            internal_code("SWBExternalService"),
            "InternalServerException"
        );
    }

    #[test]
    fn bad_upstreams_and_headers_are_refused() {
        assert!(matches!(
            FaultProxy::start("https://example.com", vec![]),
            Err(ProxyError::BadUpstream(_))
        ));
        assert!(matches!(
            FaultProxy::start(
                "http://127.0.0.1:1",
                vec![("bad header".into(), "v".into())]
            ),
            Err(ProxyError::BadHeader(_))
        ));
    }

    /// A one-request upstream that answers with the request head it received.
    async fn echo_upstream() -> (String, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 8192];
            let mut got = Vec::new();
            while !got.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
            let body = String::from_utf8_lossy(&got).to_lowercase();
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                body.len(),
                body
            );
            stream.write_all(reply.as_bytes()).await.unwrap();
        });
        (url, task)
    }

    async fn raw_post(url: &str, target: &str) -> String {
        let addr = url.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let req = format!(
            "POST /some/path?q=1 HTTP/1.1\r\nhost: {addr}\r\nx-amz-target: {target}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
        );
        stream.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        let _ = stream.read_to_string(&mut out).await;
        out
    }

    #[test]
    fn query_protocol_requests_are_named_by_their_action() {
        assert_eq!(
            query_action(b"Action=GetCallerIdentity&Version=2011-06-15").as_deref(),
            Some("GetCallerIdentity")
        );
        assert_eq!(query_action(b"{\"UserPoolId\":\"x\"}"), None);
    }

    #[tokio::test]
    async fn forwarding_adds_the_headers_and_keeps_path_and_query() {
        let (upstream, task) = echo_upstream().await;
        let proxy = FaultProxy::start(
            &upstream,
            vec![("x-moto-account-id".into(), "111122223333".into())],
        )
        .unwrap();
        let answer = raw_post(&proxy.url(), TARGET).await;
        task.await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.contains("post /some/path?q=1 http/1.1"), "{answer}");
        assert!(
            answer.contains("x-moto-account-id: 111122223333"),
            "{answer}"
        );
        assert_eq!(proxy.calls("CreateUserPool"), 1);
    }

    #[tokio::test]
    async fn requests_held_at_the_same_time_are_in_flight_together() {
        // No upstream: every request is answered with a throttling error, some after a delay.
        let proxy = FaultProxy::start("http://127.0.0.1:1", vec![]).unwrap();
        proxy.set_rules(vec![
            FaultRule::on("CreateUserPool", Fault::Latency(Duration::from_millis(300))),
            FaultRule::always(Fault::Throttle),
        ]);
        let url = proxy.url();
        let answers = tokio::join!(
            raw_post(&url, TARGET),
            raw_post(&url, TARGET),
            raw_post(&url, TARGET)
        );
        assert!(answers.0.starts_with("HTTP/1.1 400"), "{}", answers.0);
        raw_post(&url, "X.DeleteUserPool").await;
        raw_post(&url, "X.DeleteUserPool").await;
        assert_eq!(proxy.peak_in_flight(&["CreateUserPool"]), 3);
        assert_eq!(
            proxy.peak_in_flight(&["DeleteUserPool"]),
            1,
            "one after the other"
        );
        assert_eq!(
            proxy.peak_in_flight(&["CreateUserPool", "DeleteUserPool"]),
            3
        );
        assert_eq!(proxy.peak_in_flight(&["ListUserPools"]), 0);
        proxy.reset_counts();
        assert_eq!(proxy.peak_in_flight(&["CreateUserPool"]), 0);
    }

    #[tokio::test]
    async fn a_dropped_connection_gets_no_answer_and_the_upstream_no_request() {
        let (upstream, task) = echo_upstream().await;
        let proxy = FaultProxy::start(&upstream, vec![]).unwrap();
        proxy.set_rules(vec![FaultRule::always(Fault::DropConnection)]);
        let answer = raw_post(&proxy.url(), TARGET).await;
        assert_eq!(answer, "");
        assert!(!task.is_finished(), "the upstream was reached");
        task.abort();
        assert_eq!(proxy.injected_faults(), 1);
    }
}
