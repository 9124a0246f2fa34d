#!/usr/bin/env bash
# Measures the bittensor_* reads (full, lite and rows, cold and cached, against the bare
# state_call; the client's parse) and the delay to 1 and 100 subscribers, on real nodes of the
# scale chain `--chain scale-<n>x<entries>`, all in one run (see tests/src/bin/rpc_latency.rs).
# Usage: scripts/rpc-latency.sh [--calls 10] [--entries 64,256] [--blocks 5] [N ...]
#        (default N: 256 1024 4096)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
export OPENSSL_NO_VENDOR=1
cd "$root"
# The whole workspace, as the tests build it: the same features, so nothing is built twice.
cargo build --release --locked --workspace
"$CARGO_TARGET_DIR/release/rpc-latency" "$@"
