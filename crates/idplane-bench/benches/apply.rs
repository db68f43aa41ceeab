//! Placeholder for the apply bench (being written).

fn main() {}
