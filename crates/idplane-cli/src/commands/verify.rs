//! `idplane verify`: checks that the trusted identity propagation chain the spec describes holds
//! in live state, link by link (for cron): exit 0 all links hold, 2 a link is broken, 1 error.
//!
//! The static checks are `idplane_verify::verify` (pure, same matching as `plan`); this command
//! reads live state and the calling account, runs the live exchange when asked (`--exchange`:
//! an ID token, CreateTokenWithIAM, AssumeRole with the identity context), and prints the
//! report. Tokens and the password are `idplane_aws::verify::Token`s: never printed or logged.
//! With `--sample N` (default 100, 0 off) it reads the first N users of each issuing pool and
//! asks the Identity Store which of them it knows (the identity coverage), then checks again
//! with those facts.

use crate::cli::{Format, GlobalArgs, VerifyArgs};
use crate::context::{self, SpecInputs};
use crate::exit::Outcome;
use anyhow::Context as _;
use idplane_aws::AwsProvider;
use idplane_aws::verify::Token;
use idplane_model::ProviderError;
use idplane_verify::coverage::{self, CoverageTarget, PoolUser, Sample};
use idplane_verify::{ExchangeTarget, Finding, Status, render};

/// Largest ID token file read (a Cognito ID token is a few kilobytes).
const MAX_ID_TOKEN_BYTES: u64 = 64 * 1024;

/// Where the exchange's ID token comes from.
enum Source {
    File(Token),
    User { name: String, password: Token },
}

fn source(args: &VerifyArgs) -> anyhow::Result<Option<Source>> {
    if !args.exchange {
        return Ok(None);
    }
    if let Some(path) = &args.id_token {
        let text = idplane_model::files::read_text(path, MAX_ID_TOKEN_BYTES).map_err(|e| {
            anyhow::anyhow!("cannot read the ID token file {}: {e}", path.display())
        })?;
        return Ok(Some(Source::File(Token::new(text.trim()))));
    }
    match (&args.user, &args.password_env) {
        (Some(user), Some(var)) => {
            let password = std::env::var(var).map_err(|_| {
                anyhow::anyhow!("--password-env {var}: the environment variable is not set")
            })?;
            Ok(Some(Source::User {
                name: user.clone(),
                password: Token::new(password),
            }))
        }
        _ => Err(anyhow::anyhow!(
            "--exchange needs a token to exchange: --id-token FILE, or --user NAME --password-env VAR"
        )),
    }
}

/// What an AWS error of a hop means for the chain.
fn meaning(code: &str, message: &str) -> &'static str {
    match code {
        "InvalidGrantException" => {
            "the token was refused: its issuer (iss), audience (aud), signature, expiry or claim does not match a trusted token issuer of the application's grant, or no Identity Store user has the claimed value"
        }
        "AccessDeniedException" => {
            "the caller's account is not allowed by the application's actor policy, the application is disabled, or the user is not assigned to it (or, for AssumeRole, the role's trust policy does not allow sts:AssumeRole and sts:SetContext)"
        }
        "InvalidClientException" => "the client id is not the ARN of a live application",
        "UnauthorizedClientException" => "the application has no JWT bearer grant",
        "InvalidScopeException" => "a requested scope is not an access scope of the application",
        "UnsupportedGrantTypeException" => "the grant type is not supported",
        "ExpiredTokenException" => "the identity context has expired or is not valid",
        "InvalidParameterException" if message.contains("Auth flow") => {
            "the client does not allow ALLOW_ADMIN_USER_PASSWORD_AUTH: add it for a test client, or pass --id-token"
        }
        "NotAuthorizedException" => "the user name or password is wrong, or the user is disabled",
        "UserNotFoundException" => "the pool has no such user",
        _ => "see AWS's message",
    }
}

fn hop(chain: &str, link: &'static str, objects: Vec<String>) -> Finding {
    Finding {
        link,
        status: Status::Pass,
        chain: chain.to_string(),
        objects,
        expected: String::new(),
        actual: String::new(),
        fix: String::new(),
    }
}

fn failed(mut f: Finding, expected: &str, e: &ProviderError) -> Finding {
    f.status = Status::Broken;
    f.expected = expected.to_string();
    f.actual = if e.code.is_empty() {
        e.message.clone()
    } else if e.message.is_empty() {
        e.code.clone()
    } else {
        format!("{}: {}", e.code, e.message)
    };
    f.fix = meaning(&e.code, &e.message).to_string();
    f
}

fn skipped(chain: &str, link: &'static str, why: &str) -> Finding {
    let mut f = hop(chain, link, vec![]);
    f.status = Status::Skipped;
    f.actual = why.to_string();
    f
}

/// The live exchange of one chain: every hop as a finding.
async fn exchange(
    provider: &AwsProvider,
    t: &ExchangeTarget,
    source: &Source,
    role_arn: Option<&str>,
) -> Vec<Finding> {
    let chain = t.chain.as_str();
    let mut out = Vec::new();
    let rest = |out: &mut Vec<Finding>, from: usize, why: &str| {
        for (link, _) in &idplane_verify::EXCHANGE_HOPS[from..] {
            if *link == "exchange.assume_role" && role_arn.is_none() {
                out.push(skipped(chain, link, "no --role-arn"));
            } else {
                out.push(skipped(chain, link, why));
            }
        }
    };
    // exchange.id_token
    let client = t.client_ids.first().cloned().unwrap_or_default();
    let id_token = match source {
        Source::File(token) => {
            let mut f = hop(chain, "exchange.id_token", vec![]);
            f.actual = "the --id-token file".into();
            out.push(f);
            token.clone()
        }
        Source::User { name, password } => {
            let objects = vec![t.pool_id.clone(), client.clone()];
            match provider
                .admin_id_token(&t.pool_id, &client, name, password)
                .await
            {
                Ok(token) => {
                    let mut f = hop(chain, "exchange.id_token", objects);
                    f.actual = format!("an ID token of {name} from client {client}");
                    out.push(f);
                    token
                }
                Err(e) => {
                    out.push(failed(
                        hop(chain, "exchange.id_token", objects),
                        &format!("an ID token of {name}"),
                        &e,
                    ));
                    rest(&mut out, 1, "no ID token");
                    return out;
                }
            }
        }
    };
    // exchange.create_token_with_iam
    let objects = vec![t.application_arn.clone()];
    let exchanged = match provider
        .create_token_with_iam(&t.application_arn, &id_token)
        .await
    {
        Ok(x) => {
            let mut f = hop(chain, "exchange.create_token_with_iam", objects.clone());
            f.actual = format!(
                "an Identity Center token{} valid {} s",
                if x.access_token {
                    ""
                } else {
                    " (no access token!)"
                },
                x.expires_in
            );
            out.push(f);
            x
        }
        Err(e) => {
            out.push(failed(
                hop(chain, "exchange.create_token_with_iam", objects),
                "an Identity Center token",
                &e,
            ));
            rest(&mut out, 2, "the exchange failed");
            return out;
        }
    };
    // exchange.scopes
    let missing: Vec<&String> = t
        .scopes
        .iter()
        .filter(|s| !exchanged.scopes.contains(s))
        .collect();
    let mut f = hop(chain, "exchange.scopes", objects.clone());
    f.expected = t.scopes.join(" ");
    f.actual = exchanged.scopes.join(" ");
    if !missing.is_empty() {
        f.status = Status::Broken;
        f.fix = "put the application's access scopes back (`access_scopes`, then `idplane apply`)"
            .into();
    }
    out.push(f);
    // exchange.identity_context
    let Some(context) = exchanged.identity_context else {
        let mut f = hop(chain, "exchange.identity_context", objects);
        f.status = Status::Broken;
        f.expected = "sts:identity_context in the token".into();
        f.actual = "none".into();
        f.fix = "AWS returned no identity context: check the application's grant and the Identity Center instance".into();
        out.push(f);
        rest(&mut out, 4, "no identity context");
        return out;
    };
    let mut f = hop(chain, "exchange.identity_context", objects);
    f.actual = "present (sensitive)".into();
    out.push(f);
    // exchange.assume_role
    let Some(role) = role_arn else {
        rest(&mut out, 4, "no --role-arn");
        return out;
    };
    let objects = vec![role.to_string()];
    match provider.assume_role_with_context(role, &context).await {
        Ok(session) => {
            let mut f = hop(chain, "exchange.assume_role", objects);
            f.actual = format!(
                "identity-enhanced session {}{}",
                session.arn,
                session
                    .expiration
                    .map(|e| format!(" until {e}"))
                    .unwrap_or_default()
            );
            out.push(f);
        }
        Err(e) => out.push(failed(
            hop(chain, "exchange.assume_role", objects),
            "an identity-enhanced session",
            &e,
        )),
    }
    out
}

/// Certificate health of the spec's live pools: the pool's signing certificate and its SAML
/// IdPs' (from the metadata document AWS holds; an IdP known by a metadata URL is not fetched).
async fn health(
    provider: &AwsProvider,
    observed: &idplane_model::Observed,
    pools: &[(String, String)],
    warn_days: Option<u32>,
) -> Vec<Finding> {
    use idplane_verify::health::{self, Certificate};
    let mut certs = Vec::new();
    let mut out = Vec::new();
    for (address, id) in pools {
        let objects = vec![format!("{address} ({id})")];
        match provider.pool_signing_certificate(id).await {
            Ok(b64) => certs.push(Certificate {
                link: "health.pool_signing_certificate",
                pool: address.clone(),
                objects,
                base64_der: b64,
            }),
            Err(e) => out.push(failed(
                Finding {
                    link: "health.pool_signing_certificate",
                    status: Status::Pass,
                    chain: address.clone(),
                    objects,
                    expected: String::new(),
                    actual: String::new(),
                    fix: String::new(),
                },
                "the pool's signing certificate",
                &e,
            )),
        }
    }
    let (idp_certs, by_url) = health::idp_certificates(observed, pools);
    certs.extend(idp_certs);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    out.extend(health::findings(&certs, now, warn_days));
    for (address, idp) in by_url {
        let mut f = skipped(&address, "health.idp_signing_certificate", "");
        f.objects = vec![idp];
        f.actual = "the IdP's metadata comes from its URL, which verify does not fetch".into();
        out.push(f);
    }
    out
}

/// The identity coverage facts: for each pool and mapping a chain needs, the first `sample`
/// users of the pool and which of their claim values find an Identity Store user.
async fn coverage(
    provider: &AwsProvider,
    targets: &[CoverageTarget],
    sample: usize,
) -> anyhow::Result<Vec<Sample>> {
    let mut out = Vec::new();
    for target in targets {
        let read = provider
            .pool_users(&target.pool_id, sample)
            .await
            .with_context(|| {
                format!(
                    "cannot read the users of {} for identity.coverage (--sample 0 turns it off)",
                    target.pool_id
                )
            })?;
        let users: Vec<PoolUser> = read
            .users
            .into_iter()
            .map(|u| PoolUser {
                username: u.username,
                attributes: u.attributes,
            })
            .collect();
        let values = coverage::claim_values(&users, &target.claim_attribute_path);
        let found = provider
            .identity_store_matches(&target.identity_store_attribute_path, &values)
            .await
            .context("cannot look the pool's users up in the Identity Store for identity.coverage (--sample 0 turns it off)")?;
        out.push(Sample {
            target: target.clone(),
            estimated_users: read.estimated,
            users,
            found,
        });
    }
    Ok(out)
}

pub async fn exec(global: &GlobalArgs, args: &VerifyArgs) -> anyhow::Result<Outcome> {
    if let Some(stacks) = crate::fleet::discover(&args.spec.paths)? {
        anyhow::ensure!(
            !args.exchange,
            "--exchange checks one stack (it signs in one user); run it per stack"
        );
        let job = crate::fleet::Job::Verify {
            format: args.format,
            warn_days: args.warn_days,
            sample: args.sample,
        };
        return crate::fleet::run(global, &args.spec, stacks, job, args.fleet.jobs).await;
    }
    let source = source(args)?;
    let inputs = SpecInputs::from_args(&args.spec);
    let desired = context::load_spec(global, &inputs, false)?;
    let provider = context::stack_provider(global, &desired).await?;
    let observed = context::observe(&provider, &desired).await?;
    let account = provider
        .caller_account()
        .await
        .context("cannot read the calling account")?;
    let mut facts = idplane_verify::Facts {
        account_id: Some(account),
        coverage: Vec::new(),
    };
    let check = |facts: &idplane_verify::Facts| {
        idplane_verify::verify(&desired, &observed, facts)
            .map_err(|e| anyhow::anyhow!("cannot match the spec to live state: {e}"))
    };
    let mut report = check(&facts)?;
    // The report names the pools and mappings whose coverage it needs; checked again with them.
    if args.sample > 0 && !report.coverage.is_empty() {
        facts.coverage = coverage(&provider, &report.coverage, args.sample).await?;
        report = check(&facts)?;
    }
    if let Some(source) = &source {
        let mut found = Vec::new();
        for t in report.targets.clone() {
            found.extend(exchange(&provider, &t, source, args.role_arn.as_deref()).await);
        }
        for chain in &report.chains {
            if !report.targets.iter().any(|t| &t.chain == chain) {
                for (link, _) in idplane_verify::EXCHANGE_HOPS {
                    found.push(skipped(
                        chain,
                        link,
                        "the application or the issuing pool is not live",
                    ));
                }
            }
        }
        report.extend(found);
        // Each chain's hops right after its static links.
        let order: Vec<String> = report.chains.clone();
        report
            .findings
            .sort_by_key(|f| order.iter().position(|c| c == &f.chain));
    }
    report.extend(health(&provider, &observed, &report.pools, args.warn_days).await);
    let color = crate::output::color(global, false);
    print!(
        "{}",
        match args.format {
            Format::Text => render::text(&report, color),
            Format::Json => render::json(&report),
            Format::Markdown => render::markdown(&report),
        }
    );
    Ok(if report.has_broken() {
        Outcome::Broken
    } else {
        Outcome::Success
    })
}
