//! Helpers shared by the integration tests: SDK clients for one account.

use aws_sdk_cognitoidentity as ci;
use aws_sdk_cognitoidentityprovider as idp;
use aws_sdk_identitystore as ids;
use aws_sdk_ssoadmin as sso;
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
    let config = account.sdk_config().await;
    let config = config
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

/// The error code of an SDK error (`ConflictException`, ...), or its display text when it has none.
pub fn code<E, R>(err: &aws_sdk_ssoadmin::error::SdkError<E, R>) -> String
where
    E: aws_sdk_ssoadmin::error::ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    match err {
        aws_sdk_ssoadmin::error::SdkError::ServiceError(e) => {
            e.err().code().unwrap_or("<no code>").to_string()
        }
        other => format!("{other:?}"),
    }
}
