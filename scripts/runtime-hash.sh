#!/usr/bin/env bash
# Prints the blake2-256 of the runtime wasm built in this tree (the compressed blob that genesis
# `:code` and `set_code` take), with its spec_version when the node is built too.
#   scripts/runtime-hash.sh            the blob of the last build
#   scripts/runtime-hash.sh --build    build the runtime first (cargo build --release -p bittensor-runtime)
# The build is reproducible: the same commit gives the same hash in any clone (see runtime/build.rs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
wasm="$target/release/wbuild/bittensor-runtime/bittensor_runtime.compressed.wasm"
node="${BITTENSOR_NODE_BIN:-$target/release/bittensor-node}"
if [ "${1:-}" = "--build" ]; then
	(cd "$root" && OPENSSL_NO_VENDOR=1 CARGO_TARGET_DIR="$target" cargo build --release --locked -p bittensor-runtime)
fi
[ -f "$wasm" ] || { echo "runtime-hash: $wasm not built (scripts/runtime-hash.sh --build)" >&2; exit 1; }
echo "blake2-256 0x$(b2sum -l 256 "$wasm" | cut -d' ' -f1)  $wasm"
if [ -x "$node" ]; then "$node" runtime-info --wasm "$wasm"; fi
