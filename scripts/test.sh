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
	cargo test --release --locked --workspace --test claims
}
# The pallet's lints, and its benchmarks (as tests against the mock) and try_state, with the
# features the node build leaves out; only the pallet's own dependencies are built with them.
# Clippy first: the pallet denies arithmetic_side_effects, indexing_slicing, unwrap/expect.
pallet_features() {
	cargo clippy --release --locked -p pallet-bittensor --lib --features runtime-benchmarks,try-runtime -- -D warnings
	cargo test --release --locked -p pallet-bittensor --lib --features runtime-benchmarks,try-runtime
}
# End-to-end tests: one test binary, `e2e` (tests/tests/e2e/main.rs), a module a subject, run
# in stages by module: the quick ones two at a time, then the fault and load tests one at a
# time (they start up to four nodes, or load one; --nocapture shows the load test's figures),
# and the upgrade test alone. `--workspace` keeps the features of the build stage, so nothing
# is compiled again but the test binary, once.
E2E=(foundation pallet rpc paper_loop bad_input fees exits proxy cli python js metrics)
FAULTS=(crash finality validators warp load scale rpc_limits)
# The upgrade from the last release to the built runtime, on its own.
UPGRADE=(upgrade)
e2e_test() { cargo test --release --locked --workspace --test e2e "$@"; }
# A stage's filters: `name::` selects module `name`'s tests (listed() checks it selects no other).
modules() { local m; for m in "$@"; do printf -- '%s:: ' "$m"; done; }
# Every module file is declared in main.rs, in exactly one stage, and has tests, which its
# filter selects and no other module's does. Builds the test binary.
listed() {
	local f m name n n_in n_all bad=0 tests
	tests="$(e2e_test -- --list)"
	for f in tests/tests/e2e/*.rs; do
		name="$(basename "$f" .rs)"
		[[ $name == main ]] && continue
		n=0
		for m in "${E2E[@]}" "${FAULTS[@]}" "${UPGRADE[@]}"; do [[ $m == "$name" ]] && n=$((n + 1)); done
		if ((n != 1)); then
			echo "tests/tests/e2e/$name.rs is not in exactly one stage of scripts/test.sh" >&2
			bad=1
		fi
		if ! grep -qx "mod $name;" tests/tests/e2e/main.rs; then
			echo "tests/tests/e2e/$name.rs is not declared in tests/tests/e2e/main.rs" >&2
			bad=1
		fi
		n_in="$(grep -c "^$name::.*: test$" <<<"$tests" || true)"
		n_all="$(grep -c "$name::.*: test$" <<<"$tests" || true)"
		if ((n_in == 0)) || ((n_in != n_all)); then
			echo "the filter '$name::' selects $n_all tests, of which $n_in are module $name's" >&2
			bad=1
		fi
	done
	return $bad
}
e2e() {
	listed
	# shellcheck disable=SC2046
	e2e_test -- --test-threads 2 $(modules "${E2E[@]}")
}
faults() {
	# shellcheck disable=SC2046
	e2e_test -- --test-threads 1 --nocapture $(modules "${FAULTS[@]}")
}
# docs/operators.md, every command as written (scripts/operators-guide.sh), on its own: its
# nodes use fixed loopback ports.
operators() { scripts/operators-guide.sh; }
upgrade() {
	# shellcheck disable=SC2046
	e2e_test -- --nocapture $(modules "${UPGRADE[@]}")
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
