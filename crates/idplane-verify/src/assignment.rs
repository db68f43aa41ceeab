//! The application's own links: `assignment.required` here, and [`Ctx::app_links`], which
//! reports it with the authentication method and access scope links of the application.

use crate::chain::{Chain, Ctx, label};
use crate::report::Status;
use idplane_model::{DesiredResource, Kind, LiveObject, Value};

impl Ctx<'_> {
    /// Links of the application itself: assignment, authentication method, access scopes.
    pub(crate) fn app_links(&self, c: &mut Chain, app: &DesiredResource, live_app: &LiveObject) {
        let app_obj = vec![label(&app.address, Some(live_app))];
        self.assignment_link(c, &app_obj, live_app);
        self.auth_method_links(c, &app_obj, live_app);
        self.access_scopes_link(c, app, &app_obj, live_app);
    }

    /// `assignment.required`: assignment is not required, or someone is assigned.
    fn assignment_link(&self, c: &mut Chain, app_obj: &[String], live_app: &LiveObject) {
        let app_obj = app_obj.to_vec();
        // assignment.required
        let required = self
            .live_children(Kind::ApplicationAssignmentConfiguration, live_app)
            .first()
            .and_then(|o| o.attrs.get("assignment_required").and_then(Value::as_bool))
            .unwrap_or(true);
        let assigned = self
            .live_children(Kind::ApplicationAssignment, live_app)
            .len();
        if !required {
            c.pass("assignment.required", app_obj.clone(), "not required");
        } else if assigned > 0 {
            c.pass(
                "assignment.required",
                app_obj.clone(),
                format!("required; {assigned} principal(s) assigned"),
            );
        } else {
            c.push(
                "assignment.required",
                Status::Broken,
                app_obj.clone(),
                "assignment not required, or principals assigned",
                "assignment required and nobody is assigned",
                "set `assignment_required: false` or add `assignments`, then `idplane apply`",
            );
        }
    }
}
