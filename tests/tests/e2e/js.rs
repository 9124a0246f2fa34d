//! The JavaScript definitions (`examples/js`, for @polkadot/api 16) against a dev node across a
//! runtime upgrade: a chain started from the last release is upgraded by sudo `set_code` to the
//! built runtime while one @polkadot/api connection stays open. Before and after, that
//! connection's `api.rpc.bittensor.*` and `api.call.bittensorApi.*` answer and agree, and
//! nothing is left undecorated (`examples/js/test/across-upgrade.mjs` checks; `npm ci` in
//! scripts/setup.sh installs its pinned packages).

use bittensor_e2e::{
	releases::{dev_spec_with_code, last_release_below},
	unhex, Node,
};
use serde_json::{json, Value};
use std::{path::PathBuf, time::Duration};

fn js_dir() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/js")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_js_definitions_survive_a_set_code() {
	let dir = tempfile::tempdir().unwrap();
	assert!(
		js_dir().join("node_modules/@polkadot/api").exists(),
		"examples/js/node_modules is missing: run scripts/setup.sh (npm ci in examples/js)"
	);
	// The built runtime's code and version, from a fresh dev chain of this node.
	let (code, spec_version) = {
		let node = Node::start("fresh", &["--dev", "--sealing", "manual"], &dir.path().join("fresh"));
		let api = node.client().await;
		let at = api.best_hash().await.unwrap();
		let code: String = api.call("state_getStorage", vec![json!("0x3a636f6465"), json!(at)]).await.unwrap();
		let version: Value = api.call("state_getRuntimeVersion", vec![json!(at)]).await.unwrap();
		(unhex(&code), version["specVersion"].as_u64().unwrap())
	};
	let wasm = dir.path().join("built.wasm");
	std::fs::write(&wasm, &code).unwrap();
	let (release_version, release_file, release) = last_release_below(spec_version);

	// Given a dev chain (a block every 500 ms) whose genesis is the last release's,
	let spec = dev_spec_with_code(dir.path(), &release_file, &release);
	let node = Node::start("release", &["--chain", &spec, "--alice", "--sealing", "500"], &dir.path().join("chain"));
	node.client().await;

	// when the JavaScript test connects with the definitions and upgrades the chain,
	let out = tokio::time::timeout(
		Duration::from_secs(240),
		tokio::process::Command::new("node")
			.arg("test/across-upgrade.mjs")
			.arg(node.ws_url())
			.arg(&wasm)
			.current_dir(js_dir())
			.output(),
	)
	.await
	.expect("the JavaScript test ends within 240 s")
	.expect("node (Node.js) runs");
	let stdout = String::from_utf8_lossy(&out.stdout);
	let stderr = String::from_utf8_lossy(&out.stderr);
	eprintln!("{stdout}{stderr}");
	assert!(out.status.success(), "across-upgrade.mjs failed: {stderr}");

	// then it saw the release before and the built runtime after, on the same connection.
	let seen: Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
	assert_eq!(seen["before"]["specVersion"], json!(release_version));
	assert_eq!(seen["after"]["specVersion"], json!(spec_version));
	assert_eq!(seen["before"]["neurons"], seen["after"]["neurons"]);
	assert_eq!(seen["after"]["event"]["fields"], json!(["uid", "row_len"]));
	assert_eq!(seen["after"]["event"]["names"], json!(["uid", "rowLen"]));
	assert_eq!(seen["undecorated"], json!([]));
	println!(
		"js: @polkadot/api across set_code {release_version} -> {spec_version}: rpc and call answered on one connection; WeightsSet names before {} after {}",
		seen["before"]["event"]["names"], seen["after"]["event"]["names"]
	);
}
