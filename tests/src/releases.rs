//! Released runtimes (`runtime/releases/`) and chains started from them, for the tests that
//! upgrade a running chain: the upgrade test, and the JavaScript definitions across `set_code`.

use crate::{hex0x, node_binary};
use serde_json::{json, Value};
use sp_crypto_hashing::blake2_256;
use std::{path::Path, process::Command};

/// `well_known_keys::CODE` (`:code`).
pub const CODE: &str = "0x3a636f6465";

/// The newest release in `runtime/releases/` below `spec_version`: its spec_version, file and
/// blob, checked against the manifest's hash.
pub fn last_release_below(spec_version: u64) -> (u64, std::path::PathBuf, Vec<u8>) {
	let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/releases");
	let manifest: Value =
		serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
	let release = manifest["releases"]
		.as_array()
		.unwrap()
		.iter()
		.filter(|r| r["specVersion"].as_u64().unwrap() < spec_version)
		.max_by_key(|r| r["specVersion"].as_u64().unwrap())
		.unwrap_or_else(|| panic!("no release below the built spec_version {spec_version}"));
	let file = dir.join(release["file"].as_str().unwrap());
	let blob = std::fs::read(&file).unwrap();
	assert_eq!(hex0x(&blake2_256(&blob)), release["blake2_256"].as_str().unwrap(), "the release blob is the manifest's");
	(release["specVersion"].as_u64().unwrap(), file, blob)
}

/// A raw dev chain spec whose genesis `release` builds, written by `scripts/release-spec.sh`
/// (the node's `dev` spec with the code replaced, turned raw by the node).
pub fn dev_spec_with_code(dir: &Path, release: &Path, code: &[u8]) -> String {
	let raw = dir.join("dev-release.raw.json");
	let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/release-spec.sh");
	let out = Command::new("bash")
		.arg(script)
		.arg(release)
		.arg(&raw)
		.env("BITTENSOR_NODE_BIN", node_binary())
		.output()
		.unwrap();
	assert!(out.status.success(), "release-spec.sh: {}", String::from_utf8_lossy(&out.stderr));
	let raw_spec: Value = serde_json::from_str(&std::fs::read_to_string(&raw).unwrap()).unwrap();
	assert_eq!(raw_spec["genesis"]["raw"]["top"][CODE], json!(hex0x(code)), "the raw genesis runs the release");
	raw.to_str().unwrap().to_string()
}
