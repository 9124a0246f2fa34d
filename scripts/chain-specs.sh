#!/usr/bin/env bash
# Generates chain-specs/local.json and local.raw.json (Alice and Bob validate) and
# local4.json and local4.raw.json (Alice, Bob, Charlie and Dave validate)
# with the node's `export-chain-spec`. With `--check`, regenerates them into a temporary
# directory and fails if a committed spec differs in anything, the runtime's `:code` included
# (the runtime build is reproducible, so every clone of a commit generates the same specs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node="${BITTENSOR_NODE_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}/release/bittensor-node}"
[ -x "$node" ] || { echo "chain-specs: $node not built (cargo build --release)" >&2; exit 1; }

out="$root/chain-specs"
if [ "${1:-}" = "--check" ]; then
	out="$(mktemp -d)"
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
for chain in local local4; do
	"$node" export-chain-spec --chain "$chain" --output "$out/$chain.json" 2>/dev/null
	"$node" export-chain-spec --chain "$chain" --raw --output "$out/$chain.raw.json" 2>/dev/null
done

if [ "${1:-}" = "--check" ]; then
	python3 - "$root/chain-specs" "$out" <<'PY'
import json, sys
committed, fresh = sys.argv[1], sys.argv[2]
CODE = "0x3a636f6465"  # well_known_keys::CODE
def code(spec):
    g = spec.get("genesis", {})
    return g.get("runtimeGenesis", {}).get("code") or g.get("raw", {}).get("top", {}).get(CODE)
bad = []
for name in ["local.json", "local.raw.json", "local4.json", "local4.raw.json"]:
    try:
        a = json.load(open(f"{committed}/{name}"))
    except FileNotFoundError:
        bad.append(f"{name}: missing (run scripts/chain-specs.sh)")
        continue
    b = json.load(open(f"{fresh}/{name}"))
    if code(a) != code(b):
        bad.append(f"{name}: its runtime code is not the built runtime (run scripts/chain-specs.sh)")
    elif a != b:
        bad.append(f"{name}: differs from what the node generates (run scripts/chain-specs.sh)")
for line in bad:
    print("chain-specs:", line, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
	echo "chain-specs: committed specs match the node"
else
	echo "chain-specs: wrote $out/{local,local4}{,.raw}.json"
fi
