//! The `idplane` command line.

fn main() {}
