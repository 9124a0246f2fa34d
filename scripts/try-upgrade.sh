#!/usr/bin/env bash
# Dry-runs the runtime upgrade with try-runtime-cli: snapshots the state of a running node
# that runs an older runtime (a chain of the last release: scripts/release-spec.sh) and runs the
# built runtime's migrations on it (`on-runtime-upgrade`, with every pallet's pre/post checks
# and try_state), without touching the chain.
#   scripts/try-upgrade.sh [ws://127.0.0.1:9944]
# Builds the runtime with `--features try-runtime` (its own wasm, beside the plain one). Needs
# the `try-runtime` binary on PATH: it cannot be installed from crates.io (the `try-runtime-cli`
# crate there, 0.42.0 at the newest, is a library without a binary; the CLI is released by
# paritytech/try-runtime-cli), so this script says so and stops when it is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
uri="${1:-ws://127.0.0.1:9944}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
export OPENSSL_NO_VENDOR=1
if ! command -v try-runtime >/dev/null 2>&1; then
	echo "try-upgrade: no try-runtime on PATH. crates.io has no binary of it (try-runtime-cli" >&2
	echo "  0.42.0 there is a library); install a release of paritytech/try-runtime-cli first." >&2
	exit 1
fi
(cd "$root" && cargo build --release --locked -p bittensor-runtime --features try-runtime)
wasm="$CARGO_TARGET_DIR/release/wbuild/bittensor-runtime+try-runtime/bittensor_runtime.compressed.wasm"
snap="$(mktemp -d)/state.snap"
try-runtime create-snapshot --uri "$uri" "$snap"
# Flags of try-runtime-cli 0.8+ (not run here: see the header); 6000 ms is the block time.
try-runtime --runtime "$wasm" on-runtime-upgrade --blocktime 6000 --checks all snap --path "$snap"
