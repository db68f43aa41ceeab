//! The idplane executor: applies a plan through a Provider with bounded parallelism, staleness checks and idempotent retries.
