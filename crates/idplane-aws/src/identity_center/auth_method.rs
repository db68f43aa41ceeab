//! Application authentication methods (IAM, with an actor policy): to_live, list, read, find
//! by method type, put (create and update are one upsert) and delete.

use super::obj;
use crate::convert::{Obj, doc_to_value, get_str, merge_attrs, value_to_doc};
use crate::error::invalid;
use crate::pagination::all_pages;
use crate::{AwsProvider, created, gone, need_parent, none_if_missing};
use aws_sdk_ssoadmin::types as t;
use idplane_model::{Attrs, Kind, LiveObject, ProviderError, Target, Value};

pub fn to_live(app: &str, method_type: &str, m: Option<&t::AuthenticationMethod>) -> LiveObject {
    let policy = match m {
        Some(t::AuthenticationMethod::Iam(i)) => doc_to_value(i.actor_policy()),
        _ => Value::Null,
    };
    let a = Obj::new()
        .s("method_type", Some(method_type))
        .v("actor_policy", policy)
        .attrs();
    obj(
        Kind::ApplicationAuthenticationMethod,
        method_type,
        Some(app),
        a,
    )
}

/// The policy document of a target: a map, or JSON text.
fn policy_doc(v: &Value) -> aws_smithy_types::Document {
    if let Value::Str(s) = v
        && let Ok(j) = serde_json::from_str::<serde_json::Value>(s)
    {
        value_to_doc(&Value::from_json(&j))
    } else {
        value_to_doc(v)
    }
}

/// Every authentication method of the application (paginated).
pub(super) async fn list(p: &AwsProvider, app: &str) -> Result<Vec<LiveObject>, ProviderError> {
    all_pages(|token| async move {
        let out = p
            .call("sso:ListApplicationAuthenticationMethods", || {
                p.sso
                    .list_application_authentication_methods()
                    .application_arn(app)
                    .set_next_token(token.clone())
                    .send()
            })
            .await?;
        let objs = out
            .authentication_methods()
            .iter()
            .filter_map(|m| {
                Some(to_live(
                    app,
                    m.authentication_method_type()?.as_str(),
                    m.authentication_method(),
                ))
            })
            .collect();
        Ok((objs, out.next_token().map(str::to_string)))
    })
    .await
}

pub async fn read(
    p: &AwsProvider,
    parent: Option<&str>,
    id: &str,
) -> Result<Option<LiveObject>, ProviderError> {
    p.instance().await?;
    let app = need_parent(Kind::ApplicationAuthenticationMethod, parent)?;
    let out = none_if_missing(
        p.call("sso:GetApplicationAuthenticationMethod", || {
            p.sso
                .get_application_authentication_method()
                .application_arn(app)
                .authentication_method_type(t::AuthenticationMethodType::from(id))
                .send()
        })
        .await,
    )?;
    Ok(out.map(|o| to_live(app, id, o.authentication_method())))
}

pub async fn find(p: &AwsProvider, tg: &Target) -> Result<Option<LiveObject>, ProviderError> {
    let method_type = get_str(&tg.attrs, "method_type").unwrap_or_default();
    read(p, tg.parent_id.as_deref(), &method_type).await
}

/// PutApplicationAuthenticationMethod (an upsert); answers the method's id (its type).
async fn put(p: &AwsProvider, app: &str, a: &Attrs) -> Result<String, ProviderError> {
    const OP: &str = "sso:PutApplicationAuthenticationMethod";
    let mt = get_str(a, "method_type").unwrap_or_else(|| "IAM".to_string());
    let policy = policy_doc(a.get("actor_policy").unwrap_or(&Value::Null));
    let method = t::AuthenticationMethod::Iam(
        t::IamAuthenticationMethod::builder()
            .actor_policy(policy)
            .build()
            .map_err(|e| invalid(OP, e.to_string()))?,
    );
    p.call(OP, || {
        p.sso
            .put_application_authentication_method()
            .application_arn(app)
            .authentication_method_type(t::AuthenticationMethodType::from(mt.as_str()))
            .authentication_method(method.clone())
            .send()
    })
    .await?;
    Ok(mt)
}

pub async fn create(p: &AwsProvider, tg: &Target) -> Result<LiveObject, ProviderError> {
    let app = need_parent(tg.kind, tg.parent_id.as_deref())?;
    let id = put(p, app, &tg.attrs).await?;
    created(tg, read(p, Some(app), &id).await?)
}

pub async fn update(
    p: &AwsProvider,
    lv: &LiveObject,
    tg: &Target,
) -> Result<LiveObject, ProviderError> {
    let app = need_parent(tg.kind, lv.parent_id.as_deref().or(tg.parent_id.as_deref()))?;
    // `lv` is the caller's read of just now (see `Provider::update`): no second read.
    let cur = lv;
    let merged = merge_attrs(&cur.attrs, &tg.attrs, &["actor_policy"]);
    let id = put(p, app, &merged).await?;
    read(p, Some(app), &id).await?.ok_or_else(|| gone(lv, tg))
}

pub async fn delete(p: &AwsProvider, lv: &LiveObject) -> Result<(), ProviderError> {
    let app = need_parent(lv.kind, lv.parent_id.as_deref())?;
    p.call("sso:DeleteApplicationAuthenticationMethod", || {
        p.sso
            .delete_application_authentication_method()
            .application_arn(app)
            .authentication_method_type(t::AuthenticationMethodType::from(lv.id.as_str()))
            .send()
    })
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(text: &str) -> Value {
        Value::from_json(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn actor_policy_accepts_json_text_or_data() {
        let data = j(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sso-oauth:CreateTokenWithIAM"}]}"#,
        );
        let text = Value::str(serde_json::to_string(&data.to_json()).unwrap());
        assert_eq!(doc_to_value(&policy_doc(&text)), data);
        assert_eq!(doc_to_value(&policy_doc(&data)), data);
    }
}
