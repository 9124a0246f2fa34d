//! The Python example (`examples/python/bittensor_example.py`, py-substrate-interface) against a
//! dev node (a block every 500 ms): Eve (the cold key) names a hot key; the script turns its
//! model's numpy scores into a row, walks Eve's row there through the hot key within ε per
//! block, and reads rank and stake back by RPC. Then, pointed at a socket that accepts and
//! never answers, it gives up within its timeout instead of hanging.

use bittensor_e2e::{
	client::{bittensor, dev, tx, BittensorApiClient},
	wait_until, Node, UNIT,
};
use std::{path::PathBuf, time::Duration};

/// The Python of the venv that scripts/setup.sh makes (`BITTENSOR_PYTHON` overrides).
fn python() -> PathBuf {
	if let Some(p) = std::env::var_os("BITTENSOR_PYTHON") {
		return PathBuf::from(p)
	}
	let home = std::env::var_os("HOME").expect("HOME is set");
	let p = PathBuf::from(home).join(".cache/bittensor-chain/venv/bin/python");
	assert!(p.exists(), "{} not found: run scripts/setup.sh (it installs examples/python/requirements.txt)", p.display());
	p
}

fn script() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/python/bittensor_example.py")
}

async fn run(args: &[&str], limit: Duration) -> (i32, String, String, Duration) {
	let start = std::time::Instant::now();
	let out = tokio::time::timeout(limit, tokio::process::Command::new(python()).arg(script()).args(args).output())
		.await
		.unwrap_or_else(|_| panic!("the Python example did not end in {limit:?}"))
		.expect("python runs");
	let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
	eprintln!("$ python bittensor_example.py {}\n{stdout}{stderr}", args.join(" "));
	(out.status.code().unwrap_or(-1), stdout, stderr, start.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_python_example_walks_a_models_row_through_the_hot_key() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start("dev", &["--dev", "--sealing", "500"], dir.path());
	let api = node.client().await;
	wait_until("block 1", Duration::from_secs(60), || async { (api.best_number().await.ok()? >= 1).then_some(()) }).await;

	// Given Eve registered with stake, naming //Eve//hot her Weights proxy and funding it,
	let eve = dev::signer("eve").unwrap();
	let eve_id = dev::account_id("eve").unwrap();
	let hot = dev::derived("//Eve//hot").unwrap();
	let hot_id = hot.public_key().into();
	api.submit(&bittensor::register(), &eve).await.unwrap();
	api.submit(&bittensor::add_stake(100 * UNIT), &eve).await.unwrap();
	api.submit(&tx::transfer_keep_alive(&hot_id, 10 * UNIT), &eve).await.unwrap();
	api.submit(&tx::add_proxy(&hot_id, tx::ProxyType::Weights), &eve).await.unwrap();

	// when the example runs with the hot key,
	let url = node.ws_url();
	let cold = eve_id.to_string();
	let (code, stdout, stderr, _) =
		run(&["--url", &url, "--hot", "//Eve//hot", "--cold", &cold, "--timeout", "30"], Duration::from_secs(300)).await;
	assert_eq!(code, 0, "{stderr}");
	let summary: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();

	// then Eve's row on chain is the row of the model's scores: parts summing to one billion,
	// each within one part of score / total, reached in steps of at most ε (0.1) a block.
	let uid = summary["uid"].as_u64().unwrap() as u32;
	assert_eq!(uid, 4);
	let scores: Vec<f64> = summary["scores"].as_array().unwrap().iter().map(|s| s.as_f64().unwrap()).collect();
	let uids: Vec<u32> = summary["uids"].as_array().unwrap().iter().map(|u| u.as_u64().unwrap() as u32).collect();
	let total: f64 = scores.iter().sum();
	let row = api.bittensor().get_weights(uid.into(), None).await.unwrap();
	let row: Vec<(u32, u32)> = row.iter().map(|(j, w)| (*j, bittensor::parse_fraction(w).unwrap())).collect();
	assert_eq!(row.iter().map(|(_, p)| u64::from(*p)).sum::<u64>(), 1_000_000_000);
	for (u, s) in uids.iter().zip(&scores) {
		let p = row.iter().find(|(j, _)| j == u).map_or(0, |(_, p)| *p);
		assert!((f64::from(p) - s / total * 1e9).abs() <= 1.0, "uid {u}: {p} parts for a score of {s} of {total}");
	}
	let target: Vec<(u32, u32)> = summary["target"].as_object().unwrap().iter().map(|(u, p)| (u.parse().unwrap(), p.as_u64().unwrap() as u32)).collect();
	let mut target = target;
	target.sort();
	assert_eq!(row, target, "the chain stored the script's row as it is");
	// From full self-weight to a row spread over five peers: more than ε away.
	let blocks = summary["blocks"].as_u64().unwrap();
	let distance = bittensor_e2e::client::rows::distance(&[(4, 1_000_000_000)], &row);
	assert!(blocks as f64 >= (distance / 0.1).ceil(), "{blocks} blocks for a distance of {distance}");
	println!("python example: distance {distance:.9} in {blocks} blocks through the hot key");
	assert!(stdout.contains(&format!("neuron 4 at its target after {blocks} blocks: rank ")), "{stdout}");

	// A socket that accepts and never answers: the example gives up after its timeout.
	let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
	let silent_url = format!("ws://{}", silent.local_addr().unwrap());
	let (code, _, stderr, took) =
		run(&["--url", &silent_url, "--hot", "//Eve//hot", "--cold", &cold, "--timeout", "2"], Duration::from_secs(60)).await;
	assert_ne!(code, 0, "a dead socket is an error");
	assert!(stderr.contains("error"), "{stderr}");
	println!("python example against a silent socket: exit {code} after {took:?}");
	drop(silent);
}
