//! Hot and cold keys: Bob's cold key (neuron 1, holding his stake) names a hot key as its
//! `Weights` proxy. The hot key sets Bob's row; its transfer, stake change and unregister
//! through the proxy fail with the proxy filter's error (`System::CallFiltered`) and change
//! nothing, alone or inside a `Utility` batch. On a manual-seal dev chain.

use bittensor_e2e::{
	client::{bittensor, dev, tx, tx::ProxyType, BittensorApiClient, Client, Hash},
	manual_dev_chain, seal, submit_and_seal_by, State, UNIT,
};

/// Bob's uid in the dev preset.
const BOB: u32 = 1;

/// Bob's row, stake and free balance, and Charlie's balance, at `at`.
async fn bob_state(api: &Client, at: Hash) -> (Vec<(u32, String)>, String, u128, u128) {
	let row = api.bittensor().get_weights(BOB.into(), Some(at)).await.unwrap();
	let stake = api.bittensor().get_neuron(BOB.into(), Some(at)).await.unwrap().stake;
	let bob = api.free_balance(&dev::account_id("bob").unwrap(), Some(at)).await.unwrap();
	let charlie = api.free_balance(&dev::account_id("charlie").unwrap(), Some(at)).await.unwrap();
	(row, stake, bob, charlie)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hot_key_sets_the_cold_keys_weights_and_nothing_else() {
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;
	let cold = dev::signer("bob").unwrap();
	let bob = dev::account_id("bob").unwrap();
	let hot = dev::derived("//Bob//hot").unwrap();
	let hot_id: bittensor_e2e::client::AccountId = hot.public_key().into();

	// (tau 0: no minting moves the stakes that the failed calls must leave as they are)
	submit_and_seal_by(&api, &bittensor::sudo_set_params(None, Some(0), None), &dev::signer("alice").unwrap()).await;
	// Given Bob's cold key funding the hot key for its fees and naming it a Weights proxy,
	submit_and_seal_by(&api, &tx::transfer_keep_alive(&hot_id, 10 * UNIT), &cold).await;
	let reserved_before = api.free_balance(&bob, None).await.unwrap();
	let added = submit_and_seal_by(&api, &tx::add_proxy(&hot_id, ProxyType::Weights), &cold).await;
	let events = api.block_events(added).await.unwrap();
	assert_eq!(events.count("Proxy", "ProxyAdded"), 1, "{:?}", events.names);
	let fee = events.fees;
	let deposit = reserved_before - api.free_balance(&bob, Some(added)).await.unwrap() - fee;
	// polkadot-sdk's shape: deposit(1, 8) + deposit(0, 33) = 0.108 + 0.033 TAO.
	assert_eq!(deposit, 141 * UNIT / 1000, "the proxy deposit is reserved");
	println!("proxy: Bob's proxy deposit {}", bittensor::format_tao(deposit));

	// when the hot key sets Bob's row through the proxy (a step of 0.05 from 0.4/0.6),
	let row = [(0, 45), (1, 55)];
	let set = submit_and_seal_by(&api, &tx::proxy(&bob, tx::set_weights_call(&row)), &hot).await;
	let events = api.block_events(set).await.unwrap();
	// then it is Bob's row that moves, and the call succeeded inside the proxy,
	assert_eq!(events.count("Bittensor", "WeightsSet"), 1);
	assert_eq!(events.count("Proxy", "ProxyExecuted"), 1);
	assert!(events.errors.is_empty(), "{:?}", events.errors);
	let after_set = State::at(&api, set).await;
	let bob_row = &after_set.rows()[BOB as usize];
	assert!((bob_row[0] - 0.45).abs() < 1e-9 && (bob_row[1] - 0.55).abs() < 1e-9, "{bob_row:?}");

	// and everything else the hot key tries through the proxy fails with CallFiltered and
	// changes nothing but the hot key's fee:
	let charlie = dev::account_id("charlie").unwrap();
	let attempts = [
		("a transfer", tx::transfer_call(&charlie, UNIT)),
		("a stake change", tx::call("Bittensor", "add_stake", vec![("amount", tx::Value::u128(UNIT))])),
		("a stake withdrawal", tx::call("Bittensor", "remove_stake", vec![("amount", tx::Value::u128(UNIT))])),
		("an unregister", tx::call("Bittensor", "unregister", vec![])),
		("a new proxy", tx::call("Proxy", "add_proxy", vec![
			("delegate", tx::Value::unnamed_variant("Id", [tx::Value::from_bytes(charlie.0)])),
			("proxy_type", tx::Value::unnamed_variant("Any", [])),
			("delay", tx::Value::u128(0)),
		])),
	];
	let mut parent = set;
	for (what, call) in attempts {
		let before = bob_state(&api, parent).await;
		let block = submit_and_seal_by(&api, &tx::proxy(&bob, call), &hot).await;
		let events = api.block_events(block).await.unwrap();
		assert_eq!(events.failed, 0, "{what}: the proxy extrinsic itself is included");
		assert_eq!(events.errors.len(), 1, "{what}: {:?}", events.errors);
		let (pallet, event, error) = &events.errors[0];
		assert_eq!((pallet.as_str(), event.as_str()), ("Proxy", "ProxyExecuted"), "{what}");
		assert!(error.contains("CallFiltered"), "{what}: {error}");
		assert_eq!(bob_state(&api, block).await, before, "{what} changed Bob's row, stake or balances");
		println!("proxy: {what} through the hot key: {error}");
		parent = block;
	}
	assert!(api.bittensor().get_neuron(BOB.into(), None).await.is_ok(), "Bob is still a neuron");

	// A batch through the proxy: its set_weights applies, its transfer is filtered.
	let before = bob_state(&api, parent).await;
	let calls = vec![tx::set_weights_call(&[(0, 40), (1, 60)]), tx::transfer_call(&charlie, UNIT)];
	let block = submit_and_seal_by(&api, &tx::proxy(&bob, tx::batch_call(calls)), &hot).await;
	let events = api.block_events(block).await.unwrap();
	assert_eq!(events.count("Bittensor", "WeightsSet"), 1, "the batch's first call applies");
	let interrupted: Vec<_> = events.errors.iter().filter(|(p, e, _)| p == "Utility" && e == "BatchInterrupted").collect();
	assert_eq!(interrupted.len(), 1, "{:?}", events.errors);
	assert!(interrupted[0].2.contains("CallFiltered"), "{:?}", interrupted[0]);
	let after = bob_state(&api, block).await;
	assert_eq!((&after.1, after.2, after.3), (&before.1, before.2, before.3), "the batch's transfer moved nothing");
	assert_ne!(after.0, before.0, "the batch's row applied");

	// The cold key removes the proxy and gets its deposit back; the hot key can do nothing more.
	let removed = submit_and_seal_by(&api, &tx::remove_proxy(&hot_id, ProxyType::Weights), &cold).await;
	let events = api.block_events(removed).await.unwrap();
	assert_eq!(events.count("Proxy", "ProxyRemoved"), 1);
	let back = api.free_balance(&bob, Some(removed)).await.unwrap() + events.fees - api.free_balance(&bob, Some(block)).await.unwrap();
	assert_eq!(back, deposit, "the deposit is unreserved");
	let refused = api.submit_no_wait(&tx::proxy(&bob, tx::set_weights_call(&row)), &hot).await;
	let block = match refused {
		Ok(_) => {
			bittensor_e2e::wait_for_pool(&api, 1).await;
			seal(&api).await
		},
		Err(e) => panic!("the pool took it before: {e}"),
	};
	let events = api.block_events(block).await.unwrap();
	assert_eq!(events.failed, 1, "no longer a proxy: {:?}", events.errors);
	assert!(events.errors[0].2.contains("NotProxy"), "{:?}", events.errors);
}
