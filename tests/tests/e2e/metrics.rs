//! The node's own Prometheus metrics (`node/src/metrics.rs`) against the chain's storage read by
//! RPC: a dev node started with `--prometheus-port` serves the `bittensor_*` gauges at the best
//! and the finalized block, and they follow a registration, a row, a change of tau and each
//! block's minting.

use std::{
	io::{Read, Write},
	net::TcpStream,
	time::{Duration, Instant},
};

use bittensor_e2e::{
	client::{self, bittensor, Client, Hash},
	free_port, seal, submit_and_seal, Node, UNIT,
};

/// `GET /metrics` on the node's Prometheus port: the `bittensor_*` samples, as
/// `(name{labels}, value)` without the `chain` label every sample of the node carries, sorted.
/// `None` if the node does not answer.
fn scrape(port: u16) -> Option<Vec<(String, f64)>> {
	let mut socket = TcpStream::connect(("127.0.0.1", port)).ok()?;
	socket.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
	socket.write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
	let mut answer = String::new();
	socket.read_to_string(&mut answer).ok()?;
	let mut samples: Vec<(String, f64)> = answer
		.lines()
		.filter(|line| line.starts_with("bittensor_"))
		.filter_map(|line| {
			let (name, value) = line.rsplit_once(' ')?;
			Some((without_chain(name), value.parse().ok()?))
		})
		.collect();
	samples.sort_by(|a, b| a.0.cmp(&b.0));
	Some(samples)
}

/// `name{status="best",chain="dev"}` as `name{status="best"}` (the values here hold no commas).
fn without_chain(sample: &str) -> String {
	let Some((name, labels)) = sample.strip_suffix('}').and_then(|s| s.split_once('{')) else {
		return sample.to_string()
	};
	let kept: Vec<&str> = labels.split(',').filter(|l| !l.starts_with("chain=")).collect();
	format!("{name}{{{}}}", kept.join(","))
}

/// What the gauges must read once `block` (sealed on `parent`, and finalized with it) is the
/// best and the finalized block, from the pallet's storage and the block's events over RPC.
async fn expected(api: &Client, parent: Hash, block: Hash) -> Vec<(String, f64)> {
	let params = api.params(Some(block)).await.unwrap();
	// What the block minted, by its step's event, and the same by the storage's total.
	let minted = api.block_events(block).await.unwrap().ranked.expect("every block ranks").minted;
	assert_eq!(params.total_minted - api.params(Some(parent)).await.unwrap().total_minted, minted);
	let n = api.neurons(Some(block)).await.unwrap().len();
	let mut samples = Vec::new();
	for status in ["best", "finalized"] {
		let label = |name: &str| format!("{name}{{status=\"{status}\"}}");
		samples.extend([
			(label("bittensor_block_minted_tao"), minted as f64 / UNIT as f64),
			(label("bittensor_inflation_per_block_tao"), params.inflation_per_block as f64 / UNIT as f64),
			(label("bittensor_minted_total_tao"), params.total_minted as f64 / UNIT as f64),
			(label("bittensor_neurons"), n as f64),
			(label("bittensor_weight_entries"), params.total_weight_entries as f64),
		]);
	}
	samples.sort_by(|a, b| a.0.cmp(&b.0));
	samples
}

/// Waits (10 s at most: the node updates the gauges after the import) until the node's
/// `bittensor_*` samples are `want`, each to within 1e-12 of its value.
async fn metrics_are(port: u16, want: &[(String, f64)]) {
	let matches = |got: &[(String, f64)]| {
		got.len() == want.len() &&
			got.iter().zip(want).all(|((gn, gv), (wn, wv))| gn == wn && (gv - wv).abs() <= 1e-12 * wv.abs().max(1.0))
	};
	let deadline = Instant::now() + Duration::from_secs(10);
	let mut got = None;
	while Instant::now() < deadline {
		got = scrape(port);
		if got.as_deref().is_some_and(matches) {
			return
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	panic!("the node's bittensor_* metrics are\n{got:#?}\nnot\n{want:#?}");
}

/// Checks the gauges once `block`, sealed on `parent`, is best and finalized; returns what
/// they read.
async fn check(api: &Client, port: u16, what: &str, parent: Hash, block: Hash) -> Vec<(String, f64)> {
	let want = expected(api, parent, block).await;
	metrics_are(port, &want).await;
	println!("metrics: after {what}: {want:?}");
	want
}

/// The value of `name{status="best"}` in `samples`.
fn best(samples: &[(String, f64)], name: &str) -> f64 {
	let label = format!("{name}{{status=\"best\"}}");
	samples.iter().find(|(n, _)| *n == label).map(|(_, v)| *v).unwrap_or_else(|| panic!("no {label}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nodes_metrics_follow_the_chain_block_by_block() {
	// Given a dev chain (manual sealing, each block finalized) serving Prometheus,
	let dir = tempfile::tempdir().unwrap();
	let port = free_port();
	let port_arg = port.to_string();
	let node = Node::start("dev", &["--dev", "--sealing", "manual", "--prometheus-port", &port_arg], dir.path());
	let api = node.client().await;
	let b0 = seal(&api).await;

	// when a block mints, Eve registers, stakes, sets a row, and sudo doubles tau, then after
	// each block the gauges at best and finalized are the chain's figures at that block
	let b1 = seal(&api).await;
	let m1 = check(&api, port, "an empty block", b0, b1).await;
	let b2 = submit_and_seal(&api, &bittensor::register(), "eve").await;
	let m2 = check(&api, port, "Eve registers", b1, b2).await;
	let b3 = submit_and_seal(&api, &bittensor::add_stake(100 * UNIT), "eve").await;
	let m3 = check(&api, port, "Eve stakes 100 TAO", b2, b3).await;
	let eve = client::dev::account_id("eve").unwrap();
	let uid = api.uid_of(&eve, Some(b3)).await.unwrap().expect("Eve is registered");
	// (epsilon is 0.1: from {uid: 1} to {0: 0.05, uid: 0.95} is a move of 0.0707)
	let b4 = submit_and_seal(&api, &bittensor::set_weights(vec![(0, 1), (uid, 19)]), "eve").await;
	assert_eq!(api.block_events(b4).await.unwrap().count("Bittensor", "WeightsSet"), 1);
	let m4 = check(&api, port, "Eve sets a row", b3, b4).await;
	let b5 = submit_and_seal(&api, &bittensor::sudo_set_params(None, Some(2 * UNIT), None), "alice").await;
	let m5 = check(&api, port, "tau = 2 TAO", b4, b5).await;

	// and they moved as the chain did (the node read them, they are not left from the start).
	assert_eq!((best(&m1, "bittensor_neurons"), best(&m2, "bittensor_neurons")), (4.0, 5.0));
	assert!(best(&m4, "bittensor_weight_entries") > best(&m3, "bittensor_weight_entries"));
	assert_eq!(best(&m4, "bittensor_inflation_per_block_tao"), 1.0);
	assert_eq!(best(&m5, "bittensor_inflation_per_block_tao"), 2.0);
	for m in [&m1, &m2, &m3, &m4, &m5] {
		assert!(best(m, "bittensor_block_minted_tao") > 0.0, "every block minted: {m:?}");
	}
	assert!(best(&m5, "bittensor_minted_total_tao") > best(&m1, "bittensor_minted_total_tao"));
}
