//! The `bittensor_*` JSON-RPC methods and the `BittensorApi` runtime API on a running dev node.
//! Every answer is recomputed here from the pallet's storage (read over `state_getStorage`),
//! at the best block and at an older one, and every error case is checked for its code.

use bittensor_e2e::{
	client::{self, bittensor, json, subxt::ext::codec::Decode, BittensorApiClient, Blocks, Client, Hash, Uids},
	manual_dev_chain, seal, submit_and_seal, UNIT,
};
use serde_json::{json, Value};

/// Error codes of `pallet-bittensor-rpc`, as documented in the README.
const UNKNOWN_UID: i32 = 7001;
const UNKNOWN_ACCOUNT: i32 = 7002;
const UNKNOWN_BLOCK: i32 = 7003;
const INVALID_PARAMS: i32 = -32602;

fn tokens(base: u128) -> String {
	json::tokens(base, 12)
}

fn fraction(parts: u32) -> String {
	json::fraction(json::Perbill::from_parts(parts))
}

/// What every `bittensor_*` method must answer at `at`, built from storage alone (read with
/// subxt, not through the `bittensor_*` methods).
struct Expected {
	neurons: Vec<json::Neuron>,
	lite: Vec<json::NeuronLite>,
	ranks: Vec<(u32, u128)>,
	rows: Vec<(u32, Vec<(u32, u32)>)>,
	stakes: Vec<(u32, String, u128)>,
	params: json::Params,
}

async fn expected(api: &Client, at: Hash) -> Expected {
	let neurons = api.neurons(Some(at)).await.unwrap();
	let ranks = api.ranks(Some(at)).await.unwrap();
	let p = api.params(Some(at)).await.unwrap();
	let mut rows = Vec::new();
	let (mut json_neurons, mut lite) = (Vec::new(), Vec::new());
	for n in &neurons {
		let row = api.weights(n.uid, Some(at)).await.unwrap().expect("every neuron has a row");
		let rank = ranks.iter().find(|(u, _)| *u == n.uid).map_or(0, |(_, r)| *r);
		json_neurons.push(json::Neuron {
			uid: n.uid,
			account: n.account.to_string(),
			stake: tokens(n.stake),
			deposit: tokens(n.deposit),
			rank: tokens(rank),
			weights: row.iter().map(|(j, w)| (*j, fraction(*w))).collect(),
		});
		lite.push(json::NeuronLite {
			uid: n.uid,
			account: n.account.to_string(),
			stake: tokens(n.stake),
			deposit: tokens(n.deposit),
			rank: tokens(rank),
			entries: row.len() as u32,
		});
		rows.push((n.uid, row));
	}
	let entries: usize = rows.iter().map(|(_, r)| r.len()).sum();
	assert_eq!(entries as u64, p.total_weight_entries);
	let params = json::Params {
		max_weight_change: fraction(p.max_weight_change),
		inflation_per_block: tokens(p.inflation_per_block),
		inflation_mode: match p.adaptive {
			None => json::Mode::Fixed,
			Some((target, gain, max)) =>
				json::Mode::Adaptive { target: fraction(target), gain: fraction(gain), max: tokens(max) },
		},
		max_neurons: p.max_neurons,
		max_weights_per_row: p.max_weights_per_row,
		// The constant doubled for each full sixteenth of MaxNeurons registered.
		registration_deposit: tokens(p.registration_deposit << (16 * neurons.len() as u32 / p.max_neurons)),
		neuron_count: neurons.len() as u32,
		next_uid: p.next_uid,
		total_weight_entries: p.total_weight_entries,
		total_minted: tokens(p.total_minted),
		token_decimals: 12,
	};
	let stakes = neurons.iter().map(|n| (n.uid, n.account.to_string(), n.stake)).collect();
	Expected { neurons: json_neurons, lite, ranks, rows, stakes, params }
}

/// The mask row of `uid` at temperature `t` by the paper's reference model (eq. 7-8):
/// `mu_j = R_j` (the stored ranking), the stake and row of `uid` as stored.
fn mask(e: &Expected, uid: u32, t: f64) -> Vec<(u32, f64, f64)> {
	let stake = e.stakes.iter().find(|s| s.0 == uid).unwrap().2 as f64 / UNIT as f64;
	let row = &e.rows.iter().find(|r| r.0 == uid).unwrap().1;
	let w = |j: u32| row.iter().find(|(k, _)| *k == j).map_or(0.0, |(_, p)| *p as f64 / 1e9);
	e.ranks
		.iter()
		.map(|&(j, r)| {
			let mu = r as f64 / UNIT as f64;
			(j, mu, bittensor_reference::mask(stake, w(j), mu, t))
		})
		.collect()
}

/// Checks every method at `at` (passed explicitly) against storage at `at`.
async fn check_every_method(api: &Client, at: Hash) {
	let e = expected(api, at).await;
	let rpc = api.bittensor();
	let at = Some(at);

	assert_eq!(rpc.get_neurons(at).await.unwrap().into_value().unwrap(), e.neurons);
	assert_eq!(rpc.get_neurons_lite(at).await.unwrap().into_value().unwrap(), e.lite);
	for n in &e.neurons {
		assert_eq!(&rpc.get_neuron(n.uid.into(), at).await.unwrap(), n);
	}
	let ranks: Vec<json::Rank> = e.ranks.iter().map(|(uid, r)| json::Rank { uid: *uid, rank: tokens(*r) }).collect();
	assert_eq!(rpc.get_ranks(at).await.unwrap().into_value().unwrap(), ranks);
	for (uid, account, stake) in &e.stakes {
		let want = json::Stake { uid: *uid, account: account.clone(), stake: tokens(*stake) };
		assert_eq!(rpc.get_stake((*uid).into(), at).await.unwrap(), want);
		assert_eq!(rpc.get_stake(client::Who::Account(account.clone()), at).await.unwrap(), want);
	}
	let rows: Vec<json::Row> = e
		.rows
		.iter()
		.map(|(uid, row)| json::Row { uid: *uid, weights: row.iter().map(|(j, w)| (*j, fraction(*w))).collect() })
		.collect();
	for row in &rows {
		assert_eq!(rpc.get_weights(row.uid.into(), at).await.unwrap(), row.weights);
	}
	// Every row, by uid; the rows of a set in the order asked.
	assert_eq!(rpc.get_rows(None, at).await.unwrap().into_value().unwrap(), rows);
	let reversed: Vec<json::Row> = rows.iter().rev().cloned().collect();
	let uids = Uids(reversed.iter().map(|r| r.uid).collect());
	assert_eq!(rpc.get_rows(Some(uids), at).await.unwrap().into_value().unwrap(), reversed);
	assert_eq!(rpc.get_params(at).await.unwrap(), e.params);

	for t in [1.0, 250.0] {
		for (uid, _, _) in &e.stakes {
			let got = rpc.get_mask((*uid).into(), t.into(), at).await.unwrap();
			let want = mask(&e, *uid, t);
			assert_eq!(got.len(), want.len());
			for (g, (j, mu, m)) in got.iter().zip(want) {
				let num = |s: &str| s.parse::<f64>().unwrap();
				assert_eq!(g.uid, j);
				assert!((num(&g.mu) - mu).abs() <= 1e-9 * mu.abs().max(1.0), "mu_{j}: {g:?} vs {mu}");
				assert!((num(&g.mask) - m).abs() <= 1e-9, "mask_{uid},{j} at T={t}: {g:?} vs {m}");
			}
		}
	}

	// The runtime API itself, encoded and decoded through the metadata as polkadot.js does,
	let api_ranks: Vec<(u32, u128)> = api.bittensor_api("ranks", (), at).await.unwrap();
	assert_eq!(api_ranks, e.ranks);
	for (uid, account, stake) in &e.stakes {
		let n: Option<bittensor::ApiNeuron> = api.bittensor_api("neuron", (*uid,), at).await.unwrap();
		let n = n.unwrap();
		assert_eq!((n.uid, n.account.to_string(), n.stake), (*uid, account.clone(), *stake));
		let row: Vec<(u32, u32)> = n.weights.iter().map(|(j, w)| (*j, w.0)).collect();
		assert_eq!(row, e.rows.iter().find(|r| r.0 == *uid).unwrap().1);
	}
	// and through a raw `state_call`.
	let raw: String =
		api.call("state_call", vec![json!("BittensorApi_ranks"), json!("0x"), json!(at)]).await.unwrap();
	let bytes = bittensor_e2e::unhex(&raw);
	assert_eq!(Vec::<(u32, u128)>::decode(&mut &bytes[..]).unwrap(), e.ranks);
}

async fn error_code(api: &Client, method: &str, params: Vec<Value>) -> i32 {
	match api.call::<Value>(&format!("bittensor_{method}"), params.clone()).await {
		Ok(v) => panic!("bittensor_{method}({params:?}) answered {v}, expected an error"),
		Err(e) => e.rpc_code().unwrap_or_else(|| panic!("not a JSON-RPC error: {e}")),
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_method_matches_storage_now_and_at_an_older_block() {
	// Given a dev chain with the preset's four neurons, one block in,
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, old) = manual_dev_chain(dir.path()).await;

	// when Eve registers, stakes and sets weights, and Dave leaves,
	submit_and_seal(&api, &bittensor::register(), "eve").await;
	submit_and_seal(&api, &bittensor::add_stake(700 * UNIT), "eve").await;
	submit_and_seal(&api, &bittensor::set_weights(vec![(0, 1), (4, 19)]), "eve").await;
	submit_and_seal(&api, &bittensor::unregister(), "dave").await;
	let now = seal(&api).await;

	// then every method answers what storage holds, at the best block (no `at`) ...
	let rpc = api.bittensor();
	let best = api.best_hash().await.unwrap();
	assert_eq!(best, now);
	let neurons = rpc.get_neurons(None).await.unwrap().into_value().unwrap();
	assert_eq!(neurons, rpc.get_neurons(Some(now)).await.unwrap().into_value().unwrap());
	check_every_method(&api, now).await;
	let uids: Vec<u32> = neurons.iter().map(|n| n.uid).collect();
	assert_eq!(uids, vec![0, 1, 2, 4], "Eve is in, Dave is out");

	// ... and, with `at`, at the older block, before Eve and while Dave was registered.
	check_every_method(&api, old).await;
	let then = rpc.get_neurons(Some(old)).await.unwrap().into_value().unwrap();
	assert_eq!(then.len(), 4);
	assert_eq!(then[3].account, client::dev::account_id("dave").unwrap().to_string());
	let eve = client::dev::account_id("eve").unwrap().to_string();
	let stake_then = rpc.get_stake(client::Who::Account(eve), Some(old)).await.map_err(client::Error::from);
	assert_eq!(stake_then.unwrap_err().rpc_code(), Some(UNKNOWN_ACCOUNT));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_error_case_has_its_code() {
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;

	// Unknown uid.
	for (method, params) in [
		("getNeuron", vec![json!(99)]),
		("getWeights", vec![json!(99)]),
		("getStake", vec![json!(99)]),
		("getMask", vec![json!(99), json!(1.0)]),
		("getRows", vec![json!([0, 99])]),
	] {
		assert_eq!(error_code(&api, method, params).await, UNKNOWN_UID, "{method}");
	}
	// A valid SS58 address that is not registered (Ferdie).
	let ferdie = client::dev::account_id("ferdie").unwrap().to_string();
	assert_eq!(error_code(&api, "getStake", vec![json!(ferdie)]).await, UNKNOWN_ACCOUNT);
	// A block the node does not know.
	let nowhere = json!(format!("0x{}", "11".repeat(32)));
	for (method, mut params) in [
		("getNeurons", vec![]),
		("getNeuronsLite", vec![]),
		("getRows", vec![Value::Null]),
		("getRows", vec![json!([0])]),
		("getNeuron", vec![json!(0)]),
		("getRanks", vec![]),
		("getStake", vec![json!(0)]),
		("getWeights", vec![json!(0)]),
		("getParams", vec![]),
		("getMask", vec![json!(0), json!(1.0)]),
	] {
		params.push(nowhere.clone());
		assert_eq!(error_code(&api, method, params).await, UNKNOWN_BLOCK, "{method}");
	}
	// Bad parameters: a broken SS58 checksum, a uid that is not a u32, a temperature that is
	// not positive, a block hash that is not 32 bytes, a missing parameter.
	let mut broken = ferdie.clone();
	broken.pop();
	broken.push(if ferdie.ends_with('a') { 'b' } else { 'a' });
	for (method, params) in [
		("getStake", vec![json!(broken)]),
		("getStake", vec![json!(-1)]),
		("getNeuron", vec![json!("zero")]),
		("getWeights", vec![json!(1.5)]),
		("getMask", vec![json!(0), json!(0.0)]),
		("getMask", vec![json!(0), json!(-2.0)]),
		("getMask", vec![json!(0), json!("warm")]),
		("getNeurons", vec![json!("0x1234")]),
		("getNeuron", vec![]),
	] {
		assert_eq!(error_code(&api, method, params.clone()).await, INVALID_PARAMS, "{method} {params:?}");
	}
}

/// The next notification of `sub`, within `timeout`.
async fn next<T: client::jsonrpsee::core::DeserializeOwned>(
	sub: &mut client::jsonrpsee::core::client::Subscription<T>,
	what: &str,
	timeout: std::time::Duration,
) -> T {
	match tokio::time::timeout(timeout, sub.next()).await {
		Ok(Some(Ok(item))) => item,
		Ok(Some(Err(e))) => panic!("{what}: a notification that does not parse: {e}"),
		Ok(None) => panic!("{what}: the subscription ended"),
		Err(_) => panic!("{what}: no notification within {timeout:?}"),
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_push_each_new_block_with_its_hash_and_answer() {
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;
	let rpc = api.bittensor();
	// Given subscribers of the ranking on best and on finalized blocks, and of the lite
	// metagraph (best blocks, the default),
	let mut ranks = rpc.subscribe_ranks(Some(Blocks::Best)).await.unwrap();
	let mut finalized = rpc.subscribe_ranks(Some(Blocks::Finalized)).await.unwrap();
	let mut neurons = rpc.subscribe_neurons(None).await.unwrap();
	// when blocks are made (sealed and finalized at once), one with a new neuron,
	let first = api.best_number().await.unwrap();
	for k in 1..=3u64 {
		let hash = if k == 2 { submit_and_seal(&api, &bittensor::register(), "eve").await } else { seal(&api).await };
		// then each subscriber gets that block, numbered, with what the get method says there.
		let timeout = std::time::Duration::from_secs(10);
		let r = next(&mut ranks, "ranks", timeout).await;
		let f = next(&mut finalized, "finalized ranks", timeout).await;
		let n = next(&mut neurons, "neurons", timeout).await;
		for (h, number) in [(r.hash, r.number), (f.hash, f.number), (n.hash, n.number)] {
			assert_eq!((h, number), (hash, first + k), "block {k}");
		}
		let want_ranks = rpc.get_ranks(Some(hash)).await.unwrap().into_value().unwrap();
		assert_eq!(r.value.into_value().unwrap(), want_ranks);
		assert_eq!(f.value.into_value().unwrap(), want_ranks);
		let lite = n.value.into_value().unwrap();
		assert_eq!(lite, rpc.get_neurons_lite(Some(hash)).await.unwrap().into_value().unwrap());
		assert_eq!(lite.len(), if k >= 2 { 5 } else { 4 }, "Eve is in from block 2");
	}
	// A kind of block the node does not know is refused when subscribing.
	let bad: Result<Value, _> = api.call("bittensor_subscribeRanks", vec![json!("latest")]).await;
	assert_eq!(bad.unwrap_err().rpc_code(), Some(INVALID_PARAMS));
}
