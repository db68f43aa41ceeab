//! IAM Identity Center in its home region: one instance per account lives in one region, which
//! may differ from the region of the Cognito resources. sso-admin, identitystore and sso-oidc
//! (`verify --exchange`) go there.

use crate::AwsProvider;
use aws_config::Region;

impl AwsProvider {
    /// The same provider calling sso-admin, identitystore and sso-oidc in `region` (Identity
    /// Center's home region) while Cognito stays in its region; `None` keeps them together.
    pub fn with_identity_center_region(mut self, region: Option<&str>) -> Self {
        let Some(region) = region.filter(|r| *r != self.ic_region) else {
            return self;
        };
        let sso = self
            .sso
            .config()
            .to_builder()
            .region(Region::new(region.to_string()))
            .build();
        let ids = self
            .ids
            .config()
            .to_builder()
            .region(Region::new(region.to_string()))
            .build();
        let oidc = self
            .oidc
            .config()
            .to_builder()
            .region(Region::new(region.to_string()))
            .build();
        self.sso = aws_sdk_ssoadmin::Client::from_conf(sso);
        self.oidc = aws_sdk_ssooidc::Client::from_conf(oidc);
        self.ids = aws_sdk_identitystore::Client::from_conf(ids);
        self.ic_region = region.to_string();
        self
    }

    /// Where Identity Center and the Identity Store are called.
    pub fn identity_center_region(&self) -> &str {
        &self.ic_region
    }
}
