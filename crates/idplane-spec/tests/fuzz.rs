//! Arbitrary input never panics or hangs the loader, and every diagnostic is located.

use idplane_spec::{LoadOptions, load_str, render_diagnostics};
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "version: 1\n",
    "stack: s\n",
    "region: us-east-1\n",
    "user_pools:\n",
    "  p:\n",
    "    clients:\n",
    "      c: {oauth: {flows: [code]}}\n",
    "    domain: {prefix: x}\n",
    "identity_center:\n",
    "  applications:\n",
    "    a: {assignment_required: true}\n",
    "  trusted_token_issuers:\n",
    "    t: {oidc_jwt: {issuer_url: \"${user_pools.p.issuer_url}\"}}\n",
    "&a [*a]\n",
    "- x\n",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "\"${",
    "${var.v}",
    "\t",
    "---\n",
    "!!str ",
    "? ",
    "'",
    "#c\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn yaml_like_input_never_panics(parts in proptest::collection::vec(0..PIECES.len(), 0..30)) {
        let text: String = parts.iter().map(|i| PIECES[*i]).collect();
        let loaded = load_str("f.yaml", &text, &LoadOptions::default());
        prop_assert!(loaded.desired.is_some() || loaded.has_errors());
        for d in &loaded.diagnostics {
            prop_assert!(d.line >= 1 && d.col >= 1, "{:?} in {:?}", d, text);
        }
        let _ = render_diagnostics(&loaded.diagnostics, &loaded.sources, false);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let loaded = load_str("f.yaml", &text, &LoadOptions::default());
        let _ = render_diagnostics(&loaded.diagnostics, &loaded.sources, true);
    }
}
