//! The idplane planner: a pure function from desired and observed state to an ordered, explained, safe plan, and its renderers.
