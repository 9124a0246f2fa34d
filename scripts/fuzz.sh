#!/usr/bin/env bash
# The long fuzz, outside CI: the pallet's random call-sequence property test for
# SEQUENCES (default 10^5) sequences, and the Algorithm-1 reference run for BLOCKS (default
# 10^4) blocks with stake moves, departures and arrivals. Both run in the mock with the
# pallet's `try_state` after every block (issuance exact in integers among its checks), and
# print what they did: sequences, calls, blocks, rejections by error, time. CI runs the same
# two tests with 96 sequences and 1,000 blocks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
export OPENSSL_NO_VENDOR=1 SKIP_WASM_BUILD=1
export BITTENSOR_FUZZ_SEQUENCES="${SEQUENCES:-100000}" BITTENSOR_FUZZ_BLOCKS="${BLOCKS:-10000}"
start=$(date +%s)
cargo test --release --locked -p pallet-bittensor --lib --features try-runtime -- \
	--nocapture --test-threads 2 \
	tests::random_calls::random_calls_never_panic_and_keep_the_invariants \
	tests::simulation::algorithm_1_with_stake_moves_and_departures_matches_an_f64_model_to_1e_9
echo "fuzz: $BITTENSOR_FUZZ_SEQUENCES sequences and $BITTENSOR_FUZZ_BLOCKS blocks passed in $(( $(date +%s) - start )) s"
