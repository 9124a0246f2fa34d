//! The way out, through the real pool (runtime 105): a neuron that staked everything but the
//! existential deposit, and so cannot pay any fee, still gets its stake and its deposit back,
//! because unregistering is free (and `payment_queryInfo` says so). A stake removal still pays,
//! and is refused by the pool when the account cannot pay.

use bittensor_e2e::{
	client::{bittensor, dev, AccountId, BittensorApiClient, Client, Hash},
	fee_estimate as estimate, manual_dev_chain, seal, submit_and_seal, wait_for_pool, UNIT,
};

/// Signs `add_stake` of everything the account can hold after paying for it: its free balance
/// less that extrinsic's fee less the existential deposit. Submits it and seals.
async fn stake_everything(api: &Client, who: &AccountId, signer: &str, ed: u128) -> Hash {
	let keys = dev::signer(signer).unwrap();
	let parent = api.best_hash().await.unwrap();
	let free = api.free_balance(who, Some(parent)).await.unwrap();
	// The fee does not depend on the amount's value beyond its compact length: sign with a
	// placeholder of the same length, then with the amount.
	let probe = api.signed_bytes(&bittensor::add_stake(free - ed), &keys).await.unwrap();
	let fee = estimate(api, &probe, parent).await;
	let bytes = api.signed_bytes(&bittensor::add_stake(free - fee - ed), &keys).await.unwrap();
	assert_eq!(bytes.len(), probe.len(), "the same length, so the same fee");
	api.submit_raw(&bytes).await.unwrap();
	wait_for_pool(api, 1).await;
	let block = seal(api).await;
	let events = api.block_events(block).await.unwrap();
	assert_eq!((events.failed, events.fees), (0, fee), "staked, paying the estimated fee");
	block
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_neuron_that_staked_all_but_the_existential_deposit_gets_everything_back() {
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;
	let eve = dev::account_id("eve").unwrap();
	let ed = 1_000_000_000; // the runtime's existential deposit, 0.001 TAO
	// tau = 0 while she stakes, so that no block step adds to her stake while we count it.
	submit_and_seal(&api, &bittensor::sudo_set_params(None, Some(0), None), "alice").await;
	let start = api.best_hash().await.unwrap();
	let endowment = api.free_balance(&eve, Some(start)).await.unwrap();
	let deposit = bittensor::parse_tao(&api.bittensor().get_params(Some(start)).await.unwrap().registration_deposit).unwrap();
	let b = submit_and_seal(&api, &bittensor::register(), "eve").await;
	let register_fee = api.block_events(b).await.unwrap().fees;
	let uid = api.uid_of(&eve, Some(b)).await.unwrap().unwrap();

	// Given Eve staked everything but the existential deposit,
	let b = stake_everything(&api, &eve, "eve", ed).await;
	let fees = register_fee + api.block_events(b).await.unwrap().fees;
	assert_eq!(api.free_balance(&eve, Some(b)).await.unwrap(), ed, "free is exactly the existential deposit");
	let staked = api.neuron(uid, Some(b)).await.unwrap().unwrap().stake;
	// and tau is 1 TAO again, so that the block steps mint onto her stake from here on,
	submit_and_seal(&api, &bittensor::sudo_set_params(None, Some(UNIT), None), "alice").await;

	// a stake removal, which pays a fee, is refused by the pool: she cannot pay it,
	let keys = dev::signer("eve").unwrap();
	for amount in [staked / 2, staked] {
		let bytes = api.signed_bytes(&bittensor::remove_stake(amount.max(1)), &keys).await.unwrap();
		let e = api.submit_raw(&bytes).await.unwrap_err();
		assert_eq!(e.rpc_code(), Some(1010), "{e}");
		assert!(e.to_string().contains("Inability to pay some fees"), "{e}");
	}
	let b = seal(&api).await;
	let events = api.block_events(b).await.unwrap();
	assert_eq!((events.fees, events.failed), (0, 0), "no extrinsic of hers got in");
	assert_eq!(api.free_balance(&eve, Some(b)).await.unwrap(), ed, "her free balance is untouched");
	let whole = api.neuron(uid, Some(b)).await.unwrap().unwrap().stake;
	assert!(whole > staked, "the steps minted onto her stake");

	// but unregistering is free: a wallet's estimate is 0, it is included, and she has her
	// whole stake and her deposit back.
	let bytes = api.signed_bytes(&bittensor::unregister(), &keys).await.unwrap();
	assert_eq!(estimate(&api, &bytes, b).await, 0, "payment_queryInfo of a free unregister");
	api.submit_raw(&bytes).await.unwrap();
	wait_for_pool(&api, 1).await;
	let b = seal(&api).await;
	let events = api.block_events(b).await.unwrap();
	assert_eq!((events.failed, events.fees), (0, 0), "free");
	assert_eq!(events.count("SkipFeelessPayment", "FeeSkipped"), 1);
	assert_eq!(api.uid_of(&eve, Some(b)).await.unwrap(), None, "no longer a neuron");
	let free = api.free_balance(&eve, Some(b)).await.unwrap();
	assert_eq!(free, ed + whole + deposit);
	// Nothing lost but the fees of the two calls that paid (register, add_stake); the minted
	// part of the stake came with it.
	assert_eq!(free + fees, endowment + (whole - staked));
	// A second unregister is not free: she is not a neuron (the pool charges, the call fails).
	let again = api.signed_bytes(&bittensor::unregister(), &keys).await.unwrap();
	assert!(estimate(&api, &again, b).await > 0, "not free once she has left");
	println!(
		"exits: Eve held {} TAO of stake with 0.001 TAO free; stake removals refused (she cannot pay); unregistered \
		 at no fee; she ends with her endowment less {fees} base units of fees (register, add_stake)",
		bittensor::format_tao(whole),
	);
}
