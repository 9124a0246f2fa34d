//! A runtime upgrade from the last release to the built runtime, on a running chain.
//!
//! A dev chain (manual seal) starts from a raw spec that this test generates with the node,
//! whose genesis the last release's wasm (`runtime/releases/`) builds. Signed extrinsics give it
//! state; sudo authorizes the built runtime and a signed `apply_authorized_upgrade` sets it.
//! Then everything the pallet holds must read the same through the new runtime as through the
//! old one, the storage versions must be the built runtime's, the next blocks must rank and
//! mint by eq. 5–6, and wrong upgrades must change nothing.
//!
//! tau is set to 0 for the blocks around the upgrade, so that no minting moves the stakes
//! between the last read of the old runtime and the first of the new: the two reads must then
//! be equal, value for value. A layout change without its migration fails here.

use bittensor_e2e::{
	authorities,
	client::{bittensor, dev, json, tx, tx::ValidatorSetCall, BittensorApiClient, Client, Error, Hash},
	hex0x,
	reference::{assert_block_step, fraction},
	releases::{dev_spec_with_code, last_release_below},
	seal, submit_and_seal, submit_in_block, unhex, wait_for_pool, Node, State, UNIT,
};
use serde_json::{json, Value};
use sp_crypto_hashing::{blake2_256, twox_128};

/// The pallets whose storage versions are compared.
const PALLETS: [&str; 12] = [
	"System",
	"Timestamp",
	"Aura",
	"Grandpa",
	"Balances",
	"TransactionPayment",
	"Sudo",
	"Bittensor",
	"ValidatorSet",
	"Session",
	"Proxy",
	"Utility",
];
/// `well_known_keys::CODE` (`:code`).
const CODE: &str = "0x3a636f6465";

/// The key of a pallet's on-chain storage version.
fn storage_version_key(pallet: &str) -> String {
	hex0x(&[twox_128(pallet.as_bytes()), twox_128(b":__STORAGE_VERSION__:")].concat())
}

async fn storage(api: &Client, key: &str, at: Hash) -> Option<String> {
	api.call("state_getStorage", vec![json!(key), json!(at)]).await.unwrap()
}

async fn storage_versions(api: &Client, at: Hash) -> Vec<(&'static str, Option<String>)> {
	let mut out = Vec::new();
	for pallet in PALLETS {
		out.push((pallet, storage(api, &storage_version_key(pallet), at).await));
	}
	out
}

async fn runtime_version(api: &Client, at: Hash) -> Value {
	api.call("state_getRuntimeVersion", vec![json!(at)]).await.unwrap()
}

/// The fees paid in `blocks`, base units.
async fn fees(api: &Client, blocks: &[Hash]) -> u128 {
	let mut total = 0;
	for block in blocks {
		total += api.block_events(*block).await.unwrap().fees;
	}
	total
}

/// `payload` signed by `who` is included and fails with the module error `error`.
async fn fails_with<P: bittensor_e2e::client::subxt::transactions::Payload + Send + Sync + 'static>(
	api: &Client,
	payload: P,
	who: &str,
	error: &str,
) -> Hash {
	let (result, block) = submit_in_block(api, payload, &dev::signer(who).unwrap()).await;
	match result {
		Err(Error::Dispatch(message)) =>
			assert!(message.contains(error), "expected {error}, the chain said: {message}"),
		other => panic!("expected the module error {error}, got {other:?}"),
	}
	block
}

/// An authorized `code` that is not a valid upgrade: `apply_authorized_upgrade` (by Bob) is
/// included and refuses it with `System.RejectedInvalidAuthorizedUpgrade` carrying `error`.
async fn rejected(api: &Client, code: Vec<u8>, error: &str) -> Hash {
	let block = submit_and_seal(api, &tx::apply_authorized_upgrade(code), "bob").await;
	let events = api.block_events(block).await.unwrap();
	assert_eq!(events.count("System", "CodeUpdated"), 0, "{error}: no code was set");
	assert_eq!(events.count("System", "RejectedInvalidAuthorizedUpgrade"), 1, "{error}: refused");
	let (_, _, said) = events.errors.iter().find(|(_, e, _)| e == "RejectedInvalidAuthorizedUpgrade").unwrap();
	assert!(said.contains(error), "expected {error}, the chain said {said}");
	block
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_from_the_last_release_carries_the_state_over() {
	let dir = tempfile::tempdir().unwrap();

	// The built runtime, as a fresh dev chain of this node runs it: its code, version,
	// metadata and storage versions are what the upgraded chain must end with.
	let (code, version, metadata, versions, fresh_params, fresh_pallet) = {
		let node = Node::start("fresh", &["--dev", "--sealing", "manual"], &dir.path().join("fresh"));
		let api = node.client().await;
		let at = api.best_hash().await.unwrap();
		let code = unhex(&storage(&api, CODE, at).await.unwrap());
		let metadata: String = api.call("state_getMetadata", vec![json!(at)]).await.unwrap();
		let params = api.bittensor().get_params(Some(at)).await.unwrap();
		let pallet = api.free_balance(&bittensor::pallet_account(), Some(at)).await.unwrap();
		(code, runtime_version(&api, at).await, metadata, storage_versions(&api, at).await, params, pallet)
	};
	let spec_version = version["specVersion"].as_u64().unwrap();
	let (release_version, release_file, release) = last_release_below(spec_version);
	println!("upgrade: release {release_version} ({} bytes) -> built {spec_version} ({} bytes)", release.len(), code.len());

	// Given a dev chain whose genesis is the last release's,
	let spec = dev_spec_with_code(dir.path(), &release_file, &release);
	let node = Node::start("upgrade", &["--chain", &spec, "--alice", "--sealing", "manual"], &dir.path().join("chain"));
	let api = node.client().await;
	let genesis = seal(&api).await;
	assert_eq!(runtime_version(&api, genesis).await["specVersion"], json!(release_version));
	let old_versions = storage_versions(&api, genesis).await;

	// with state from signed extrinsics: two more neurons register and stake, rows move,
	for (who, stake) in [("eve", 1500 * UNIT), ("ferdie", 800 * UNIT)] {
		submit_and_seal(&api, &bittensor::register(), who).await;
		submit_and_seal(&api, &bittensor::add_stake(stake), who).await;
	}
	// (rows within epsilon = 0.1 of where they stand: Eve's from self-weight, Bob's from
	// 0.4/0.6),
	for (who, scores) in [("eve", vec![(0, 1), (4, 19)]), ("bob", vec![(0, 8), (1, 11), (5, 1)])] {
		let block = submit_and_seal(&api, &bittensor::set_weights(scores), who).await;
		assert_eq!(api.block_events(block).await.unwrap().count("Bittensor", "WeightsSet"), 1, "{who}'s row moves");
	}
	// and a few blocks of ranking and minting,
	for _ in 0..3 {
		seal(&api).await;
	}
	let n = 6;
	let minted_before = api.bittensor().get_params(None).await.unwrap().total_minted;
	assert!(bittensor::parse_tao(&minted_before).unwrap() > 0);
	// then tau set to 0, so that the blocks around the upgrade leave the stakes where they are.
	submit_and_seal(&api, &bittensor::sudo_set_params(None, Some(0), None), "alice").await;
	let quiet = seal(&api).await;
	// Everything the upgrade must carry over, read through the `bittensor_*` RPC: every neuron
	// (uid, account, stake, deposit, rank, row), the ranking, the parameters, and the issuance.
	let quiet = State::at(&api, quiet).await;
	assert_eq!(quiet.neurons.len(), n);

	// Wrong upgrades change nothing but the fees they pay: a signed set_code that is not
	// sudo's, and garbage bytes that sudo authorized.
	let mut blocks = vec![fails_with(&api, tx::set_code(code.clone()), "bob", "Bad origin").await];
	let garbage = b"not a runtime".to_vec();
	blocks.push(submit_and_seal(&api, &tx::sudo_authorize_upgrade(blake2_256(&garbage)), "alice").await);
	blocks.push(rejected(&api, garbage, "System::FailedToExtractRuntimeVersion").await);
	let before_at = api.best_hash().await.unwrap();
	let before = State::at(&api, before_at).await;
	assert_eq!(runtime_version(&api, before_at).await["specVersion"], json!(release_version));
	assert_eq!(storage(&api, CODE, before_at).await, Some(hex0x(&release)), "no wrong upgrade set :code");
	assert_eq!(
		(&before.neurons, &before.ranks, &before.params),
		(&quiet.neurons, &quiet.ranks, &quiet.params),
		"no wrong upgrade changed the pallet"
	);
	assert_eq!(before.issuance + fees(&api, &blocks).await, quiet.issuance, "the wrong upgrades cost their fees only");

	// When sudo authorizes the built runtime and anyone applies it,
	let authorized = submit_and_seal(&api, &tx::sudo_authorize_upgrade(blake2_256(&code)), "alice").await;
	assert_eq!(api.block_events(authorized).await.unwrap().count("System", "UpgradeAuthorized"), 1);
	let set = submit_and_seal(&api, &tx::apply_authorized_upgrade(code.clone()), "bob").await;
	let events = api.block_events(set).await.unwrap();
	assert_eq!(events.count("System", "CodeUpdated"), 1, "the upgrade is applied");
	assert_eq!(events.failed, 0);
	// and the first block of the new runtime runs the migrations,
	let upgraded = seal(&api).await;
	let upgrade_fees = fees(&api, &[authorized, set, upgraded]).await;
	drop(api);
	let api = node.client().await;

	// then it reports the built runtime's version, metadata and storage versions,
	assert_eq!(runtime_version(&api, upgraded).await, version);
	let new_metadata: String = api.call("state_getMetadata", vec![json!(upgraded)]).await.unwrap();
	assert!(new_metadata == metadata, "state_getMetadata is the built runtime's");
	let new_versions = storage_versions(&api, upgraded).await;
	assert_eq!(new_versions, versions, "the storage versions are the built runtime's");
	for ((pallet, old), (_, new)) in old_versions.iter().zip(&new_versions) {
		if old != new {
			println!("upgrade: {pallet} storage version {old:?} -> {new:?}");
		}
	}
	// every neuron, row, stake, deposit, rank, parameter and the issuance carried over exactly
	// (the runtime's constants are the new runtime's),
	let after = State::at(&api, upgraded).await;
	assert_eq!(after.neurons, before.neurons, "the neurons carried over");
	assert_eq!(after.ranks, before.ranks, "the ranking carried over");
	let constants = |p: &json::Params| (p.max_neurons, p.max_weights_per_row, p.registration_deposit.clone());
	assert_eq!(constants(&after.params), constants(&fresh_params), "the runtime constants are the built runtime's");
	if constants(&before.params) != constants(&after.params) {
		println!("upgrade: constants (maxNeurons, maxWeightsPerRow, registrationDeposit) {:?} -> {:?}", constants(&before.params), constants(&after.params));
	}
	let params_before = json::Params {
		max_neurons: after.params.max_neurons,
		max_weights_per_row: after.params.max_weights_per_row,
		registration_deposit: after.params.registration_deposit.clone(),
		..before.params.clone()
	};
	assert_eq!(after.params, params_before, "the parameters carried over");
	// The pallet account is what a migration may create, with its existential deposit (the
	// stake vector's migration does): that, and the upgrade's fees, are all issuance changed by.
	let pallet = bittensor::pallet_account();
	let created = api.free_balance(&pallet, Some(upgraded)).await.unwrap() - api.free_balance(&pallet, Some(before_at)).await.unwrap();
	assert_eq!(after.issuance + upgrade_fees, before.issuance + created, "the total issuance carried over (less the upgrade's fees)");
	assert!(fresh_pallet > 0, "a fresh chain's pallet account holds its existential deposit");
	assert_eq!(api.free_balance(&pallet, Some(upgraded)).await.unwrap(), fresh_pallet, "as on a fresh chain");
	println!("upgrade: the pallet account {pallet} holds {created} base units created by the migrations");
	// and the old blocks still answer through the old runtime.
	assert_eq!(State::at(&api, before_at).await, before, "bittensor_* at a block before the upgrade");
	assert_eq!(runtime_version(&api, before_at).await["specVersion"], json!(release_version));
	let entries: usize = before.neurons.iter().map(|n| n.weights.len()).sum();
	println!(
		"upgrade: compared {n} neurons ({entries} row entries), {} ranks, {} parameters and the issuance, \
		 before (old runtime) and after (new runtime); {} storage versions; the upgrade's blocks paid {upgrade_fees} in fees",
		after.ranks.len(),
		serde_json::to_value(&after.params).unwrap().as_object().map_or(0, |o| o.len()),
		new_versions.len()
	);

	// The running authorities became the session's validators (runtime 106's migration): Alice,
	// with her Aura and GRANDPA keys queued; so a rotation the admin forces re-queues them and
	// Aura and GRANDPA keep authoring and voting with the same keys, under a new GRANDPA set.
	let aura_before = authorities::aura(&api, before_at).await;
	let grandpa_before = authorities::grandpa(&api, before_at).await;
	let alice = dev::account_id("alice").unwrap().0;
	assert_eq!(aura_before, vec![alice]);
	if authorities::session_validators(&api, before_at).await.is_empty() {
		println!("upgrade: the session's validators were empty before; the migration made them {:?}", [hex0x(&alice)]);
	}
	assert_eq!(authorities::session_validators(&api, upgraded).await, vec![alice]);
	assert_eq!(authorities::admin_set(&api, upgraded).await, vec![alice]);
	assert_eq!(authorities::queued_keys(&api, upgraded).await, vec![(alice, aura_before[0], grandpa_before[0])]);
	let set_id = authorities::grandpa_set_id(&api, upgraded).await;
	let forced = submit_and_seal(&api, &tx::sudo(ValidatorSetCall::ForceRotation.value()), "alice").await;
	assert!(api.block_events(forced).await.unwrap().errors.is_empty());
	seal(&api).await;
	let rotated = seal(&api).await;
	assert_eq!(authorities::aura(&api, rotated).await, aura_before, "Aura authors with the migrated key");
	assert_eq!(authorities::grandpa(&api, rotated).await, grandpa_before, "GRANDPA votes with the migrated key");
	assert_eq!(authorities::grandpa_set_id(&api, rotated).await, set_id + 1, "the forced rotation started a GRANDPA set");

	// A wasm with the same spec_version is refused.
	submit_and_seal(&api, &tx::sudo_authorize_upgrade(blake2_256(&code)), "alice").await;
	rejected(&api, code.clone(), "System::SpecVersionNeedsToIncrease").await;
	assert_eq!(runtime_version(&api, api.best_hash().await.unwrap()).await, version);

	// The next blocks rank and mint by eq. 5–6: tau back to 1 TAO, then rows move every block.
	let mut parent = submit_and_seal(&api, &bittensor::sudo_set_params(None, Some(UNIT), None), "alice").await;
	let params = api.bittensor().get_params(Some(parent)).await.unwrap();
	let tau = bittensor::parse_tao(&params.inflation_per_block).unwrap() as f64;
	assert_eq!(tau, UNIT as f64);
	let epsilon = fraction(&params.max_weight_change);
	let steps = 5;
	for block in 0..steps {
		let rows = State::at(&api, parent).await.rows();
		for (i, who) in ["eve", "ferdie"].iter().enumerate() {
			// A step of 0.8 epsilon (L2) from self-weight toward uid `block`.
			let mut row = rows[4 + i].clone();
			let (from, to) = (4 + i, block % 4);
			let d = (0.8 * epsilon / 2f64.sqrt()).min(row[from]);
			row[from] -= d;
			row[to] += d;
			let scores: Vec<(u32, u32)> = row
				.iter()
				.enumerate()
				.map(|(j, w)| (j as u32, (w * 1e9).round() as u32))
				.filter(|(_, s)| *s > 0)
				.collect();
			api.submit_no_wait(&bittensor::set_weights(scores), &dev::signer(who).unwrap()).await.unwrap();
		}
		wait_for_pool(&api, 2).await;
		let hash = seal(&api).await;
		let events = api.block_events(hash).await.unwrap();
		assert_eq!(events.count("Bittensor", "WeightsSet"), 2, "block {block} after the upgrade");
		let minted = assert_block_step(&api, parent, hash, n, tau, &format!("block {block} after the upgrade")).await;
		assert!(minted > 0);
		parent = hash;
	}
	println!("upgrade: {steps} blocks after the upgrade follow eq. 5-6");
}
