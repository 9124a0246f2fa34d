#!/usr/bin/env bash
# Installs what building the node needs, idempotently, on Debian/Ubuntu with rustup:
# protoc (litep2p/sc-network), system OpenSSL headers (OPENSSL_NO_VENDOR=1), pkg-config,
# the DejaVu font (the simulator's plots), and the pinned Rust toolchain with the
# wasm32v1-none target and rust-src.
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

# Build environment shared by the README commands and CI.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/bittensor-chain/target}"
export OPENSSL_NO_VENDOR=1
mkdir -p "$CARGO_TARGET_DIR"
echo "setup: done in $(( $(date +%s) - _t0 ))s (target dir: $CARGO_TARGET_DIR)"
