//! Lowering the `identity_center` section: the instance selector and home region, then its
//! trusted token issuers and applications.

use super::*;

impl Lower<'_> {
    pub(super) fn identity_center(&mut self, ic: &Node) -> InstanceSelector {
        let selector = match ic.get("instance") {
            None => InstanceSelector::Auto,
            Some(i) => match i.as_str() {
                Some("auto") => InstanceSelector::Auto,
                Some(t) if t.starts_with("arn:") && t.contains(":instance/") && valid_arn(t) => {
                    InstanceSelector::Arn(t.to_string())
                }
                Some(t) => {
                    self.issue(
                        codes::INSTANCE,
                        i.pos,
                        format!("`{t}` is neither `auto` nor an Identity Center instance ARN"),
                        Some("e.g. `arn:aws:sso:::instance/ssoins-1234567890abcdef`".into()),
                    );
                    InstanceSelector::Auto
                }
                None => InstanceSelector::Auto,
            },
        };
        let ttis = ic
            .get("trusted_token_issuers")
            .map(Node::entries)
            .unwrap_or_default();
        for (i, (name, kp, t)) in ttis.iter().enumerate() {
            if i == 10 {
                self.issue(
                    codes::TOO_MANY_TTIS,
                    *kp,
                    format!(
                        "{} trusted token issuers; an Identity Center instance has at most 10",
                        ttis.len()
                    ),
                    None,
                );
            }
            self.tti(name, t);
        }
        for (name, _, a) in ic
            .get("applications")
            .map(Node::entries)
            .unwrap_or_default()
        {
            self.application(name, a);
        }
        selector
    }

    /// `identity_center.region`: the home region of Identity Center, when not the stack's.
    pub(super) fn identity_center_region(&mut self, ic: &Node) -> Option<String> {
        let n = ic.get("region")?;
        let t = n.as_str()?;
        if is_aws_region(t) {
            Some(t.to_string())
        } else {
            self.issue(
                codes::STACK_HEADER,
                n.pos,
                format!("`{t}` is not an AWS region"),
                Some(
                    "the home region of IAM Identity Center (console: Settings), e.g. `us-east-1`"
                        .into(),
                ),
            );
            None
        }
    }
}
