//! Tests of the AWS provider against the local emulator over HTTP (moto plus idplane's
//! extension, started by `idplane-testkit`). Objects are created through the provider and read
//! back with plain SDK calls; each test takes its own isolated account and FAILS when the
//! emulator cannot start.

mod cognito;
mod conformance;
mod coverage;
mod errors;
mod full_replace;
mod identity_center;
mod identity_pool;
mod identity_store;
mod members;
mod observe;
mod strict;
mod twins;

use idplane_aws::{AwsProvider, RetryPolicy};
use idplane_model::{Address, Kind, ObserveRequest, Target, Value};
use idplane_testkit::{Account, Emulator};
use std::time::Duration;

pub const STACK: &str = "it";

pub struct Env {
    pub account: Account,
    pub sdk: aws_config::SdkConfig,
    pub provider: AwsProvider,
}

pub async fn env() -> Env {
    let account = Emulator::shared().account();
    let sdk = account.sdk_config().await;
    let provider = AwsProvider::from_sdk_config(&sdk).with_retry_policy(RetryPolicy {
        max_attempts: 6,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(50),
        settle_budget: Duration::from_secs(10),
    });
    Env {
        account,
        sdk,
        provider,
    }
}

/// A value from JSON text.
pub fn j(text: &str) -> Value {
    Value::from_json(&serde_json::from_str(text).expect("valid JSON in a test"))
}

/// A target of `kind` at `address` (dotted) with attributes from JSON text.
pub fn target(kind: Kind, address: &str, parent: Option<&str>, attrs: &str) -> Target {
    let address = Address::parse(address).expect("valid address");
    Target {
        client_token: format!("{STACK}/{address}"),
        address,
        kind,
        parent_id: parent.map(str::to_string),
        attrs: j(attrs).as_map().expect("attrs are an object").clone(),
        stack: STACK.to_string(),
    }
}

pub fn request(kinds: &[Kind]) -> ObserveRequest {
    ObserveRequest {
        stack: STACK.to_string(),
        kinds: kinds.iter().copied().collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn options_choose_region_and_endpoint() {
    let account = Emulator::shared().account();
    let provider = AwsProvider::from_options(&idplane_aws::AwsOptions {
        profile: None,
        region: Some("eu-west-1".into()),
        endpoint_url: Some(account.endpoint()),
        assume_role: None,
    })
    .await
    .expect("configuration loads");
    assert_eq!(provider.region(), "eu-west-1");
}
