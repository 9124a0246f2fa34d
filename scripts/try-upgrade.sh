#!/usr/bin/env bash
# Dry-runs the runtime upgrade with try-runtime-cli: snapshots the state of a running node
# that runs an older runtime (a chain of the last release: scripts/release-spec.sh) and runs the
# built runtime's migrations on it (`on-runtime-upgrade`, with every pallet's pre/post checks
# and try_state), without touching the chain.
#   scripts/try-upgrade.sh [ws://127.0.0.1:9944]
# Builds the runtime with `--features try-runtime` (its own wasm, beside the plain one) and
# installs try-runtime-cli from crates.io when it is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
uri="${1:-ws://127.0.0.1:9944}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
export OPENSSL_NO_VENDOR=1
TRY_RUNTIME_VERSION=0.42.0
if ! command -v try-runtime >/dev/null 2>&1; then
	echo "try-upgrade: installing try-runtime-cli $TRY_RUNTIME_VERSION from crates.io"
	cargo install --locked try-runtime-cli --version "$TRY_RUNTIME_VERSION"
fi
(cd "$root" && cargo build --release --locked -p bittensor-runtime --features try-runtime)
wasm="$CARGO_TARGET_DIR/release/wbuild/bittensor-runtime+try-runtime/bittensor_runtime.compressed.wasm"
snap="$(mktemp -d)/state.snap"
try-runtime create-snapshot --uri "$uri" "$snap"
try-runtime --runtime "$wasm" on-runtime-upgrade --checks all snap --path "$snap"
