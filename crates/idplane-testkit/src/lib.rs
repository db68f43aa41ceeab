//! Test support for idplane: the local AWS emulator (moto plus extension), per-test account isolation and a fault and latency proxy.
