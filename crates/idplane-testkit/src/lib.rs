//! Test support for idplane: the local AWS emulator (moto plus extension), per-test account isolation and a fault and latency proxy.
//!
//! ```no_run
//! # async fn demo() {
//! let account = idplane_testkit::Emulator::shared().account();
//! let config = account.sdk_config().await; // routes every call to this account only
//! # let _ = config;
//! account.proxy().set_rules(vec![idplane_testkit::FaultRule::on(
//!     "CreateUserPool",
//!     idplane_testkit::Fault::Throttle,
//! )
//! .times(1)]);
//! # }
//! ```

pub mod emulator;
pub mod proxy;
pub mod stacks;

pub use emulator::{Account, Emulator, botocore_model, venv_python};
pub use proxy::{Fault, FaultProxy, FaultRule, ProxyError};
pub use stacks::{every_kind_objects, every_kind_spec};
