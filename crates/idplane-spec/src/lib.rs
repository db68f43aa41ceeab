//! The idplane spec language: YAML loading with spans, variables, references, secrets, validation and lowering to the desired state.
