//! The built `bittensor-cli` against a dev node (a block every 500 ms): every command, its exit
//! codes (0 done, 1 the chain refused, 2 a usage error found before anything is sent), the
//! signers (--suri, BITTENSOR_SURI, --key-file, none), `--json` parsed back and compared with
//! the RPC at the same block, rows from files, a hot key through `--proxy-for`, `weights walk`
//! over a distance of 1.0, and `watch`.

use bittensor_e2e::{
	cli_binary,
	client::{dev, rows, BittensorApiClient, Client, Hash},
	wait_until, Node,
};
use serde_json::Value;
use std::{path::Path, time::Duration};

/// What one run of the CLI gave.
struct Run {
	code: i32,
	stdout: String,
	stderr: String,
}

impl Run {
	fn json(&self) -> Value {
		serde_json::from_str(self.stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
	}
}

/// Runs the CLI with `args` against `url`, with `env` set and BITTENSOR_SURI otherwise unset.
async fn cli_env(url: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
	let mut cmd = tokio::process::Command::new(cli_binary());
	cmd.arg("--url").arg(url).args(args).env_remove("BITTENSOR_SURI");
	for (k, v) in env {
		cmd.env(k, v);
	}
	let out = tokio::time::timeout(Duration::from_secs(180), cmd.output())
		.await
		.unwrap_or_else(|_| panic!("bittensor-cli {args:?} did not end in 180 s"))
		.expect("bittensor-cli runs");
	let run = Run {
		code: out.status.code().expect("an exit code"),
		stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
		stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
	};
	eprintln!("$ bittensor-cli {}\n{}{}(exit {})", args.join(" "), run.stdout, run.stderr, run.code);
	run
}

async fn cli(url: &str, args: &[&str]) -> Run {
	cli_env(url, args, &[]).await
}

/// Runs the CLI and asserts its exit code.
async fn ok(url: &str, args: &[&str]) -> Run {
	let run = cli(url, args).await;
	assert_eq!(run.code, 0, "bittensor-cli {args:?} failed: {}", run.stderr);
	run
}

async fn fails(url: &str, args: &[&str], code: i32, says: &str) -> Run {
	let run = cli(url, args).await;
	assert_eq!(run.code, code, "bittensor-cli {args:?}: {}{}", run.stdout, run.stderr);
	assert!(run.stderr.contains(says), "bittensor-cli {args:?} should say `{says}`: {}", run.stderr);
	run
}

async fn nonce(api: &Client, who: &str) -> u64 {
	api.next_nonce(&dev::account_id(who).unwrap()).await.unwrap()
}

/// A signed TAO amount as `watch --json` writes it (`+1.5…`, `-0.25…`, `0.…`), in base units.
fn signed_tao(s: &str) -> i128 {
	let tao = |t: &str| bittensor_e2e::client::bittensor::parse_tao(t).unwrap() as i128;
	match s.strip_prefix('-') {
		Some(rest) => -tao(rest),
		None => tao(s.trim_start_matches('+')),
	}
}

fn write(dir: &Path, name: &str, text: &str) -> String {
	let path = dir.join(name);
	std::fs::write(&path, text).unwrap();
	path.to_str().unwrap().to_owned()
}

/// Eve's row at the best block, as parts.
async fn eve_row(api: &Client) -> Vec<(u32, u32)> {
	let row = api.bittensor().get_weights(4.into(), None).await.unwrap();
	row.iter().map(|(j, w)| (*j, bittensor_e2e::client::bittensor::parse_fraction(w).unwrap())).collect()
}

fn hash(s: &str) -> Hash {
	serde_json::from_value(Value::String(s.to_owned())).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_reads_writes_walks_and_watches() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start("dev", &["--dev", "--sealing", "500"], dir.path());
	let api = node.client().await;
	let url = node.ws_url();
	let url = url.as_str();
	wait_until("block 2", Duration::from_secs(60), || async { (api.best_number().await.ok()? >= 2).then_some(()) }).await;

	// Usage: no verb, --help.
	fails(url, &["neuron"], 2, "Usage").await;
	assert!(ok(url, &["--help"]).await.stdout.contains("neuron"));

	// Reads need no key; --json is the RPC's answer at the same block.
	let at = api.best_hash().await.unwrap();
	let at_s = format!("{at:?}");
	let rpc = api.bittensor();
	let list = ok(url, &["--json", "--at", &at_s, "neuron", "list"]).await.json();
	assert_eq!(list, serde_json::to_value(rpc.get_neurons_lite(Some(at)).await.unwrap().into_value().unwrap()).unwrap());
	assert_eq!(list.as_array().unwrap().len(), 4);
	let human = ok(url, &["--at", &at_s, "neuron", "list"]).await.stdout;
	assert_eq!(human.lines().count(), 5, "a header and four neurons: {human}");
	let show = ok(url, &["neuron", "show", "bob", "--json", "--at", &at_s]).await.json();
	assert_eq!(show, serde_json::to_value(rpc.get_neuron(1.into(), Some(at)).await.unwrap()).unwrap());
	assert_eq!(ok(url, &["neuron", "show", "1", "--json", "--at", &at_s]).await.json(), show);
	let stake = ok(url, &["stake", "show", "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty", "--json", "--at", &at_s]).await.json();
	assert_eq!(stake, serde_json::to_value(rpc.get_stake(1.into(), Some(at)).await.unwrap()).unwrap());
	let row = ok(url, &["weights", "show", "0", "--json", "--at", &at_s]).await.json();
	assert_eq!(row, serde_json::to_value(rpc.get_weights(0.into(), Some(at)).await.unwrap()).unwrap());
	let params = ok(url, &["params", "show", "--json", "--at", &at_s]).await.json();
	assert_eq!(params, serde_json::to_value(rpc.get_params(Some(at)).await.unwrap()).unwrap());
	let human = ok(url, &["params", "show"]).await.stdout;
	assert!(human.contains("epsilon (max row change per block, L2)    0.1\n"), "{human}");
	assert!(human.contains("tau (minted per block)                    1 TAO\n"), "{human}");
	let balance = ok(url, &["balance", "show", "ferdie", "--json", "--at", &at_s]).await.json();
	assert_eq!(balance["free"], "1000000.000000000000");
	let version = ok(url, &["runtime", "version", "--json"]).await.json();
	assert_eq!(version["specName"], "bittensor");
	let validators = ok(url, &["validator", "list", "--json"]).await.json();
	assert_eq!(validators["validators"][0]["account"], dev::account_id("alice").unwrap().to_string());
	fails(url, &["neuron", "show", "99"], 1, "Unknown uid").await;

	// Usage errors: exit 2, and nothing is sent (Eve's nonce stays 0).
	let cases: &[(&[&str], &str)] = &[
		(&["--suri", "//Eve", "stake", "add", "abc"], "invalid value 'abc'"),
		(&["--suri", "//Eve", "stake", "add", "0"], "the amount must be above 0"),
		(&["--suri", "//Eve", "stake", "add", "1.0000000000001"], "invalid value"),
		(&["--suri", "//Eve", "params", "set", "--epsilon", "1.5"], "invalid value '1.5'"),
		(&["--suri", "//Eve", "params", "set"], "changes nothing"),
		(&["--suri", "//Eve", "weights", "set", "0:x"], "score in `0:x`"),
		(&["--suri", "not a key at all", "neuron", "register"], "not a secret URI"),
		(&["--proxy-for", "5Fnope", "neuron", "register"], "is not an SS58 address"),
		(&["neuron", "register"], "no key was given: use --suri SURI, --key-file FILE or the environment variable BITTENSOR_SURI"),
		(&["stake", "add", "5"], "no key was given"),
	];
	for (args, says) in cases {
		fails(url, args, 2, says).await;
	}
	let loose = write(dir.path(), "loose.key", "//Eve\n");
	fails(url, &["--key-file", &loose, "neuron", "register"], 2, "chmod 600").await;
	assert_eq!(nonce(&api, "eve").await, 0, "no usage error sent anything");

	// Writes, with each signer source: --suri, BITTENSOR_SURI, --key-file.
	let reg = ok(url, &["--suri", "//Eve", "neuron", "register"]).await.stdout;
	assert!(reg.contains("is neuron 4"), "{reg}");
	let run = cli_env(url, &["stake", "add", "500"], &[("BITTENSOR_SURI", "//Eve")]).await;
	assert_eq!(run.code, 0, "{}", run.stderr);
	let key = write(dir.path(), "eve.key", "//Eve\n");
	std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
	ok(url, &["--key-file", &key, "weights", "set", "0:1", "4:19"]).await;
	assert_eq!(eve_row(&api).await, vec![(0, 50_000_000), (4, 950_000_000)]);
	let stake = rpc.get_stake(4.into(), None).await.unwrap().stake;
	assert!(stake.starts_with("50"), "Eve's 500 TAO, plus what was minted since: {stake}");

	// Chain errors: exit 1 with the module error's name and doc; nothing changes.
	let again = fails(url, &["--suri", "//Eve", "neuron", "register"], 1, "Bittensor::AlreadyRegistered: ").await;
	assert!(again.stderr.trim().len() > "error: neuron register failed: extrinsic failed: Bittensor::AlreadyRegistered: ".len(), "with its doc");
	fails(url, &["--suri", "//Eve", "stake", "remove", "100000"], 1, "Bittensor::InsufficientStake: ").await;
	fails(url, &["--suri", "//Eve", "params", "set", "--tau", "2"], 1, "Sudo::RequireSudo").await;
	fails(url, &["--suri", "//Eve", "validator", "rotate"], 1, "Sudo::RequireSudo").await;

	// Rows from files: unknown uids and duplicates are refused before anything is sent.
	let eve_nonce = nonce(&api, "eve").await;
	let unknown = write(dir.path(), "unknown.csv", "uid,score\n0,1\n99,1\n");
	fails(url, &["--suri", "//Eve", "weights", "set", "--file", &unknown], 1, "uids [99] are not registered neurons").await;
	let dup = write(dir.path(), "dup.json", r#"[{"uid": 0, "score": 1}, {"uid": 0, "score": 2}]"#);
	fails(url, &["--suri", "//Eve", "weights", "set", "--file", &dup], 2, "uid 0 is given twice").await;
	let far = write(dir.path(), "far.csv", "1,1\n");
	fails(url, &["--suri", "//Eve", "weights", "set", "--file", &far], 1, "use `weights walk").await;
	assert_eq!(nonce(&api, "eve").await, eve_nonce, "nothing was sent");
	let near = write(dir.path(), "near.json", r#"{"0": 0.1, "4": 0.9}"#);
	ok(url, &["--suri", "//Eve", "weights", "set", "--file", &near]).await;
	assert_eq!(eve_row(&api).await, vec![(0, 100_000_000), (4, 900_000_000)]);

	// A hot key: Eve (cold) names it; it sets her weights and nothing else.
	let hot = dev::derived("//Eve//hot").unwrap();
	let hot_id = bittensor_e2e::client::AccountId::from(hot.public_key()).to_string();
	ok(url, &["--suri", "//Eve", "balance", "transfer", &hot_id, "10"]).await;
	ok(url, &["--suri", "//Eve", "proxy", "add", &hot_id]).await;
	ok(url, &["--suri", "//Eve//hot", "--proxy-for", "eve", "weights", "set", "0:3", "4:17"]).await;
	assert_eq!(eve_row(&api).await, vec![(0, 150_000_000), (4, 850_000_000)]);
	fails(url, &["--suri", "//Eve//hot", "--proxy-for", "eve", "stake", "remove", "1"], 1, "System::CallFiltered").await;
	fails(url, &["--suri", "//Eve//hot", "--proxy-for", "eve", "balance", "transfer", "bob", "1"], 1, "System::CallFiltered").await;

	// Walks. First through the hot key, stopped after 3 blocks and run again: it goes on from
	// where the chain stands.
	let half12 = write(dir.path(), "half12.csv", "1,0.5\n2,0.5\n");
	let first = fails(url, &["--suri", "//Eve//hot", "--proxy-for", "eve", "weights", "walk", "--toward", &half12, "--max-blocks", "3"], 1, "stopped after 3 blocks").await;
	assert_eq!(first.stdout.matches("step ").count(), 3);
	ok(url, &["--suri", "//Eve//hot", "--proxy-for", "eve", "weights", "walk", "--toward", &half12]).await;
	let target12 = rows::target_row(&[(1, 0.5), (2, 0.5)]).unwrap();
	assert_eq!(eve_row(&api).await, target12);

	// Then a distance of exactly 1.0 ({1: .5, 2: .5} to {0: .5, 3: .5}) at epsilon 0.1.
	let half03 = write(dir.path(), "half03.json", r#"[[0, 1], [3, 1]]"#);
	let target03 = rows::target_row(&[(0, 1.0), (3, 1.0)]).unwrap();
	assert_eq!(rows::distance(&target12, &target03), 1.0);
	let walk = ok(url, &["--suri", "//Eve", "--json", "weights", "walk", "--toward", &half03]).await;
	let summary: Value = walk.stdout.lines().find(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).unwrap();
	let blocks = summary["blocks"].as_u64().unwrap();
	println!("weights walk over a distance of 1.0 at epsilon 0.1: {blocks} blocks");
	assert!(blocks >= 10, "at most 0.1 a block: {blocks}");
	assert_eq!(summary["distanceStart"], 1.0);
	assert_eq!(summary["distanceLeft"], 0.0);
	assert_eq!(eve_row(&api).await, target03, "the chain's row is the target's normalization");
	assert!(walk.stdout.contains("distance left 0.000000000"), "{}", walk.stdout);

	// ε read from the chain: at 0.5 the way back takes fewer blocks.
	ok(url, &["--suri", "alice", "params", "set", "--epsilon", "0.5"]).await;
	let back = ok(url, &["--suri", "//Eve", "--json", "weights", "walk", "--toward", &half12]).await;
	let back: Value = back.stdout.lines().find(|l| l.starts_with('{')).map(|l| serde_json::from_str(l).unwrap()).unwrap();
	assert_eq!(back["blocks"], 2, "1.0 at 0.5 a block");
	assert_eq!(eve_row(&api).await, target12);

	// watch: frames a block, as the RPC has them at each block.
	let frames = ok(url, &["watch", "--count", "3"]).await.stdout;
	let numbers: Vec<u64> = frames
		.lines()
		.filter_map(|l| l.split("block #").nth(1)?.split(' ').next()?.parse().ok())
		.collect();
	assert_eq!(numbers.len(), 3, "{frames}");
	assert!(numbers.windows(2).all(|w| w[1] > w[0]), "{numbers:?}");
	assert!(frames.contains("self-weight") && frames.contains("Δstake"), "{frames}");
	let lines = ok(url, &["watch", "--json", "--count", "2"]).await.stdout;
	for line in lines.lines() {
		let frame: Value = serde_json::from_str(line).unwrap();
		let at = hash(frame["hash"].as_str().unwrap());
		let parent = api.header(Some(at)).await.unwrap().parent_hash;
		let now = rpc.get_neurons_lite(Some(at)).await.unwrap().into_value().unwrap();
		let before = rpc.get_neurons_lite(Some(parent)).await.unwrap().into_value().unwrap();
		let neurons = frame["neurons"].as_array().unwrap();
		assert_eq!(neurons.len(), 5);
		let ranks: Vec<u128> = neurons.iter().map(|n| bittensor_e2e::client::bittensor::parse_tao(n["rank"].as_str().unwrap()).unwrap()).collect();
		assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "sorted by rank: {ranks:?}");
		for n in neurons {
			let uid = n["uid"].as_u64().unwrap() as u32;
			let of = |v: &[bittensor_e2e::client::json::NeuronLite]| v.iter().find(|x| x.uid == uid).unwrap().stake.clone();
			let tao = |s: &str| bittensor_e2e::client::bittensor::parse_tao(s).unwrap() as i128;
			assert_eq!(n["stake"], of(&now));
			let delta = tao(&of(&now)) - tao(&of(&before));
			assert_eq!(signed_tao(n["deltaStake"].as_str().unwrap()), delta, "uid {uid}'s Δstake");
			let own = rpc.get_weights(uid.into(), Some(at)).await.unwrap();
			let own = own.iter().find(|(j, _)| *j == uid).map_or("0.000000000".to_owned(), |(_, w)| w.clone());
			assert_eq!(n["selfWeight"], own, "uid {uid}");
		}
	}

	// Validators: Ferdie's node-made keys, registered by the CLI; the admin adds him.
	ok(url, &["--suri", "//Ferdie", "validator", "set-keys"]).await;
	fails(url, &["--suri", "//Eve", "validator", "add", "ferdie"], 1, "Sudo::RequireSudo").await;
	ok(url, &["--suri", "alice", "validator", "add", "ferdie"]).await;
	let listed = ok(url, &["validator", "list", "--json"]).await.json();
	assert!(listed["adminSet"].as_array().unwrap().contains(&Value::String(dev::account_id("ferdie").unwrap().to_string())), "{listed}");
	fails(url, &["--suri", "alice", "validator", "add", "ferdie"], 1, "ValidatorSet::").await;
	let ferdie = Value::String(dev::account_id("ferdie").unwrap().to_string());
	wait_until("Ferdie in the session", Duration::from_secs(60), || async {
		let listed = cli(url, &["validator", "list", "--json"]).await.json();
		listed["validators"].as_array().unwrap().iter().any(|v| v["account"] == ferdie).then_some(())
	})
	.await;
	ok(url, &["--suri", "alice", "validator", "rotate"]).await;

	// The runtime: the running code again is refused (its spec_version does not increase), and
	// anyone but the admin is refused; nothing changes.
	let code: String = api.call("state_getStorage", vec![serde_json::json!("0x3a636f6465")]).await.unwrap();
	let wasm = dir.path().join("same.wasm");
	std::fs::write(&wasm, bittensor_e2e::unhex(&code)).unwrap();
	let wasm = wasm.to_str().unwrap();
	fails(url, &["--suri", "alice", "runtime", "upgrade", wasm], 1, "System::SpecVersionNeedsToIncrease").await;
	fails(url, &["--suri", "//Eve", "runtime", "upgrade", wasm], 1, "Sudo::RequireSudo").await;
	fails(url, &["--suri", "alice", "runtime", "upgrade", "/nonexistent.wasm"], 2, "/nonexistent.wasm").await;
	assert_eq!(ok(url, &["runtime", "version", "--json"]).await.json(), version);

	// The way out: the hot key goes, anyone settles Eve's minted stake, and she unregisters.
	ok(url, &["--suri", "//Eve", "proxy", "remove", &hot_id]).await;
	fails(url, &["--suri", "//Eve//hot", "--proxy-for", "eve", "weights", "set", "1:1", "2:1"], 1, "Proxy::NotProxy").await;
	ok(url, &["--suri", "bob", "stake", "settle", "4"]).await;
	ok(url, &["--suri", "//Eve", "neuron", "unregister"]).await;
	fails(url, &["neuron", "show", "eve"], 1, "").await;
	assert_eq!(ok(url, &["--json", "neuron", "list"]).await.json().as_array().unwrap().len(), 4);
}
