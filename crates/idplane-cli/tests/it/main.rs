//! End-to-end tests of the `idplane` binary: validate/schema on the repository's examples and
//! invalid specs, and every command against the local AWS emulator (one isolated account per
//! test). One test binary, one module per area.

mod account_guard;
mod adopt;
mod adoption;
mod bounded;
mod e2e;
mod first_hour;
mod fleet;
mod fleet_files;
mod from_terraform;
mod identity_center_region;
mod interrupted;
mod offline;
mod support;
mod verify;
