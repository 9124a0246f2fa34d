#!/usr/bin/env bash
# Writes a raw dev chain spec whose genesis a given runtime blob makes (a release of
# runtime/releases/, say): the node's `dev` spec with its code replaced, turned raw by the node,
# so that the blob's own genesis builder writes the storage. The genesis values are the dev
# preset of the node's built-in runtime (the spec carries them as a patch), written in the
# release's own format: before 106 (its spec_version from runtime/releases/manifest.json), the
# validators were Aura and GRANDPA genesis authorities, not session keys. To rehearse an upgrade
# from a release, and for the upgrade test.
#   scripts/release-spec.sh runtime/releases/bittensor_runtime-v100.compressed.wasm /tmp/dev-v100.json
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 RUNTIME.wasm OUT.raw.json" >&2; exit 2; }
wasm="$1"
out="$2"
node="${BITTENSOR_NODE_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}/release/bittensor-node}"
[ -x "$node" ] || { echo "release-spec: $node not built (cargo build --release)" >&2; exit 1; }
[ -f "$wasm" ] || { echo "release-spec: no runtime blob at $wasm" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$node" export-chain-spec --chain dev --output "$tmp/dev.json" >/dev/null
python3 - "$tmp/dev.json" "$wasm" <<'PY'
import json, sys
path, wasm = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
genesis = spec["genesis"]["runtimeGenesis"]
if "code" not in genesis:
    sys.exit("release-spec: the node's dev spec has no runtimeGenesis.code")
genesis["code"] = "0x" + open(wasm, "rb").read().hex()
import os
manifest = os.path.join(os.path.dirname(os.path.abspath(wasm)), "manifest.json")
version = None
if os.path.exists(manifest):
    for r in json.load(open(manifest))["releases"]:
        if r["file"] == os.path.basename(wasm):
            version = r["specVersion"]
patch = genesis["patch"]
if version is not None and version < 106:
    # Runtimes before 106 had no Session or ValidatorSet: their validators are the Aura and
    # GRANDPA genesis authorities, the same keys.
    keys = [k[2] for k in patch.pop("session")["keys"]]
    patch.pop("validatorSet", None)
    patch["aura"] = {"authorities": [k["aura"] for k in keys]}
    patch["grandpa"] = {"authorities": [[k["grandpa"], 1] for k in keys]}
json.dump(spec, open(path, "w"))
PY
"$node" export-chain-spec --chain "$tmp/dev.json" --raw --output "$out" >/dev/null
echo "release-spec: wrote $out (genesis by $(basename "$wasm"))"
