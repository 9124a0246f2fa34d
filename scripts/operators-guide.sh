#!/usr/bin/env bash
# Runs docs/operators.md as written: its ```sh blocks in order, in one bash (errexit), in a
# fresh directory, with the checks of its <!-- check … --> comments between them. The nodes the
# guide starts in the background are stopped at the end, whatever happens. The binaries are
# the build's ($CARGO_TARGET_DIR/release, as the guide's first block puts on PATH); the guide
# uses fixed loopback ports (30333-30337, 9944-9948, 9615-9619), so nothing else may hold them.
#   scripts/operators-guide.sh            # prints each block and check as it runs
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
for bin in bittensor-node bittensor-cli; do
	[ -x "$CARGO_TARGET_DIR/release/$bin" ] || { echo "operators-guide: $bin not built (cargo build --release)" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "operators-guide: jq is missing (scripts/setup.sh installs it)" >&2; exit 1; }

work="$(mktemp -d)"
guide="$work/guide.sh"

# The helpers the checks use (the guide's own blocks use none of them).
cat >"$guide" <<'HELPERS'
rpc() { curl -s --max-time 10 -H 'Content-Type: application/json' \
	-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":${3:-[]}}" "http://127.0.0.1:$1"; }
number_of() { printf '%d' "$(rpc "$1" chain_getHeader "[\"$2\"]" | jq -r .result.number)"; }
finalized() { number_of "$1" "$(rpc "$1" chain_getFinalizedHead | jq -r .result)"; }
best() { printf '%d' "$(rpc "$1" chain_getHeader | jq -r .result.number)"; }
best_at_least() { [ "$(best "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }
storage() { rpc "$1" state_getStorage "[\"$2\"]" | jq -r '.result // ""'; }
# Aura.Authorities and Grandpa.CurrentSetId (twox128(pallet) ++ twox128(item)).
AURA_AUTHORITIES=0x57f8dc2f5ab09467896f47300f0424385e0621c4869aa60c02be9adcc98a0d1d
GRANDPA_SET_ID=0x5f9cc45b7a00c5899361e1c6099678dc8a2d09463effcc78a22d75b9cb87dffc
finalized_at_least() { [ "$(finalized "$1" 2>/dev/null || echo 0)" -ge "$2" ]; }
stopped() { ! kill -0 "$(cat "$1")" 2>/dev/null; }
# PORT's node has finalized at least what REF's node has.
caught_up() { [ "$(finalized "$1" 2>/dev/null || echo 0)" -ge "$(finalized "$2")" ]; }
# getNeurons at REF's finalized head reads the same on both nodes.
same_neurons() {
	local at; at="$(rpc "$2" chain_getFinalizedHead | jq -r .result)"
	local a b; a="$(rpc "$1" bittensor_getNeurons "[\"$at\"]" | jq -c .result)"; b="$(rpc "$2" bittensor_getNeurons "[\"$at\"]" | jq -c .result)"
	[ "$a" != null ] && [ "$a" = "$b" ] || { echo "getNeurons differ at $at: $a vs $b"; return 1; }
}
# PORT's node is not syncing: it follows the head (its transaction pool gets a view of the head
# with the next block it imports).
synced() { [ "$(rpc "$1" system_health | jq -r .result.isSyncing)" = false ]; }
# ACCOUNT has a free balance above 0 at PORT's node's best block.
has_funds() {
	bittensor-cli --url "ws://127.0.0.1:$1" --json balance show "$2" | jq -e '.free != "0.000000000000"' >/dev/null
}
aura_has() { storage "$1" "$AURA_AUTHORITIES" | grep -q "${2#0x}"; }
# Grandpa.CurrentSetId (a little-endian u64; the low two bytes) at the finalized head: the set
# the GRANDPA voters have switched to (the best block shows a change as soon as it is signalled).
finalized_set_id() {
	local at h; at="$(rpc "$1" chain_getFinalizedHead | jq -r .result)"
	h="$(rpc "$1" state_getStorage "[\"$GRANDPA_SET_ID\", \"$at\"]" | jq -r '.result // ""')"; h="${h#0x}"
	printf '%d' "0x${h:2:2}${h:0:2}"
}
finalized_grandpa_set_at_least() { [ "$(finalized_set_id "$1")" -ge "$2" ]; }
session_is() {
	[ "$(bittensor-cli --url "ws://127.0.0.1:$1" validator list --json | jq -c '[.validators[].account]')" = "$(jq -cn --arg a "$2" --arg b "$3" '[$a, $b]')" ]
}
# A block that LOG's node sealed is on PORT's node's best chain (an accepted block of its own).
authored_accepted() {
	local n h
	while read -r n h; do
		[ "$(rpc "$2" chain_getBlockHash "[$n]" | jq -r .result)" = "$h" ] && { echo "check: $1 authored block #$n ($h), on the best chain"; return 0; }
	done < <(sed -n 's/.*Pre-sealed block for proposal at \([0-9]*\)\. Hash now \(0x[0-9a-f]*\),.*/\1 \2/p' "$1")
	echo "check: no block sealed by $1's node is on the best chain"; return 1
}
wait_for() {
	local secs="$1"; shift
	local t0=$SECONDS
	until "$@"; do
		[ $((SECONDS - t0)) -ge "$secs" ] && { echo "check failed after ${secs}s: $*" >&2; return 1; }
		sleep 1
	done
	echo "check: $* ($((SECONDS - t0))s)"
}
HELPERS

# The blocks and checks, in order: each block echoed, then run.
python3 - "$root/docs/operators.md" >>"$guide" <<'PY'
import re, shlex, sys
text = open(sys.argv[1]).read()
parts = re.findall(r"```sh\n(.*?)```|<!-- check\n(.*?)-->", text, re.S)
if not parts:
    sys.exit("operators-guide: no sh blocks in the guide")
for i, (block, check) in enumerate(parts, 1):
    if block:
        print(f"echo {shlex.quote(f'=== guide block {i}')}")
        for line in block.rstrip("\n").split("\n"):
            print(f"echo {shlex.quote('$ ' + line)}")
        print(block)
    else:
        print(f"echo {shlex.quote(f'=== check {i}')}")
        print(check)
PY

# The local testnet of the guide's first part keeps its chains in /tmp/alice and /tmp/bob.
rm -rf /tmp/alice /tmp/bob
cd "$work"
t0=$(date +%s)
# Its own process group, so that every node it starts goes with it.
set +e
setsid bash -euo pipefail "$guide" &
pid=$!
wait $pid
rc=$?
set -e
kill -TERM -- "-$pid" 2>/dev/null || true
sleep 2
kill -KILL -- "-$pid" 2>/dev/null || true
if [ $rc -ne 0 ]; then
	echo "operators-guide: FAILED (exit $rc) after $(($(date +%s) - t0))s; node logs:" >&2
	for log in "$work"/*.log "$work"/mynet/*.log "$work"/mynet/*/node.log; do
		[ -f "$log" ] && { echo "--- $log (last 30 lines)" >&2; tail -30 "$log" >&2; }
	done
	rm -rf "$work" /tmp/alice /tmp/bob
	exit $rc
fi
rm -rf "$work" /tmp/alice /tmp/bob
echo "operators-guide: every command of docs/operators.md ran as written, in $(($(date +%s) - t0))s"
