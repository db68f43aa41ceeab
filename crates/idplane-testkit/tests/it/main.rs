//! Integration tests of the emulator, its extension and the fault proxy, all through the AWS SDK
//! for Rust. One binary, so the emulator starts once; every test uses its own account.

mod botocore_limits;
mod cognito;
mod domains;
mod harness;
mod identity_pool;
mod identity_store;
mod proxy;
mod sso_admin;
mod support;
