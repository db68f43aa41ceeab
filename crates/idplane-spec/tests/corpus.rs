//! The corpus of invalid specs under `tests/specs/invalid`: each file states on its first line the
//! code it must produce (`# expect: E0xx -- why`); the rendered diagnostics are snapshot-tested.

use idplane_spec::{LoadOptions, load, load_str, render_diagnostics};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/specs/invalid")
}

fn expected_code(text: &str) -> &str {
    text.lines()
        .next()
        .and_then(|l| l.strip_prefix("# expect: "))
        .and_then(|l| l.split_whitespace().next())
        .expect("the first line is `# expect: CODE -- why`")
}

fn check(name: &str) {
    let path = corpus_dir().join(format!("{name}.yaml"));
    let text = std::fs::read_to_string(&path).expect("corpus file");
    let shown = format!("invalid/{name}.yaml");
    let loaded = load_str(&shown, &text, &LoadOptions::default());
    let code = expected_code(&text);
    let rendered = render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    assert!(
        loaded.desired.is_none(),
        "{name}: must not lower\n{rendered}"
    );
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.code == code && d.is_error()),
        "{name}: expected {code}, got:\n{rendered}"
    );
    for d in &loaded.diagnostics {
        assert!(
            d.line > 0 && d.col > 0,
            "{name}: unlocated diagnostic {d:?}"
        );
        assert_eq!(d.file, shown);
    }
    insta::assert_snapshot!(name, rendered);
}

macro_rules! case {
    ($test:ident, $file:literal) => {
        #[test]
        fn $test() {
            check($file);
        }
    };
}

case!(account_invalid, "account-invalid");
case!(assume_role_invalid, "assume-role-invalid");
case!(actor_policy_invalid, "actor-policy-invalid");
case!(alias_and_username, "alias-and-username");
case!(assignments_required_none, "assignments-required-none");
case!(audience_literal, "audience-literal");
case!(audience_literal_issuer, "audience-literal-issuer");
case!(audience_not_a_client, "audience-not-a-client");
case!(audience_of_other_pool, "audience-of-other-pool");
case!(aws_limits, "aws-limits");
case!(bad_arn, "bad-arn");
case!(bad_enum, "bad-enum");
case!(bad_region, "bad-region");
case!(identity_center_region, "identity-center-region");
case!(bad_version, "bad-version");
case!(callback_not_https, "callback-not-https");
case!(callback_url_limits, "callback-url-limits");
case!(callback_url_rules, "callback-url-rules");
case!(client_credentials_mixed, "client-credentials-mixed");
case!(client_unknown_attribute, "client-unknown-attribute");
case!(client_unknown_idp, "client-unknown-idp");
case!(code_without_callback, "code-without-callback");
case!(custom_attribute_name, "custom-attribute-name");
case!(
    custom_domain_without_certificate,
    "custom-domain-without-certificate"
);
case!(cyclic_reference, "cyclic-reference");
case!(dangling_reference, "dangling-reference");
case!(
    default_redirect_not_callback,
    "default-redirect-not-callback"
);
case!(
    developer_email_without_source,
    "developer-email-without-source"
);
case!(domain_prefix_invalid, "domain-prefix-invalid");
case!(domain_managed_login_v2, "domain-managed-login-v2");
case!(duplicate_client_name, "duplicate-client-name");
case!(duplicate_list_item, "duplicate-list-item");
case!(email_scope_without_openid, "email-scope-without-openid");
case!(empty_file, "empty-file");
case!(empty_names, "empty-names");
case!(grant_issuer_not_tti, "grant-issuer-not-tti");
case!(header_null, "header-null");
case!(
    identity_pool_cross_pool_client,
    "identity-pool-cross-pool-client"
);
case!(idp_both_protocols, "idp-both-protocols");
case!(idp_name_invalid, "idp-name-invalid");
case!(inline_secret, "inline-secret");
case!(instance_not_arn, "instance-not-arn");
case!(many_errors_at_once, "many-errors-at-once");
case!(metadata_file_missing, "metadata-file-missing");
case!(mfa_without_factor, "mfa-without-factor");
case!(missing_required_key, "missing-required-key");
case!(missing_stack, "missing-stack");
case!(oidc_without_openid, "oidc-without-openid");
case!(ownership_tag_too_long, "ownership-tag-too-long");
case!(ownership_tags_count, "ownership-tags-count");
case!(partial_reference, "partial-reference");
case!(password_policy_range, "password-policy-range");
case!(referenced_app_with_grants, "referenced-app-with-grants");
case!(role_mapping_rules_empty, "role-mapping-rules-empty");
case!(saml_url_and_file, "saml-url-and-file");
case!(store_user_empty_name, "store-user-empty-name");
case!(token_validity, "token-validity");
case!(too_many_access_scopes, "too-many-access-scopes");
case!(too_many_ttis, "too-many-ttis");
case!(tti_claim_path, "tti-claim-path");
case!(tti_claim_path_colon, "tti-claim-path-colon");
case!(tti_issuer_not_pool_issuer, "tti-issuer-not-pool-issuer");
case!(tti_store_path, "tti-store-path");
case!(unknown_client_key, "unknown-client-key");
case!(unknown_output, "unknown-output");
case!(unknown_pool_key, "unknown-pool-key");
case!(unknown_scope, "unknown-scope");
case!(unknown_top_level_key, "unknown-top-level-key");
case!(unknown_variable, "unknown-variable");
case!(unmapped_required_attribute, "unmapped-required-attribute");
case!(variable_without_value, "variable-without-value");
case!(wrong_type_bool, "wrong-type-bool");
case!(wrong_type_list, "wrong-type-list");
case!(yaml_alias_bomb, "yaml-alias-bomb");
case!(yaml_duplicate_key, "yaml-duplicate-key");
case!(yaml_multiple_documents, "yaml-multiple-documents");
case!(yaml_syntax, "yaml-syntax");

#[test]
fn every_corpus_file_has_a_test_and_there_are_at_least_40() {
    let this = include_str!("corpus.rs");
    let mut n = 0;
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let stem = name
            .strip_suffix(".yaml")
            .expect("only .yaml files in the corpus");
        assert!(
            this.contains(&format!("\"{stem}\"")),
            "{stem} has no case!() line"
        );
        n += 1;
    }
    assert!(n >= 40, "only {n} invalid specs");
}

#[test]
fn duplicates_across_files_are_reported_in_the_second_file() {
    let dir = Path::new("../../tests/specs/multi/duplicate");
    let loaded = load(&[dir.to_path_buf()], &LoadOptions::default());
    let rendered = render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    assert!(loaded.desired.is_none());
    let dups: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "E008")
        .collect();
    assert_eq!(dups.len(), 2, "{rendered}");
    assert!(
        dups.iter().all(|d| d.file.ends_with("b.yaml")),
        "{rendered}"
    );
    insta::assert_snapshot!("multi_duplicate", rendered);
}

#[test]
fn an_inline_secret_is_never_echoed() {
    let text = std::fs::read_to_string(corpus_dir().join("inline-secret.yaml")).unwrap();
    let loaded = load_str("inline.yaml", &text, &LoadOptions::default());
    let rendered = render_diagnostics(&loaded.diagnostics, &loaded.sources, true);
    assert!(rendered.contains("E014"), "{rendered}");
    assert!(!rendered.contains("hunter2"), "{rendered}");
    assert!(!format!("{:?}", loaded.diagnostics).contains("hunter2"));
}
