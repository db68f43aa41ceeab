//! The `access_scopes` link: every access scope the spec gives the application is live.

use crate::chain::{Chain, Ctx};
use crate::report::Status;
use idplane_model::{DesiredResource, Kind, LiveObject, Value};

impl Ctx<'_> {
    /// `access_scopes`.
    pub(crate) fn access_scopes_link(
        &self,
        c: &mut Chain,
        app: &DesiredResource,
        app_obj: &[String],
        live_app: &LiveObject,
    ) {
        let app_obj = app_obj.to_vec();
        // access_scopes
        let live_scopes: Vec<&str> = self
            .live_children(Kind::ApplicationAccessScope, live_app)
            .into_iter()
            .map(|s| s.id.as_str())
            .collect();
        let wanted: Vec<String> = self
            .children(&app.address, Kind::ApplicationAccessScope)
            .filter_map(|s| s.attrs.get("scope").and_then(Value::as_str))
            .map(str::to_string)
            .collect();
        let missing: Vec<&String> = wanted
            .iter()
            .filter(|s| !live_scopes.contains(&s.as_str()))
            .collect();
        if missing.is_empty() {
            c.pass(
                "access_scopes",
                app_obj,
                if wanted.is_empty() {
                    "none in the spec".to_string()
                } else {
                    wanted.join(", ")
                },
            );
        } else {
            c.push(
                "access_scopes",
                Status::Broken,
                app_obj,
                wanted.join(", "),
                format!(
                    "missing {}",
                    missing
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "run `idplane apply` to put the access scopes back",
            );
        }
    }
}
