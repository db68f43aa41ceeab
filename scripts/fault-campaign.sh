#!/usr/bin/env bash
# The fault campaign: a stack of every kind with at least 200 objects (12 units: 16 objects
# each, plus a trusted token issuer and its grant for ten of them: 212) converges under the fault proxy at 10% throttling, 2% server errors and 1% lost
# responses, with nothing duplicated or missing, over 5 seeds. Each seed gets a fresh emulator
# account; the test prints objects, applies, AWS calls, injected faults and time per seed.
#
#   scripts/fault-campaign.sh                 # 12 units, 5 seeds (1.5 to 3 minutes a seed on
#                                             # 2 cores: pacing slows to 70 % per throttling answer)
#   UNITS=3 SEEDS=2 scripts/fault-campaign.sh # smaller
#
# Built as the test suite builds (`--workspace`): `-p idplane-executor` would resolve features
# differently and compile the AWS SDK crates a second time.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/emulator/setup.sh >/dev/null
IDPLANE_CAMPAIGN_UNITS="${UNITS:-12}" IDPLANE_CAMPAIGN_SEEDS="${SEEDS:-5}" \
  cargo test --workspace --tests --locked -- --exact --nocapture \
  campaign::a_stack_of_every_kind_converges_under_throttling_errors_and_lost_responses
