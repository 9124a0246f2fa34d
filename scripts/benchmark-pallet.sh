#!/usr/bin/env bash
# Regenerates pallets/bittensor/src/weights.rs with the node's `benchmark pallet` command.
# Run by hand when the pallet's costs change. It builds the node with the
# `runtime-benchmarks` feature (in the usual target directory: only the crates whose
# features change are rebuilt), keeps a copy of that node and runtime, then runs every
# benchmark of `pallet_bittensor` on the runtime in wasm, from the `local_testnet` preset
# (no neurons at genesis; the benchmarks make their own).
# The next normal build relinks the usual node.
# STEPS and REPEAT may be overridden from the environment.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
. scripts/setup.sh
cargo build --release --locked -p bittensor-node --features runtime-benchmarks
bench="$CARGO_TARGET_DIR/bench"
mkdir -p "$bench"
cp "$CARGO_TARGET_DIR/release/bittensor-node" "$bench/bittensor-node"
cp "$CARGO_TARGET_DIR/release/wbuild/bittensor-runtime+runtime-benchmarks/bittensor_runtime.compressed.wasm" "$bench/runtime.wasm"
"$bench/bittensor-node" benchmark pallet \
	--runtime "$bench/runtime.wasm" \
	--genesis-builder=runtime --genesis-builder-preset=local_testnet \
	--pallet pallet_bittensor --extrinsic '*' \
	--steps "${STEPS:-20}" --repeat "${REPEAT:-5}" \
	--wasm-execution compiled --heap-pages 4096 \
	--template scripts/frame-weight-template.hbs \
	--output pallets/bittensor/src/weights.rs
echo "benchmark-pallet: wrote pallets/bittensor/src/weights.rs"
