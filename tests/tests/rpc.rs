//! The `bittensor_*` JSON-RPC methods and the `BittensorApi` runtime API on a running dev node.
//! Every answer is recomputed here from the pallet's storage (read over `state_getStorage`),
//! at the best block and at an older one, and every error case is checked for its code.

use bittensor_e2e::{
	client::{self, bittensor, subxt::ext::codec::Decode, Client, Hash},
	manual_dev_chain, seal, submit_and_seal, UNIT,
};
use serde_json::{json, Value};

/// Error codes of `pallet-bittensor-rpc`, as documented in the README.
const UNKNOWN_UID: i32 = 7001;
const UNKNOWN_ACCOUNT: i32 = 7002;
const UNKNOWN_BLOCK: i32 = 7003;
const INVALID_PARAMS: i32 = -32602;

/// Base units as tokens with all 12 decimals.
fn tokens(base: u128) -> String {
	format!("{}.{:012}", base / UNIT, base % UNIT)
}

/// Perbill parts as a fraction with 9 decimals.
fn fraction(parts: u32) -> String {
	format!("{}.{:09}", parts / 1_000_000_000, parts % 1_000_000_000)
}

/// What every `bittensor_*` method must answer at `at`, built from storage alone.
struct Expected {
	neurons: Vec<Value>,
	ranks: Vec<(u32, u128)>,
	rows: Vec<(u32, Vec<(u32, u32)>)>,
	stakes: Vec<(u32, String, u128)>,
	params: Value,
}

async fn expected(api: &Client, at: Hash) -> Expected {
	let neurons = api.neurons(Some(at)).await.unwrap();
	let ranks = api.ranks(Some(at)).await.unwrap();
	let p = api.params(Some(at)).await.unwrap();
	let mut rows = Vec::new();
	let mut json_neurons = Vec::new();
	for n in &neurons {
		let row = api.weights(n.uid, Some(at)).await.unwrap().expect("every neuron has a row");
		let rank = ranks.iter().find(|(u, _)| *u == n.uid).map_or(0, |(_, r)| *r);
		json_neurons.push(json!({
			"uid": n.uid,
			"account": n.account.to_string(),
			"stake": tokens(n.stake),
			"deposit": tokens(n.deposit),
			"rank": tokens(rank),
			"weights": row.iter().map(|(j, w)| json!([j, fraction(*w)])).collect::<Vec<_>>(),
		}));
		rows.push((n.uid, row));
	}
	let entries: usize = rows.iter().map(|(_, r)| r.len()).sum();
	assert_eq!(entries as u64, p.total_weight_entries);
	let params = json!({
		"maxWeightChange": fraction(p.max_weight_change),
		"inflationPerBlock": tokens(p.inflation_per_block),
		"inflationMode": match p.adaptive {
			None => json!({"type": "fixed"}),
			Some((target, gain, max)) => json!({
				"type": "adaptive", "target": fraction(target), "gain": fraction(gain), "max": tokens(max)
			}),
		},
		"maxNeurons": p.max_neurons,
		"maxWeightsPerRow": p.max_weights_per_row,
		"registrationDeposit": tokens(p.registration_deposit),
		"neuronCount": neurons.len(),
		"nextUid": p.next_uid,
		"totalWeightEntries": p.total_weight_entries,
		"totalMinted": tokens(p.total_minted),
		"tokenDecimals": 12,
	});
	let stakes = neurons.iter().map(|n| (n.uid, n.account.to_string(), n.stake)).collect();
	Expected { neurons: json_neurons, ranks, rows, stakes, params }
}

/// The mask row of `uid` at temperature `t`, in f64 from the stakes and rows of `e`.
fn mask(e: &Expected, uid: u32, t: f64) -> Vec<(u32, f64, f64)> {
	let n = e.stakes.len() as f64;
	let stake = |j: u32| e.stakes.iter().find(|s| s.0 == j).unwrap().2 as f64 / UNIT as f64;
	let w = |i: u32, j: u32| {
		let row = &e.rows.iter().find(|r| r.0 == i).unwrap().1;
		row.iter().find(|(k, _)| *k == j).map_or(0.0, |(_, p)| *p as f64 / 1e9)
	};
	e.stakes
		.iter()
		.map(|&(j, _, _)| {
			let mu = e.stakes.iter().map(|&(k, _, _)| stake(k) * w(k, j)).sum::<f64>() / n;
			let x = (stake(uid) * w(uid, j) - mu) / t;
			(j, mu, 1.0 / (1.0 + (-x).exp()))
		})
		.collect()
}

/// Calls `bittensor_<method>` with `params` at `at`.
async fn rpc(api: &Client, method: &str, params: Vec<Value>, at: Option<Hash>) -> Value {
	api.bittensor_rpc(method, params, at)
		.await
		.unwrap_or_else(|e| panic!("bittensor_{method} failed: {e}"))
}

/// Checks every method at `at` (passed explicitly) against storage at `at`.
async fn check_every_method(api: &Client, at: Hash) {
	let e = expected(api, at).await;
	let at = Some(at);

	assert_eq!(rpc(api, "getNeurons", vec![], at).await, json!(e.neurons));
	for n in &e.neurons {
		assert_eq!(&rpc(api, "getNeuron", vec![n["uid"].clone()], at).await, n);
	}
	let ranks: Vec<Value> = e.ranks.iter().map(|(u, r)| json!({"uid": u, "rank": tokens(*r)})).collect();
	assert_eq!(rpc(api, "getRanks", vec![], at).await, json!(ranks));
	for (uid, account, stake) in &e.stakes {
		let want = json!({"uid": uid, "account": account, "stake": tokens(*stake)});
		assert_eq!(rpc(api, "getStake", vec![json!(uid)], at).await, want);
		assert_eq!(rpc(api, "getStake", vec![json!(account)], at).await, want);
	}
	for (uid, row) in &e.rows {
		let want: Vec<Value> = row.iter().map(|(j, w)| json!([j, fraction(*w)])).collect();
		assert_eq!(rpc(api, "getWeights", vec![json!(uid)], at).await, json!(want));
	}
	assert_eq!(rpc(api, "getParams", vec![], at).await, e.params);

	for t in [1.0, 250.0] {
		for (uid, _, _) in &e.stakes {
			let got = rpc(api, "getMask", vec![json!(uid), json!(t)], at).await;
			let want = mask(&e, *uid, t);
			let got = got.as_array().unwrap();
			assert_eq!(got.len(), want.len());
			for (g, (j, mu, m)) in got.iter().zip(want) {
				let num = |k: &str| g[k].as_str().unwrap().parse::<f64>().unwrap();
				assert_eq!(g["uid"], json!(j));
				assert!((num("mu") - mu).abs() <= 1e-9 * mu.abs().max(1.0), "mu_{j}: {g} vs {mu}");
				assert!((num("mask") - m).abs() <= 1e-9, "mask_{uid},{j} at T={t}: {g} vs {m}");
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
	let bytes = hex::decode(raw.trim_start_matches("0x")).unwrap();
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
	let best = api.best_hash().await.unwrap();
	assert_eq!(best, now);
	assert_eq!(
		rpc(&api, "getNeurons", vec![], None).await,
		rpc(&api, "getNeurons", vec![], Some(now)).await
	);
	check_every_method(&api, now).await;
	let uids: Vec<u64> = rpc(&api, "getNeurons", vec![], None)
		.await
		.as_array()
		.unwrap()
		.iter()
		.map(|n| n["uid"].as_u64().unwrap())
		.collect();
	assert_eq!(uids, vec![0, 1, 2, 4], "Eve is in, Dave is out");

	// ... and, with `at`, at the older block, before Eve and while Dave was registered.
	check_every_method(&api, old).await;
	let then = rpc(&api, "getNeurons", vec![], Some(old)).await;
	assert_eq!(then.as_array().unwrap().len(), 4);
	assert_eq!(then[3]["account"], json!(client::dev::account_id("dave").unwrap().to_string()));
	let eve = client::dev::account_id("eve").unwrap().to_string();
	let stake_then = api.bittensor_rpc::<Value>("getStake", vec![json!(eve)], Some(old)).await;
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
