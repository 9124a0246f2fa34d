//! The mechanism at its limits on a live node: the `scale` preset (4,096 neurons, 256 weight
//! entries a row, built by the node from the runtime's generator), manual seal.
//!
//! Blocks must import, each block's step must report `n = 4,096`, and eq. 5–6 must hold on two
//! consecutive blocks, recomputed in f64 from what the RPC reads. It prints how long the node
//! takes to seal a block (build and import) and to import one: `Core_execute_block` on the
//! parent's state through `state_call`, which is the execution an importing node does.

use std::time::{Duration, Instant};

use bittensor_e2e::client::BittensorApiClient;
use bittensor_e2e::{
	client::{Client, Hash},
	reference::assert_block_step,
	Node, UNIT,
};
use codec::{Compact, Encode};
use serde_json::{json, Value};
use sp_crypto_hashing::blake2_256;

const N: usize = 4096;
const ROW: u64 = 256;

/// The bytes of a `0x` hex string in a JSON answer.
fn unhex(v: &Value) -> Vec<u8> {
	bittensor_e2e::unhex(v.as_str().unwrap())
}

/// Block `hash` SCALE-encoded, from `chain_getBlock`: the header (checked against the hash)
/// and the opaque extrinsics.
async fn encoded_block(api: &Client, hash: Hash) -> Vec<u8> {
	let block: Value = api.call("chain_getBlock", vec![json!(hash)]).await.unwrap();
	let header = &block["block"]["header"];
	let mut out = unhex(&header["parentHash"]);
	let number = u32::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
	Compact(number).encode_to(&mut out);
	out.extend(unhex(&header["stateRoot"]));
	out.extend(unhex(&header["extrinsicsRoot"]));
	let logs = header["digest"]["logs"].as_array().unwrap();
	Compact(logs.len() as u32).encode_to(&mut out);
	for log in logs {
		out.extend(unhex(log));
	}
	assert_eq!(blake2_256(&out), hash.0, "the header re-encodes to the block's hash");
	let extrinsics = block["block"]["extrinsics"].as_array().unwrap();
	Compact(extrinsics.len() as u32).encode_to(&mut out);
	for xt in extrinsics {
		out.extend(unhex(xt));
	}
	out
}

/// Every storage key at `at`, paged.
async fn all_keys(api: &Client, at: Hash) -> Vec<String> {
	let mut keys: Vec<String> = Vec::new();
	loop {
		let start = keys.last().cloned().map_or(Value::Null, Value::String);
		let page: Vec<String> =
			api.call("state_getKeysPaged", vec![json!("0x"), json!(1000), start, json!(at)]).await.unwrap();
		let done = page.len() < 1000;
		keys.extend(page);
		if done {
			return keys;
		}
	}
}

/// `key -> value` at `at` for `keys`, in batches.
async fn values(api: &Client, keys: &[String], at: Hash) -> std::collections::HashMap<String, Option<String>> {
	let mut out = std::collections::HashMap::new();
	for batch in keys.chunks(1000) {
		let sets: Vec<Value> = api.call("state_queryStorageAt", vec![json!(batch), json!(at)]).await.unwrap();
		for set in sets {
			for change in set["changes"].as_array().unwrap() {
				let key = change[0].as_str().unwrap().to_string();
				out.insert(key, change[1].as_str().map(str::to_string));
			}
		}
	}
	out
}

/// The keys block `hash` wrote (changed, added or removed against `parent`) and the bytes of
/// their new values.
async fn written(api: &Client, parent: Hash, hash: Hash) -> Vec<(String, usize)> {
	let mut keys = all_keys(api, hash).await;
	for key in all_keys(api, parent).await {
		keys.push(key);
	}
	keys.sort();
	keys.dedup();
	let (before, after) = (values(api, &keys, parent).await, values(api, &keys, hash).await);
	keys.into_iter()
		.filter(|k| before.get(k).cloned().flatten() != after.get(k).cloned().flatten())
		.map(|k| {
			let bytes = after.get(&k).cloned().flatten().map_or(0, |v| (v.len() - 2) / 2);
			(k, bytes)
		})
		.collect()
}

/// `Pallet.Item` of a storage key, among the items a block may write; else the key.
fn item_name(key: &str) -> String {
	const ITEMS: &[(&str, &[&str])] = &[
		("System", &["Account", "Events", "EventCount", "EventTopics", "BlockHash", "Number", "ParentHash", "Digest", "ExtrinsicCount", "BlockWeight", "AllExtrinsicsLen", "ExtrinsicData", "InherentsApplied", "LastRuntimeUpgrade", "BlockSize"]),
		("Timestamp", &["Now", "DidUpdate"]),
		("Aura", &["CurrentSlot"]),
		("Balances", &["TotalIssuance", "Account", "Holds"]),
		("TransactionPayment", &["NextFeeMultiplier"]),
		("Bittensor", &["Stakes", "Ranks", "TotalMinted", "InflationPerBlock", "Weights", "TotalWeightEntries", "BlockStartWeights", "Neurons"]),
	];
	for (pallet, items) in ITEMS {
		for item in *items {
			let prefix = bittensor_e2e::hex0x(&[sp_crypto_hashing::twox_128(pallet.as_bytes()), sp_crypto_hashing::twox_128(item.as_bytes())].concat());
			if key.starts_with(&prefix) {
				return if key.len() > prefix.len() { format!("{pallet}.{item}[…]") } else { format!("{pallet}.{item}") };
			}
		}
	}
	key.to_string()
}

/// The median of three imports of block `hash` on its parent's state.
async fn import_time(api: &Client, parent: Hash, hash: Hash) -> Duration {
	let block = bittensor_e2e::hex0x(&encoded_block(api, hash).await);
	let mut times = Vec::new();
	for _ in 0..3 {
		let t = Instant::now();
		let out: String = api.call("state_call", vec![json!("Core_execute_block"), json!(block), json!(parent)]).await.unwrap();
		times.push(t.elapsed());
		assert_eq!(out, "0x", "Core_execute_block returns nothing");
	}
	times.sort();
	times[1]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scale_preset_ranks_and_pays_4096_neurons_with_full_rows_every_block() {
	let dir = tempfile::tempdir().unwrap();
	let started = Instant::now();
	// Answers of a whole metagraph at this size are about 25 MB of JSON.
	let node = Node::start(
		"scale",
		&["--chain", "scale", "--alice", "--sealing", "manual", "--rpc-max-response-size", "256"],
		dir.path(),
	);
	let api = node.client().await;
	println!("scale: genesis of {N} neurons built and the node serving in {:.1} s", started.elapsed().as_secs_f64());

	// Given the genesis: 4,096 neurons, 256 entries a row, the runtime's limits,
	let params = api.bittensor().get_params(None).await.unwrap();
	assert_eq!(u64::from(params.neuron_count), N as u64);
	assert_eq!((u64::from(params.max_neurons), u64::from(params.max_weights_per_row)), (N as u64, ROW));
	assert_eq!(params.total_weight_entries, N as u64 * ROW);
	let tau = bittensor_e2e::client::bittensor::parse_tao(&params.inflation_per_block).unwrap();
	assert_eq!(tau, UNIT);

	// when three blocks are sealed,
	let mut blocks = vec![api.best_hash().await.unwrap()];
	let mut seal_times = Vec::new();
	for _ in 0..3 {
		let t = Instant::now();
		blocks.push(api.create_block(true, true).await.unwrap().hash);
		seal_times.push(t.elapsed());
	}

	// then each imported, ranked all 4,096 neurons and minted,
	for (k, hash) in blocks.iter().enumerate().skip(1) {
		let header: Value = api.call("chain_getHeader", vec![json!(hash)]).await.unwrap();
		assert_eq!(header["number"], json!(format!("0x{k:x}")));
		let ranked = api.block_events(*hash).await.unwrap().ranked.expect("a Ranked event");
		assert_eq!(ranked.n as usize, N, "block {k}: the step ranked every neuron");
		assert!(ranked.minted >= tau, "block {k}: minted {} below tau", ranked.minted);
	}
	// and blocks 2 and 3 follow eq. 5-6 from the stakes and rows the RPC reads.
	for k in 2..=3 {
		let t = Instant::now();
		assert_block_step(&api, blocks[k - 1], blocks[k], N, tau as f64, &format!("block {k}")).await;
		println!("scale: eq. 5-6 checked on block {k} from RPC reads in {:.1} s", t.elapsed().as_secs_f64());
	}

	// What one block writes to state: the keys and the bytes of their values.
	let changed = written(&api, blocks[2], blocks[3]).await;
	let bytes: usize = changed.iter().map(|(_, b)| b).sum();
	let stakes_key = bittensor_e2e::hex0x(&[sp_crypto_hashing::twox_128(b"Bittensor"), sp_crypto_hashing::twox_128(b"Stakes")].concat());
	let stakes_bytes = changed.iter().find(|(k, _)| *k == stakes_key).map(|(_, b)| *b).expect("the block wrote Stakes");
	assert!(changed.len() < 40, "a block writes O(1) keys, not one a neuron: {}", changed.len());
	println!(
		"scale: block 3 wrote {} keys, {bytes} bytes of values (Stakes {stakes_bytes}); 14,400 blocks a day (6 s) -> {:.2} GB a day of values on an archive node",
		changed.len(),
		bytes as f64 * 14_400.0 / 1e9
	);
	for (key, b) in &changed {
		println!("scale:   {} {b} bytes", item_name(key));
	}

	let mut imports = Vec::new();
	for k in 1..=3 {
		imports.push(import_time(&api, blocks[k - 1], blocks[k]).await);
	}
	let ms = |d: &Duration| format!("{:.0} ms", d.as_secs_f64() * 1e3);
	println!(
		"scale: {N} neurons x {ROW} entries: seal (build + import) {}; import (Core_execute_block on the parent) {}",
		seal_times.iter().map(ms).collect::<Vec<_>>().join(", "),
		imports.iter().map(ms).collect::<Vec<_>>().join(", "),
	);
}
