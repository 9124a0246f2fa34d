#!/usr/bin/env bash
# Installs what building the node needs, idempotently, on Debian/Ubuntu with rustup:
# protoc (litep2p/sc-network), system OpenSSL headers (OPENSSL_NO_VENDOR=1), pkg-config,
# the DejaVu font (the simulator's plots), jq (the operators' guide), the pinned Rust toolchain
# with the wasm32v1-none target and rust-src, the Python example's pinned packages (in a venv,
# ~/.cache/bittensor-chain/venv) and the JavaScript definitions' pinned packages (npm ci in
# examples/js).
# Source it (`. scripts/setup.sh`) to also get the build environment in your shell.
set -euo pipefail

_t0=$(date +%s)
need=()
command -v protoc >/dev/null 2>&1 || need+=(protobuf-compiler)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || need+=(libssl-dev)
command -v cc >/dev/null 2>&1 || need+=(build-essential)
command -v curl >/dev/null 2>&1 || need+=(curl)
# The simulator's PNG plots draw their labels with DejaVu Sans.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v jq >/dev/null 2>&1 || need+=(jq)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -m venv --help >/dev/null 2>&1 || need+=(python3-venv)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
	echo "setup: installing Debian packages: ${need[*]}"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

if ! command -v rustup >/dev/null 2>&1; then
	echo "setup: rustup is required (https://rustup.rs)" >&2
	exit 1
fi
# rust-toolchain.toml names the channel, components and targets; this installs them.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
channel=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$root/rust-toolchain.toml")
rustup toolchain install "$channel" --profile minimal \
	--component rustfmt,clippy,rust-src --target wasm32v1-none >/dev/null 2>&1 ||
	rustup toolchain install "$channel" --profile minimal --component rust-src --target wasm32v1-none

# The Python example's packages, pinned in examples/python/requirements.txt, in a venv beside
# the build cache (reinstalled when the requirements change).
venv="${BITTENSOR_VENV:-$HOME/.cache/bittensor-chain/venv}"
req="$root/examples/python/requirements.txt"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
	echo "setup: installing examples/python/requirements.txt into $venv"
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
	echo "$want" >"$venv/.requirements.sha256"
fi
# The JavaScript definitions' test packages, pinned in examples/js/package-lock.json.
js="$root/examples/js"
want="$(sha256sum "$js/package-lock.json" | cut -d' ' -f1)"
if [ ! -d "$js/node_modules" ] || [ "$(cat "$js/node_modules/.lock.sha256" 2>/dev/null)" != "$want" ]; then
	echo "setup: npm ci in examples/js"
	(cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
	echo "$want" >"$js/node_modules/.lock.sha256"
fi

# Build environment shared by the README commands and CI.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
export OPENSSL_NO_VENDOR=1
mkdir -p "$CARGO_TARGET_DIR"
echo "setup: done in $(( $(date +%s) - _t0 ))s (target dir: $CARGO_TARGET_DIR)"
