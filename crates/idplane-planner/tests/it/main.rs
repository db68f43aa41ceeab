//! Integration tests of the planner: data-driven plan cases with rendered snapshots, the seed-000
//! trap, guards, ordering, unknowns, secrets, drift, and the re-plan property.

mod cases;
mod fixtures;
mod idempotence;
mod replan;
