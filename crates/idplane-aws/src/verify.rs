//! What `idplane verify` asks AWS beyond observing the stack: the calling account (whom the
//! actor policy must allow).

use crate::AwsProvider;
use idplane_model::ProviderError;

impl AwsProvider {
    /// The account id of the credentials (STS GetCallerIdentity): the account that will call
    /// CreateTokenWithIAM.
    pub async fn caller_account(&self) -> Result<String, ProviderError> {
        self.account_id().await
    }
}
