//! A validator replaced without a fork, on the four-validator network (`local4`): Alice, Bob,
//! Charlie and Dave validate; a fifth node, Eve, makes her session keys over RPC
//! (`author_rotateKeysWithOwner`) and registers them (`Session.set_keys`); the admin swaps
//! Dave out and Eve in (`ValidatorSet.swap_validator` under sudo).
//!
//! Then, read over RPC: the Aura and GRANDPA sets lose Dave's keys and gain Eve's; from the
//! switch on Eve authors blocks and Dave's node, still running, authors none; finality goes on
//! through the change; and with Charlie stopped after it, the chain still finalizes, which
//! three of the four votes {Alice, Bob, Eve} alone can do: GRANDPA finalizes with Eve's vote.
//! A non-admin's swap fails with `BadOrigin` and changes nothing.

use std::time::Duration;

use bittensor_e2e::{
	authorities::{self, Key},
	chain_spec,
	client::{dev, tx, tx::ValidatorSetCall, Client, Error, Hash},
	hex0x, local4_validators, unhex, wait_until, Node,
};
use serde_json::{json, Value};

const MINUTE: Duration = Duration::from_secs(60);

fn short(key: &Key) -> String {
	hex0x(&key[..6])
}

async fn best(api: &Client) -> (u64, Hash) {
	let hash = api.best_hash().await.unwrap();
	(authorities::header(api, hash).await.0, hash)
}

/// Waits until `api`'s finalized block is at least `n`.
async fn finalized_past(api: &Client, who: &str, n: u64) -> u64 {
	wait_until(&format!("{who} to finalize block {n}"), 3 * MINUTE, || async {
		api.finalized_number().await.ok().filter(|f| *f >= n)
	})
	.await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_swaps_a_validator_and_the_chain_goes_on_with_the_new_one() {
	// Given Alice, Bob, Charlie and Dave validating,
	let spec = chain_spec("local4.raw.json");
	let spec = spec.to_str().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let (mut nodes, boot) = local4_validators(dir.path()).await;
	// and Eve's node, a validator with an empty keystore,
	let eve = Node::start("eve", &["--chain", spec, "--validator", "--name", "eve", "--bootnodes", &boot], &dir.path().join("eve"));
	let api = nodes[0].client().await;
	let dave_api = nodes[3].client().await;
	let eve_api = eve.client().await;
	finalized_past(&api, "alice", 2).await;
	let (_, at) = best(&api).await;
	let before_aura = authorities::aura(&api, at).await;
	let before_grandpa = authorities::grandpa(&api, at).await;
	let set_id_before = authorities::grandpa_set_id(&api, at).await;
	let dave = dev::account_id("dave").unwrap();
	assert_eq!(before_aura.len(), 4);
	assert!(before_aura.contains(&dave.0), "Dave's Aura key is his account's");
	assert_eq!(authorities::session_validators(&api, at).await, before_aura, "the session's validators author");
	println!("validators: before, Aura {:?}", before_aura.iter().map(short).collect::<Vec<_>>());
	println!("validators: before, GRANDPA {:?} (set {set_id_before})", before_grandpa.iter().map(short).collect::<Vec<_>>());

	// when Eve's node makes her session keys, with the proof that her account owns them,
	let eve_account = dev::account_id("eve").unwrap();
	let generated: Value =
		eve_api.call("author_rotateKeysWithOwner", vec![json!(hex0x(&eve_account.0))]).await.unwrap();
	let keys = unhex(generated["keys"].as_str().unwrap());
	let proof = unhex(generated["proof"].as_str().expect("the runtime makes an ownership proof"));
	let (eve_aura, eve_grandpa) = tx::split_session_keys(&keys).unwrap();
	let has: bool = eve_api.call("author_hasSessionKeys", vec![json!(hex0x(&keys))]).await.unwrap();
	assert!(has, "Eve's keystore holds the keys it made");
	// and she registers them on chain,
	let eve_signer = dev::signer("eve").unwrap();
	api.submit(&tx::session_set_keys(&keys, proof).unwrap(), &eve_signer).await.unwrap();
	// (a proof for another account is refused)
	let bad: Value = eve_api.call("author_rotateKeysWithOwner", vec![json!(hex0x(&dave.0))]).await.unwrap();
	let bad = api
		.submit(
			&tx::session_set_keys(&unhex(bad["keys"].as_str().unwrap()), unhex(bad["proof"].as_str().unwrap())).unwrap(),
			&eve_signer,
		)
		.await;
	match &bad {
		Err(Error::Dispatch(m)) => assert!(m.contains("InvalidProof"), "{m}"),
		other => panic!("a proof for Dave's account must fail with InvalidProof, got {:?}", other.as_ref().err()),
	}

	// a non-admin's swap fails with BadOrigin and changes nothing,
	let (_, at) = best(&api).await;
	let set_before = authorities::admin_set(&api, at).await;
	let refused = api.submit(&ValidatorSetCall::Swap(dave.clone(), eve_account.clone()).payload(), &dev::signer("bob").unwrap()).await;
	match &refused {
		Err(Error::Dispatch(m)) => assert!(m.contains("Bad origin"), "{m}"),
		other => panic!("a non-admin swap must fail with BadOrigin, got {:?}", other.as_ref().err()),
	}
	let (_, at) = best(&api).await;
	assert_eq!(authorities::admin_set(&api, at).await, set_before, "the refused swap changed nothing");
	assert_eq!(authorities::aura(&api, at).await, before_aura);

	// and the admin swaps Dave out and Eve in,
	let swap = tx::sudo(ValidatorSetCall::Swap(dave.clone(), eve_account.clone()).value());
	let included = api.submit(&swap, &dev::signer("alice").unwrap()).await.unwrap();
	let swap_block = authorities::header(&api, included.block_hash).await.0;
	let events = api.block_events(included.block_hash).await.unwrap();
	assert_eq!(events.count("ValidatorSet", "ValidatorAdded"), 1);
	assert_eq!(events.count("ValidatorSet", "ValidatorRemoved"), 1);
	assert!(events.errors.is_empty(), "{:?}", events.errors);
	println!("validators: the swap is in block {swap_block}");

	// then, from the third block after it, Aura authors with Eve's key in Dave's place,
	let switch = swap_block + 3;
	let enacted = wait_until("the swap to reach Aura", 2 * MINUTE, || async {
		let hash = api.block_hash(switch - 1).await.ok().flatten()?;
		Some(hash)
	})
	.await;
	let after_aura = authorities::aura(&api, enacted).await;
	let mut expected = before_aura.clone();
	let at_dave = expected.iter().position(|k| k == &dave.0).unwrap();
	expected[at_dave] = eve_aura;
	assert_eq!(after_aura, expected, "Eve's Aura key replaces Dave's, in his place");
	assert_eq!(authorities::aura(&api, api.block_hash(switch - 2).await.unwrap().unwrap()).await, before_aura, "not a block earlier");
	let after_grandpa = authorities::grandpa(&api, enacted).await;
	let mut expected = before_grandpa.clone();
	expected[at_dave] = eve_grandpa;
	assert_eq!(after_grandpa, expected, "Eve's GRANDPA key replaces Dave's");
	let set_id_after = authorities::grandpa_set_id(&api, enacted).await;
	assert_eq!(set_id_after, set_id_before + 1, "GRANDPA schedules one new set");
	println!("validators: after (from block {switch}), Aura {:?}", after_aura.iter().map(short).collect::<Vec<_>>());
	println!("validators: after, GRANDPA {:?} (set {set_id_after})", after_grandpa.iter().map(short).collect::<Vec<_>>());

	// Eve authors blocks and Dave, still running, none (12 blocks: each authority's slot
	// comes every 4),
	let last = switch + 11;
	wait_until(&format!("block {last}"), 3 * MINUTE, || async { (best(&api).await.0 >= last).then_some(()) }).await;
	let mut by_eve = Vec::new();
	for number in switch..=last {
		let hash = api.block_hash(number).await.unwrap().unwrap();
		let (_, author) = authorities::author(&api, hash).await;
		assert_ne!(author, dave.0, "block {number} authored by Dave after the switch");
		if author == eve_aura {
			by_eve.push(number);
		}
	}
	assert!(!by_eve.is_empty(), "Eve authored none of blocks {switch}..={last}");
	println!("validators: Eve authored blocks {by_eve:?} of {switch}..={last}; Dave none");
	assert!(nodes[3].exit_status().is_none(), "Dave's node still runs");
	let dave_best = best(&dave_api).await.0;
	assert!(dave_best + 3 >= last, "Dave's node follows the chain (best {dave_best})");

	// the chain finalizes through the change,
	let through = finalized_past(&api, "alice", switch + 2).await;
	println!("validators: finalized block {through}, past the switch at {switch}");

	// and with Charlie stopped, Alice, Bob and Eve (three of four) finalize on: with Eve's vote.
	let mut charlie = nodes.remove(2);
	charlie.kill();
	let stopped_at = api.finalized_number().await.unwrap();
	let target = stopped_at + 3;
	finalized_past(&api, "alice", target).await;
	let by_vote = api.finalized_number().await.unwrap();
	println!("validators: Charlie stopped at finalized {stopped_at}; blocks {}..={by_vote} finalized by Alice, Bob and Eve", stopped_at + 1);
	finalized_past(&eve_api, "eve", target).await;
	let a = api.block_hash(target).await.unwrap();
	let e = eve_api.block_hash(target).await.unwrap();
	assert_eq!(a, e, "Eve's node is on the same chain");
}
