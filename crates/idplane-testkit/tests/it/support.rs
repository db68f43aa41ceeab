//! Helpers shared by the integration tests: SDK clients for one fresh account, error codes.

use aws_sdk_cognitoidentity as ci;
use aws_sdk_cognitoidentityprovider as idp;
use aws_sdk_identitystore as ids;
use aws_sdk_ssoadmin as sso;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use idplane_testkit::{Account, Emulator};

/// A fresh account with clients that do not retry (so call counts are exact).
pub struct Ctx {
    pub account: Account,
    pub idp: idp::Client,
    pub ci: ci::Client,
    pub sso: sso::Client,
    pub ids: ids::Client,
}

pub async fn ctx() -> Ctx {
    let account = Emulator::shared().account();
    let config = account
        .sdk_config()
        .await
        .into_builder()
        .retry_config(RetryConfig::disabled())
        .build();
    Ctx {
        idp: idp::Client::new(&config),
        ci: ci::Client::new(&config),
        sso: sso::Client::new(&config),
        ids: ids::Client::new(&config),
        account,
    }
}

impl Ctx {
    /// The Identity Center instance moto creates in every account.
    pub async fn instance_arn(&self) -> String {
        let out = self
            .sso
            .list_instances()
            .send()
            .await
            .expect("ListInstances");
        out.instances()[0]
            .instance_arn()
            .expect("instance arn")
            .to_string()
    }
}

/// The error code of a failed SDK call (`ConflictException`, ...); panics when the call succeeded.
pub fn code<T: std::fmt::Debug, E: ProvideErrorMetadata + std::fmt::Debug>(
    result: Result<T, E>,
) -> String {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .code()
            .map(str::to_string)
            .unwrap_or_else(|| format!("<no code: {e:?}>")),
    }
}
