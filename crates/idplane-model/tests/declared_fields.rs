//! Every attribute key that crosses a crate boundary is a declared field of its kind: here, every
//! key of every object of every example stack, as `idplane-spec` lowers it.

use idplane_spec::{LoadOptions, load, render_diagnostics};
use std::path::PathBuf;

#[test]
fn every_example_lowers_to_declared_fields_only() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut stacks = 0;
    let mut objects = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let stack = entry.unwrap().path().join("stack.yaml");
        if !stack.exists() {
            continue;
        }
        // Secrets stay references: no environment variable is needed to lower the stack.
        let loaded = load(std::slice::from_ref(&stack), &LoadOptions::default());
        let desired = loaded.desired.unwrap_or_else(|| {
            panic!(
                "{} does not load:\n{}",
                stack.display(),
                render_diagnostics(&loaded.diagnostics, &loaded.sources, false)
            )
        });
        let undeclared = desired.undeclared_keys();
        assert!(
            undeclared.is_empty(),
            "{}: attribute keys that are not fields of their kind: {undeclared:?}",
            stack.display()
        );
        for r in desired.resources.values() {
            for key in r.attrs.keys() {
                assert!(
                    r.kind.info().declares(key),
                    "{}: {} `{key}`",
                    stack.display(),
                    r.address
                );
            }
        }
        stacks += 1;
        objects += desired.resources.len();
    }
    assert!(stacks >= 4, "only {stacks} example stacks");
    assert!(objects >= 20, "only {objects} objects in the examples");
}
