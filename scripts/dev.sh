#!/usr/bin/env bash
# Sets up the build environment, builds the node, and starts a single-validator dev chain
# (Alice authors with Aura and finalizes with GRANDPA, a block every 6 s). RPC on
# ws://127.0.0.1:9944 and http://127.0.0.1:9944, Prometheus on 127.0.0.1:9615.
# Extra arguments go to the node, e.g. `./scripts/dev.sh --sealing instant`.
# The chain lives in a temporary directory: every start is a fresh genesis.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
cargo build --release --locked --workspace
exec "$CARGO_TARGET_DIR/release/bittensor-node" --dev --tmp "$@"
