//! The BitTensor pallet in the real runtime: a fresh dev chain ranks and mints every block,
//! and signed calls register, stake and set weights.

use std::time::Duration;

use bittensor_e2e::{client, client::bittensor, manual_dev_chain, seal, submit_and_seal, wait_until, UNIT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_chain_ranks_and_mints_every_block() {
	// Given a fresh dev chain (manual sealing) with the preset's four neurons.
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, b1) = manual_dev_chain(dir.path()).await;
	let before = api.neurons(Some(b1)).await.unwrap();
	assert_eq!(before.len(), 4, "Alice, Bob, Charlie and Dave are neurons at genesis");
	let tau = api.params(Some(b1)).await.unwrap().inflation_per_block;
	assert_eq!(tau, UNIT);
	let issuance_before = api.total_issuance(Some(b1)).await.unwrap();

	// When an empty block is made,
	let b2 = seal(&api).await;

	// then its ranking is eq. 5 on the stakes and rows at its parent (the paper's reference
	// model, independent of the pallet's arithmetic),
	let stakes: Vec<f64> = before.iter().map(|neuron| neuron.stake as f64).collect();
	let mut rows = vec![vec![0f64; before.len()]; before.len()];
	for (i, neuron) in before.iter().enumerate() {
		assert_eq!(neuron.uid as usize, i, "the preset's uids are 0..4");
		for (j, parts) in api.weights(neuron.uid, Some(b1)).await.unwrap().unwrap() {
			rows[i][j as usize] = f64::from(parts) / 1e9;
		}
	}
	let expected = bittensor_reference::ranks(&stakes, &rows);
	let n = before.len() as f64;
	let ranks = api.ranks(Some(b2)).await.unwrap();
	assert_eq!(ranks.len(), before.len());
	for (uid, r) in &ranks {
		let e = expected[*uid as usize];
		assert!((*r as f64 - e).abs() <= n + 1e-9 * e, "R_{uid} = {r}, expected {e}");
	}
	// and every stake grew by floor(tau R_j / ||R||) (eq. 6), issuance by exactly the sum.
	let grown = bittensor_reference::inflation(&expected, tau as f64);
	let after = api.neurons(Some(b2)).await.unwrap();
	let mut minted = 0u128;
	for (a, b) in after.iter().zip(&before) {
		let ds = a.stake - b.stake;
		let exact = grown[a.uid as usize];
		assert!((ds as f64 - exact).abs() <= 1.0 + 1e-9 * exact, "dS_{} = {ds}, expected {exact}", a.uid);
		minted += ds;
	}
	assert!(minted > 0);
	assert_eq!(api.total_issuance(Some(b2)).await.unwrap(), issuance_before + minted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_calls_register_stake_and_set_weights() {
	// Given a dev chain (manual sealing).
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;
	let eve = client::dev::account_id("eve").unwrap();

	// When Eve registers, stakes 500 TAO and weights Alice (uid 0) and herself,
	let b = submit_and_seal(&api, &bittensor::register(), "eve").await;
	let uid = wait_until("Eve's uid", Duration::from_secs(10), || async {
		api.uid_of(&eve, Some(b)).await.ok().flatten()
	})
	.await;
	assert_eq!(uid, 4, "uids 0 to 3 are the preset's");
	let b = submit_and_seal(&api, &bittensor::add_stake(500 * UNIT), "eve").await;
	// Her stake at the end of that block: the 500 TAO, plus what that block's step minted onto
	// it, floor(tau R_eve / ||R||).
	let stake = api.neuron(uid, Some(b)).await.unwrap().unwrap().stake;
	let ranks = api.ranks(Some(b)).await.unwrap();
	let values: Vec<f64> = ranks.iter().map(|(_, r)| *r as f64).collect();
	let eve_at = ranks.iter().position(|(u, _)| *u == uid).unwrap();
	let minted = bittensor_reference::inflation(&values, UNIT as f64)[eve_at];
	assert!(stake >= 500 * UNIT);
	assert!(((stake - 500 * UNIT) as f64 - minted).abs() <= 1.0 + 1e-9 * minted);
	// (epsilon is 0.1: from {4: 1} to {0: 0.05, 4: 0.95} is a move of 0.0707)
	let b = submit_and_seal(&api, &bittensor::set_weights(vec![(0, 1), (uid, 19)]), "eve").await;

	// then her row is stored normalized, and the next blocks rank and pay her.
	assert_eq!(
		api.weights(uid, Some(b)).await.unwrap().unwrap(),
		vec![(0, 50_000_000), (uid, 950_000_000)]
	);
	let b = seal(&api).await;
	let neuron = api.neuron(uid, Some(b)).await.unwrap().unwrap();
	assert!(neuron.stake > 500 * UNIT, "Eve's stake grows by inflation");
	let ranks = api.ranks(Some(b)).await.unwrap();
	assert!(ranks.iter().any(|(u, r)| *u == uid && *r > 0));
}
