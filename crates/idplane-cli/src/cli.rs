//! The command-line surface: clap definitions of the global options and every subcommand.
//!
//! Raw arguments are only parsed here; each command's `exec` turns them into library options.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The version line: package version, the git commit and the target it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("IDPLANE_BUILD_COMMIT"),
    ", ",
    env!("IDPLANE_BUILD_TARGET"),
    ")"
);

/// Identity federation as code for Cognito and IAM Identity Center.
#[derive(Debug, Parser)]
#[command(name = "idplane", version = VERSION, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The help heading of the options every command accepts (listed after the command's own).
const GLOBAL: &str = "Global options";

/// One `--quota` value: a quota category and its rate; `None` for an empty one (an
/// `IDPLANE_QUOTA` a CI template left empty counts as unset).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quota(pub Option<(&'static str, f64)>);

/// Options every command accepts.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// AWS named profile (as in `~/.aws/config`).
    #[arg(long, global = true, help_heading = GLOBAL, env = "AWS_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
    /// AWS region (defaults to the spec's `region`, then the usual AWS settings).
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "REGION")]
    pub region: Option<String>,
    /// Assume this IAM role (STS AssumeRole) for every AWS call; overrides the spec's
    /// `assume_role.arn` (its external id, session name and duration still apply).
    #[arg(long, global = true, help_heading = GLOBAL, env = "IDPLANE_ASSUME_ROLE", value_name = "ROLE_ARN")]
    pub assume_role: Option<String>,
    /// Send AWS requests to this endpoint (a local emulator, a VPC endpoint).
    #[arg(long, global = true, help_heading = GLOBAL, env = "AWS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Ceiling in requests per second for every AWS quota category (by default each category
    /// is paced to its documented default rate): for accounts whose quotas other tools share.
    #[arg(long, global = true, help_heading = GLOBAL, value_name = "RPS", value_parser = parse_rps)]
    pub max_rps: Option<f64>,
    /// The account's own rate for one AWS quota category, where it was raised through Service
    /// Quotas or is a share of one, e.g. `--quota sso-admin=50`; repeat it, or give several
    /// separated by commas. The others keep their documented defaults: UserPoolRead 15,
    /// UserPoolUpdate 15, UserPoolClientRead 15, UserPoolClientUpdate 15, UserPoolResourceRead
    /// 20, UserPoolResourceUpdate 15, cognito-identity 10, sso-admin 20, identitystore 20.
    /// Throttling still slows a category down; `--max-rps` still caps every one. `-v` shows
    /// each rate.
    #[arg(long, global = true, help_heading = GLOBAL, env = "IDPLANE_QUOTA", value_name = "CATEGORY=RPS", value_delimiter = ',', value_parser = parse_quota)]
    pub quota: Vec<Quota>,
    /// More log output on stderr (-v debug, -vv trace). `RUST_LOG` overrides.
    #[arg(short, long, global = true, help_heading = GLOBAL, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,
    /// No ANSI colours (also when `NO_COLOR` is set or the output is not a terminal).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_color: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check spec files without calling AWS; every problem is reported at once.
    #[command(
        after_help = "Examples:\n  idplane validate examples/seed-000-cognito-tti\n  idplane validate stacks/prod/ --var domain_prefix=acme"
    )]
    Validate(ValidateArgs),
    /// Print the JSON Schema of the spec language.
    #[command(after_help = "Examples:\n  idplane schema > specs/idplane.schema.json")]
    Schema,
    /// Read live state and show what `apply` would change.
    #[command(
        after_help = "Examples:\n  idplane plan stack.yaml --var domain_prefix=acme-dev\n  idplane plan stacks/prod/ --out plan.json --detailed-exitcode   # 0 none, 2 changes, 1 error"
    )]
    Plan(PlanArgs),
    /// Change live state to match the spec (or a saved plan).
    #[command(
        after_help = "Examples:\n  idplane apply stack.yaml                          # shows the plan, asks for `yes`\n  idplane apply --plan plan.json --auto-approve     # in CI, after `idplane plan --out plan.json`"
    )]
    Apply(ApplyArgs),
    /// Compare live state with the spec: exit 0 clean, 2 drift, 1 error.
    #[command(
        after_help = "Examples:\n  idplane drift stack.yaml                          # 0 clean, 2 drift, 1 error\n  idplane drift stacks/prod/ --format markdown > drift.md"
    )]
    Drift(DriftArgs),
    /// Check that the trusted identity propagation chain holds: exit 0 all links hold, 2 a link is broken, 1 error.
    #[command(
        after_help = "Examples:\n  idplane verify stack.yaml                         # 0 all links hold, 2 a link is broken, 1 error\n  idplane verify stacks/prod/ --format json > verify.json\n  TEST_PASSWORD=... idplane verify stack.yaml --exchange --user alice --password-env TEST_PASSWORD --role-arn arn:aws:iam::123456789012:role/qbusiness"
    )]
    Verify(VerifyArgs),
    /// Write a spec from live state (secrets become references to fill in).
    #[command(
        after_help = "Examples:\n  idplane export --user-pool us-east-1_AbC123 -o adopted.yaml\n  idplane export --tag team=identity --stack identity\n  terraform show -json > tf.json && idplane export --from-terraform tf.json --stack identity -o stack.yaml\n\nFrom Terraform: the spec holds exactly the objects the state holds (pinned to their live ids, their\nTerraform addresses as comments). Then `idplane plan` (only adoptions: tags to write), `idplane\napply`, and hand the objects over: run the printed `terraform state rm` commands and delete those\nresource blocks from the Terraform code (or write `removed` blocks), so Terraform neither\nrecreates nor destroys them."
    )]
    Export(ExportArgs),
    /// Print the IAM policy a role needs to plan (read-only), apply or verify this spec.
    #[command(
        after_help = "Examples:\n  idplane iam-policy stack.yaml --for plan > plan-role-policy.json   # CI on pull requests\n  idplane iam-policy stack.yaml --for apply > apply-role-policy.json # CI on main"
    )]
    IamPolicy(IamPolicyArgs),
    /// Print the SAML 2.0 service-provider metadata of a user pool.
    #[command(
        after_help = "Examples:\n  idplane sp-metadata user_pools.blog --spec stack.yaml\n  idplane sp-metadata us-east-1_AbC123 > sp.xml"
    )]
    SpMetadata(SpMetadataArgs),
    /// List the stacks under directories (path, stack, region, account), e.g. for a CI matrix.
    #[command(
        after_help = "Examples:\n  idplane stacks stacks/                      # one line per stack\n  idplane stacks stacks/ --format json        # feed a GitHub Actions matrix"
    )]
    Stacks(StacksArgs),
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  idplane completions bash > /etc/bash_completion.d/idplane\n  idplane completions zsh > \"${fpath[1]}/_idplane\""
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Spec files and variables, shared by the commands that load a spec.
#[derive(Debug, Args, Clone, Default)]
pub struct SpecArgs {
    /// Spec files or directories (every `*.yaml`/`*.yml` inside, sorted). Default: `.`.
    /// Several stack directories, or a directory of stacks (e.g. `stacks/`), run every stack
    /// (plan, apply, drift, verify).
    #[arg(value_name = "FILES|DIR")]
    pub paths: Vec<PathBuf>,
    /// Set a variable (`--var domain_prefix=demo`); overrides var files. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// A YAML file of `name: value` variables. Repeatable; later files win.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

impl SpecArgs {
    /// The spec paths, `.` when none were given.
    pub fn paths_or_cwd(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        }
    }
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))?;
    if k.trim().is_empty() {
        return Err(format!("`{s}` has an empty variable name"));
    }
    Ok((k.trim().to_string(), v.to_string()))
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
}

/// Output formats of `plan` and `drift`.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
    Markdown,
}

/// Planner options shared by `plan` and `apply`.
#[derive(Debug, Args, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlanFlags {
    /// Limit the plan to this address and what it depends on. Repeatable.
    #[arg(long = "target", value_name = "ADDRESS")]
    pub targets: Vec<String>,
    /// Allow a plan that replaces a user pool (this destroys its users).
    #[arg(long)]
    pub allow_replace_user_pools: bool,
    /// Allow a plan that deletes a user pool (this destroys its users).
    #[arg(long)]
    pub allow_delete_user_pools: bool,
    /// Allow a plan that deletes a large share of the managed objects.
    #[arg(long)]
    pub allow_mass_delete: bool,
}

/// Options of runs over several stacks.
#[derive(Debug, Args, Clone, Copy)]
pub struct FleetArgs {
    /// With several stacks: how many run at once (each in its own process).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: u16,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub fleet: FleetArgs,
    #[command(flatten)]
    pub flags: PlanFlags,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Save the plan (JSON) for `apply --plan`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Exit 2 when the plan has changes (0 none, 1 error).
    #[arg(long)]
    pub detailed_exitcode: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub fleet: FleetArgs,
    #[command(flatten)]
    pub flags: PlanFlags,
    /// Apply this saved plan (refused when live state or the spec moved since).
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub plan: Option<PathBuf>,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub auto_approve: bool,
    /// How many changes may run at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub parallelism: u16,
    #[command(flatten)]
    pub speed: ApplySpeed,
}

/// Waits an apply may leave out, for speed.
#[derive(Debug, Args, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplySpeed {
    /// End without waiting for a new user pool domain to become ACTIVE (a prefix domain takes
    /// about a minute, a custom domain up to an hour) unless a later change of the apply needs
    /// it. The summary lists what AWS is still setting up; `idplane plan` warns until it is
    /// ACTIVE, and names it if AWS reports FAILED.
    #[arg(long)]
    pub no_wait: bool,
    /// Vouch that no other apply of this stack ever runs at the same time (your CI serializes
    /// them: a GitHub Actions `concurrency:` group, a GitLab `resource_group`). Skips the look
    /// for a concurrent apply's duplicate that follows each create of a user pool, app client,
    /// identity pool or application (at least 750 ms per level of the plan), and the look for
    /// an earlier run's object before each create (the apply's own observe just looked; after
    /// a create whose outcome is unknown it still looks). If two applies do overlap anyway,
    /// both may create the object; the next plan then refuses the ambiguity and names both
    /// ids.
    #[arg(long, env = "IDPLANE_SERIALIZED", value_parser = parse_switch, default_value_t = false)]
    pub serialized: bool,
}

#[derive(Debug, Args)]
pub struct DriftArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct StacksArgs {
    /// Directories to search (a stack directory holds a `*.yaml` with a top-level `stack:`).
    #[arg(value_name = "DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format on stdout (`json`: an array of {path, stack, region, accounts}).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Also exchange a real token: CreateTokenWithIAM, then AssumeRole with --role-arn.
    #[arg(long)]
    pub exchange: bool,
    /// A Cognito ID token of the user to exchange, read from this file (never printed).
    #[arg(
        long,
        value_name = "FILE",
        requires = "exchange",
        conflicts_with = "user"
    )]
    pub id_token: Option<PathBuf>,
    /// A test user of the pool, signed in by the admin flow (the client must allow
    /// ALLOW_ADMIN_USER_PASSWORD_AUTH); the password comes from --password-env.
    #[arg(long, value_name = "NAME", requires_all = ["exchange", "password_env"])]
    pub user: Option<String>,
    /// The environment variable holding the test user's password.
    #[arg(long, value_name = "VAR", requires = "user")]
    pub password_env: Option<String>,
    /// After the exchange, assume this role with the identity context (ProvidedContexts).
    #[arg(long, value_name = "ARN", requires = "exchange")]
    pub role_arn: Option<String>,
    /// A SAML signing certificate expiring within this many days is a broken link (exit 2);
    /// without it, only an expired one is.
    #[arg(long, value_name = "DAYS")]
    pub warn_days: Option<u32>,
    /// Identity coverage: read at most this many users of each issuing pool and report those
    /// no Identity Store user matches under the trusted token issuer's mapping (they cannot
    /// exchange tokens); 0 turns it off.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub sample: usize,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Export this user pool (id). Repeatable. Default: every pool and application.
    #[arg(long = "user-pool", value_name = "ID")]
    pub user_pools: Vec<String>,
    /// Export this Identity Center application (ARN). Repeatable.
    #[arg(long = "application", value_name = "ARN")]
    pub applications: Vec<String>,
    /// Export only objects carrying this tag (`key=value`). Repeatable (all must match).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_var)]
    pub tags: Vec<(String, String)>,
    /// Export exactly the objects this Terraform state holds: the JSON of `terraform show
    /// -json` (aws_cognito_*, aws_ssoadmin_* and aws_identitystore_* resources), pinned to their
    /// live ids, and print the `terraform state rm` commands that hand them over.
    #[arg(
        long = "from-terraform",
        value_name = "FILE",
        conflicts_with_all = ["user_pools", "applications", "tags"]
    )]
    pub from_terraform: Option<PathBuf>,
    /// The `stack:` name of the written spec.
    #[arg(long, default_value = "exported")]
    pub stack: String,
    /// Write to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// What an IAM policy is for.
#[derive(Debug, Clone, Copy, ValueEnum, Default, PartialEq, Eq)]
pub enum PolicyPurpose {
    /// `plan`, `drift` and `export`: read-only actions.
    #[default]
    Plan,
    /// `apply`: the reads plus every write.
    Apply,
    /// `verify`: the reads plus what verify calls (STS, the token exchange).
    Verify,
}

#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The command the role runs.
    #[arg(long = "for", value_enum, default_value_t = PolicyPurpose::Plan)]
    pub purpose: PolicyPurpose,
}

#[derive(Debug, Args)]
pub struct SpMetadataArgs {
    /// A spec address (`user_pools.blog`, read with the spec) or a live pool id (`us-east-1_Ab12`).
    #[arg(value_name = "USER_POOL")]
    pub user_pool: String,
    /// Spec files or directories, needed when USER_POOL is a spec address. Repeatable.
    #[arg(long = "spec", value_name = "FILES|DIR")]
    pub spec_paths: Vec<PathBuf>,
    /// Set a variable of the spec. Repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// A YAML file of spec variables. Repeatable.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// The NameID format to announce.
    #[arg(
        long,
        default_value = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    )]
    pub name_id_format: String,
}

impl GlobalArgs {
    /// The `--quota` rates given (empty ones left out).
    pub fn quotas(&self) -> Vec<(&'static str, f64)> {
        self.quota.iter().filter_map(|q| q.0).collect()
    }
}

/// `CATEGORY=RPS`: a quota category and a positive rate; nothing for an empty value.
fn parse_quota(s: &str) -> Result<Quota, String> {
    if s.trim().is_empty() {
        return Ok(Quota(None));
    }
    idplane_aws::pacing::parse_quota(s).map(|q| Quota(Some(q)))
}

/// A yes/no value as `IDPLANE_SERIALIZED` may give it (`true`/`false`, `yes`/`no`, `on`/`off`,
/// `1`/`0`, any case); empty counts as no (a CI template left it empty).
fn parse_switch(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Ok(true),
        "" | "n" | "no" | "f" | "false" | "off" | "0" => Ok(false),
        _ => Err(format!("`{s}` is not true or false (yes/no, on/off, 1/0)")),
    }
}

/// A positive number of requests per second.
fn parse_rps(s: &str) -> Result<f64, String> {
    idplane_aws::pacing::parse_rate(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// The help lists every category with its documented rate, as the pacing table has them.
    #[test]
    fn quota_help_names_every_category_and_its_default_rate() {
        let help = Cli::command()
            .get_arguments()
            .find(|a| a.get_id() == "quota")
            .and_then(|a| a.get_help().map(|h| h.to_string()))
            .expect("--quota has help");
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        for (category, rate) in idplane_aws::pacing::CATEGORIES {
            let entry = format!("{category} {rate},");
            let last = format!("{category} {rate}.");
            assert!(
                help.contains(&entry) || help.contains(&last),
                "`{entry}` missing: {help}"
            );
        }
    }

    #[test]
    fn var_parsing_splits_on_the_first_equals() {
        assert_eq!(
            parse_var("a=b=c").unwrap(),
            ("a".to_string(), "b=c".to_string())
        );
        assert!(parse_var("novalue").is_err());
        assert!(parse_var("=x").is_err());
    }
}
