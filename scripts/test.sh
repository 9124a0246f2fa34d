#!/usr/bin/env bash
# Runs every test: sets up the build environment, builds the workspace, checks the committed
# chain specs against the node, runs the unit tests, the pallet's benchmark tests, then the
# end-to-end tests that start the real node binary. Prints each stage's wall time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

declare -a STAGES=()
t_all=$(date +%s)
stage() {
	local name="$1"
	shift
	echo "=== stage: $name"
	local t0
	t0=$(date +%s)
	"$@"
	local dt=$(($(date +%s) - t0))
	STAGES+=("$name: ${dt}s")
	echo "=== stage: $name done in ${dt}s"
}
summary() {
	echo "=== stage times"
	for s in "${STAGES[@]}"; do echo "    $s"; done
	echo "    total: $(($(date +%s) - t_all))s"
}
trap summary EXIT

setup() { . scripts/setup.sh; }
build() { cargo build --release --locked --workspace; }
# The built runtime against runtime/releases/: a changed runtime must carry a new spec_version.
release() { scripts/check-release.sh; }
specs() { scripts/chain-specs.sh --check; }
# Unit tests of every crate, the reference model's worked examples (its doc tests), and the
# simulator's check of the paper's qualitative claims.
unit() {
	cargo test --release --locked --workspace --lib
	cargo test --release --locked -p bittensor-reference --doc
	cargo test --release --locked -p bittensor-sim --test claims
}
# The pallet's lints, and its benchmarks (as tests against the mock) and try_state, with the
# features the node build leaves out; only the pallet's own dependencies are built with them.
# Clippy first: the pallet denies arithmetic_side_effects, indexing_slicing, unwrap/expect.
pallet_features() {
	cargo clippy --release --locked -p pallet-bittensor --lib --features runtime-benchmarks,try-runtime -- -D warnings
	cargo test --release --locked -p pallet-bittensor --lib --features runtime-benchmarks,try-runtime
}
# End-to-end tests (tests/tests/*.rs), in two stages: the quick ones two at a time, then the
# fault and load tests one at a time (they start up to four nodes, or load one; --nocapture
# shows the load test's figures), and the upgrade test alone. Every file must be in one of the
# lists.
E2E=(foundation pallet rpc paper_loop bad_input fees exits proxy cli python js)
FAULTS=(crash finality validators warp load scale rpc_limits)
# The upgrade from the last release to the built runtime, on its own.
UPGRADE=(upgrade)
listed() {
	local f name missing=0
	for f in tests/tests/*.rs; do
		name="$(basename "$f" .rs)"
		if [[ ! " ${E2E[*]} ${FAULTS[*]} ${UPGRADE[*]} " =~ " $name " ]]; then
			echo "tests/tests/$name.rs is in no stage of scripts/test.sh" >&2
			missing=1
		fi
	done
	return $missing
}
tests_of() { local t; for t in "$@"; do printf -- '--test %s ' "$t"; done; }
e2e() {
	listed
	# shellcheck disable=SC2046
	cargo test --release --locked -p bittensor-e2e $(tests_of "${E2E[@]}") -- --test-threads 2
}
faults() {
	# shellcheck disable=SC2046
	cargo test --release --locked -p bittensor-e2e $(tests_of "${FAULTS[@]}") -- --test-threads 1 --nocapture
}
# docs/operators.md, every command as written (scripts/operators-guide.sh), on its own: its
# nodes use fixed loopback ports.
operators() { scripts/operators-guide.sh; }
upgrade() {
	# shellcheck disable=SC2046
	cargo test --release --locked -p bittensor-e2e $(tests_of "${UPGRADE[@]}") -- --nocapture
}

stage setup setup
stage build build
stage release-check release
stage chain-specs specs
stage unit-tests unit
stage pallet-benchmarks pallet_features
stage e2e-tests e2e
stage fault-and-load-tests faults
stage operators-guide operators
stage upgrade-test upgrade
