#!/usr/bin/env bash
# Checks the built runtime against the releases in runtime/releases/ (CI runs it after the build):
# - every release blob is there, hashes to its manifest entry and says the spec_version listed;
# - the built runtime's spec_version is not below the last release's, and if it is the same,
#   the runtime is that release byte for byte. A change of runtime behaviour must bump
#   spec_version (runtime/src/lib.rs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node="${BITTENSOR_NODE_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}/release/bittensor-node}"
[ -x "$node" ] || { echo "check-release: $node not built (cargo build --release)" >&2; exit 1; }
releases="$root/runtime/releases"
built="$("$node" runtime-info)"
infos=()
while read -r file; do
	infos+=("$file" "$("$node" runtime-info --wasm "$releases/$file")")
done < <(python3 -c 'import json,sys; [print(r["file"]) for r in json.load(open(sys.argv[1]))["releases"]]' "$releases/manifest.json")
python3 - "$releases" "$built" "${infos[@]}" <<'PY'
import json, sys
releases, built, rest = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
read = {rest[i]: json.loads(rest[i + 1]) for i in range(0, len(rest), 2)}
manifest = json.load(open(f"{releases}/manifest.json"))["releases"]
bad = []
for r in manifest:
    # The node read each blob: its version sections and its blake2-256.
    info = read[r["file"]]
    for k in ("blake2_256", "specVersion", "transactionVersion"):
        if info[k] != r[k]:
            bad.append(f"{r['file']}: {k} {info[k]}, the manifest says {r[k]}")
last = max(manifest, key=lambda r: r["specVersion"])
spec, h = built["specVersion"], built["blake2_256"]
print(f"check-release: built runtime spec_version {spec}, blake2-256 {h}")
print(f"check-release: last release spec_version {last['specVersion']}, blake2-256 {last['blake2_256']} ({last['file']})")
if spec < last["specVersion"]:
    bad.append(f"the built spec_version {spec} is below the last release's {last['specVersion']}")
elif spec == last["specVersion"] and h != last["blake2_256"]:
    bad.append(f"the runtime differs from release {spec} but its spec_version is still {spec}: "
               "bump spec_version in runtime/src/lib.rs")
for line in bad:
    print("check-release:", line, file=sys.stderr)
if not bad:
    if spec == last["specVersion"]:
        print(f"check-release: ok, the built runtime is release {spec}")
    else:
        print(f"check-release: ok, spec_version {spec} is not released yet (last release {last['specVersion']})")
sys.exit(1 if bad else 0)
PY
