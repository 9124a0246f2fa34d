#!/usr/bin/env bash
# Cuts a runtime release: builds the node (and so the runtime) from a clean tree, and adds the
# compressed wasm with its spec_version, transaction_version, blake2-256 and source commit to
# runtime/releases/ (manifest.json). Commit the result. The spec_version must be above the last
# release's. The upgrade test (tests/tests/e2e/upgrade.rs) upgrades from the newest release below
# the built runtime, so the next runtime change must bump spec_version again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
export OPENSSL_NO_VENDOR=1
if [ -n "$(git status --porcelain -- runtime pallets Cargo.toml Cargo.lock rust-toolchain.toml)" ]; then
	echo "cut-release: commit the runtime's sources first: a release records the commit it is built from" >&2
	exit 1
fi
cargo build --release --locked --workspace
node="$CARGO_TARGET_DIR/release/bittensor-node"
wasm="$CARGO_TARGET_DIR/release/wbuild/bittensor-runtime/bittensor_runtime.compressed.wasm"
python3 - "$root/runtime/releases" "$wasm" "$("$node" runtime-info)" "$("$node" runtime-info --wasm "$wasm")" "$(git rev-parse HEAD)" <<'PY'
import json, os, shutil, sys
releases, wasm, commit = sys.argv[1], sys.argv[2], sys.argv[5]
info, blob_info = json.loads(sys.argv[3]), json.loads(sys.argv[4])
path = f"{releases}/manifest.json"
manifest = json.load(open(path)) if os.path.exists(path) else {"releases": []}
h = info["blake2_256"]
if blob_info != info:
    sys.exit(f"cut-release: {wasm} ({blob_info['blake2_256']}) is not the node's built-in runtime ({h})")
spec = info["specVersion"]
last = max((r["specVersion"] for r in manifest["releases"]), default=0)
if spec <= last:
    sys.exit(f"cut-release: spec_version {spec} is not above the last release ({last}): bump it first")
name = f"bittensor_runtime-v{spec}.compressed.wasm"
os.makedirs(releases, exist_ok=True)
shutil.copyfile(wasm, f"{releases}/{name}")
manifest["releases"].append({
    "specVersion": spec,
    "transactionVersion": info["transactionVersion"],
    "blake2_256": h,
    "bytes": info["bytes"],
    "file": name,
    "commit": commit,
})
with open(path, "w") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
print(f"cut-release: runtime/releases/{name}: spec_version {spec}, blake2-256 {h} (from {commit[:12]})")
PY
