#!/usr/bin/env bash
# Measures `bittensor_getNeurons` latency on a real node with n neurons and 64 weights a row, on
# the node's scale chain `--chain scale-<n>x<entries>`
# (median over 50 calls; see tests/src/bin/rpc_latency.rs for how the state is made).
# Usage: scripts/rpc-latency.sh [--calls 50] [--entries 64] [N ...]   (default N: 256 1024 4096)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
export OPENSSL_NO_VENDOR=1
cd "$root"
cargo build --release --locked -p bittensor-node -p bittensor-e2e --bin bittensor-node --bin rpc-latency
"$CARGO_TARGET_DIR/release/rpc-latency" "$@"
