//! Bad input through the real pool and real blocks. Every rejection gets its own module error
//! (the extrinsic is included and fails) or pool error (it never gets in), and a read of the
//! state before and after shows that nothing changed but the fee. tau is set to 0 first, so
//! that blocks do not move stakes by themselves.

use bittensor_e2e::{
	client::{
		bittensor, dev, subxt::transactions::Payload, subxt_signer::sr25519::Keypair, tx, AccountId,
		Client, Error, Hash,
	},
	manual_dev_chain, pool_len, seal, submit_and_seal, submit_in_block, wait_for_pool, State, UNIT,
};
use bittensor_e2e::client::BittensorApiClient;
use codec::{Decode, Encode};

/// The pallet's state and total issuance, and the free balances of `who`, at `at`.
async fn state(api: &Client, who: &[AccountId], at: Hash) -> (State, Vec<u128>) {
	let mut free = Vec::new();
	for w in who {
		free.push(api.free_balance(w, Some(at)).await.unwrap());
	}
	(State::at(api, at).await, free)
}

/// `payload` from `signer` is included and fails with `error`; nothing changes but the fee.
async fn fails_in_block<P>(api: &Client, payload: P, signer: &Keypair, error: &str)
where
	P: Payload + Send + Sync + 'static,
{
	let who: AccountId = signer.public_key().into();
	let parent = api.best_hash().await.unwrap();
	let before = state(api, &[who.clone()], parent).await;
	let (result, block) = submit_in_block(api, payload, signer).await;
	match result {
		Err(Error::Dispatch(message)) =>
			assert!(message.contains(error), "expected {error}, the chain said: {message}"),
		other => panic!("expected the module error {error}, got {other:?}"),
	}
	let events = api.block_events(block).await.unwrap();
	assert_eq!(events.failed, 1);
	let (after, free_after) = state(api, &[who], block).await;
	let (before, free_before) = before;
	assert_eq!(after.neurons, before.neurons, "{error}: the neurons changed");
	assert_eq!(after.ranks, before.ranks, "{error}: the ranking changed");
	assert_eq!(after.params, before.params, "{error}: the parameters changed");
	assert_eq!(after.issuance + events.fees, before.issuance, "{error}: issuance moved by more than the fee");
	assert_eq!(free_after[0] + events.fees, free_before[0], "{error}: the signer lost more than the fee");
}

/// `payload`, sudo's (Alice), is included and sudo's call fails with `error` (the `Sudid`
/// event's); nothing changes (sudo pays no fee for its call).
async fn sudo_call_fails<P>(api: &Client, payload: P, error: &str)
where
	P: Payload + Send + Sync + 'static,
{
	let alice = dev::signer("alice").unwrap();
	let who: AccountId = alice.public_key().into();
	let parent = api.best_hash().await.unwrap();
	let before = state(api, &[who.clone()], parent).await;
	let (result, block) = submit_in_block(api, payload, &alice).await;
	result.unwrap_or_else(|e| panic!("{error}: sudo's extrinsic itself failed: {e}"));
	let events = api.block_events(block).await.unwrap();
	let said = events.errors.iter().find(|(pallet, event, _)| pallet == "Sudo" && event == "Sudid");
	assert!(said.is_some_and(|(_, _, e)| e.contains(error)), "expected {error} in Sudid, got {:?}", events.errors);
	assert_eq!(events.fees, 0, "{error}: sudo's call paid no fee");
	assert_eq!(state(api, &[who], block).await, before, "{error}: the state changed");
}

/// Raw `bytes` are refused by the pool with JSON-RPC `code` and a message containing `text`;
/// the next block has no extrinsic of it and the state is unchanged.
async fn refused_by_pool(api: &Client, what: &str, bytes: &[u8], code: i32, text: &str, who: &[AccountId]) {
	let parent = api.best_hash().await.unwrap();
	let before = state(api, who, parent).await;
	match api.submit_raw(bytes).await {
		Err(e @ Error::RpcCall { .. }) => {
			assert_eq!(e.rpc_code(), Some(code), "{what}: {e}");
			assert!(e.to_string().contains(text), "{what}: expected `{text}` in: {e}");
		},
		other => panic!("{what}: expected a pool refusal, got {other:?}"),
	}
	assert_eq!(pool_len(api).await, 0, "{what}: nothing waits in the pool");
	let block = seal(api).await;
	let events = api.block_events(block).await.unwrap();
	assert_eq!((events.fees, events.failed), (0, 0), "{what}: no extrinsic of it was included");
	assert_eq!(state(api, who, block).await, before, "{what}: the state changed");
}

/// `bytes` without its SCALE compact length prefix.
fn unprefixed(bytes: &[u8]) -> &[u8] {
	let mut body = bytes;
	codec::Compact::<u32>::decode(&mut body).expect("a compact length prefix");
	body
}

/// `body` with a SCALE compact length prefix: a `Vec<u8>` as SCALE encodes it.
fn prefixed(body: &[u8]) -> Vec<u8> {
	body.to_vec().encode()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_input_is_refused_with_its_error_and_changes_nothing() {
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;
	// tau = 0: blocks no longer move stakes, so any change would be the bad input's.
	submit_and_seal(&api, &bittensor::sudo_set_params(None, Some(0), None), "alice").await;
	let params = api.bittensor().get_params(None).await.unwrap();
	assert_eq!(params.inflation_per_block, "0.000000000000");

	let alice = dev::signer("alice").unwrap();
	let bob = dev::signer("bob").unwrap();
	let ferdie = dev::signer("ferdie").unwrap();

	// Module errors: each extrinsic is included, fails, and only its fee is taken.
	fails_in_block(&api, bittensor::register(), &alice, "AlreadyRegistered").await;
	fails_in_block(&api, bittensor::unregister(), &ferdie, "NotRegistered").await;
	fails_in_block(&api, bittensor::add_stake(0), &alice, "ZeroAmount").await;
	fails_in_block(&api, bittensor::add_stake(10_000_000 * UNIT), &alice, "InsufficientBalance").await;
	// Alice holds a little over 4,000 TAO of stake: removing 5,000,
	fails_in_block(&api, bittensor::remove_stake(5_000 * UNIT), &alice, "InsufficientStake").await;
	// SPEC §2, every rejection of set_weights,
	fails_in_block(&api, bittensor::set_weights(vec![(0, 1)]), &ferdie, "NotRegistered").await;
	fails_in_block(&api, bittensor::set_weights(vec![]), &alice, "EmptyWeights").await;
	fails_in_block(&api, bittensor::set_weights(vec![(1, 0), (2, 0)]), &alice, "AllWeightsZero").await;
	fails_in_block(&api, bittensor::set_weights(vec![(1, 1), (1, 2)]), &alice, "DuplicateUid").await;
	fails_in_block(&api, bittensor::set_weights(vec![(0, 1), (99, 1)]), &alice, "UnknownUid").await;
	// One entry more than the runtime's MaxWeightsPerRow.
	let max_row = api.bittensor().get_params(None).await.unwrap().max_weights_per_row;
	let too_long: Vec<(u32, u32)> = (0..=max_row).map(|j| (j, 1)).collect();
	fails_in_block(&api, bittensor::set_weights(too_long), &alice, "TooManyWeights").await;
	// (from {0: .5, 1: .3, 2: .2} to {3: 1} is 1.1 in L2; epsilon is 0.1)
	fails_in_block(&api, bittensor::set_weights(vec![(3, 1)]), &alice, "WeightChangeTooLarge").await;
	// set_params by a signed account that is not the admin (root),
	fails_in_block(&api, bittensor::set_params(None, Some(5 * UNIT), None), &bob, "Bad origin").await;
	// and through sudo by an account that is not the sudo key.
	fails_in_block(&api, bittensor::sudo_set_params(None, Some(5 * UNIT), None), &bob, "RequireSudo").await;
	// Parameters that disagree, through sudo: tau above the adaptive max given with it (the
	// other ways in, a max below the stored tau and genesis, are the pallet's tests').
	let adaptive = Some(Some((500_000_000, 10_000_000, 2 * UNIT)));
	sudo_call_fails(&api, bittensor::sudo_set_params(None, Some(5 * UNIT), adaptive), "InflationAboveAdaptiveMax").await;

	// Pool errors: the extrinsic never gets into a block.
	let everyone: Vec<AccountId> = ["alice", "bob", "ferdie"].iter().map(|w| dev::account_id(w).unwrap()).collect();
	// An account with no funds cannot pay the fee.
	let pauper = dev::derived("//Pauper").unwrap();
	let bytes = api.signed_bytes(&bittensor::register(), &pauper).await.unwrap();
	refused_by_pool(&api, "no funds", &bytes, 1010, "Inability to pay some fees", &everyone).await;
	// A transfer signed by Alice with one byte of the signature flipped.
	let transfer = tx::transfer_keep_alive(&everyone[1], UNIT);
	let mut bytes = api.signed_bytes(&transfer, &alice).await.unwrap();
	let body_at = bytes.len() - unprefixed(&bytes).len();
	// version byte, MultiAddress::Id (1 + 32), MultiSignature::Sr25519 (1), then the signature.
	bytes[body_at + 1 + 33 + 1 + 10] ^= 0x01;
	refused_by_pool(&api, "bad signature", &bytes, 1010, "bad signature", &everyone).await;
	// A valid call with no signature: nothing in the runtime validates unsigned weights.
	let bare = api.unsigned_bytes(&bittensor::set_weights(vec![(0, 1)])).await.unwrap();
	refused_by_pool(&api, "unsigned", &bare, 1011, "NoUnsignedValidator", &everyone).await;
	// A call index the pallet does not have (after the bare version byte: pallet, call).
	let body = unprefixed(&bare);
	let (version, pallet) = (body[0], body[1]);
	// The node takes any length-prefixed bytes as an opaque extrinsic; the runtime's
	// `validate_transaction` then cannot decode it, and the pool refuses it (1002).
	refused_by_pool(&api, "unknown call", &prefixed(&[version, pallet, 99]), 1002, "Verification Error", &everyone).await;
	// set_weights whose argument says five entries but holds one.
	let mut args = body[..3].to_vec();
	// five entries (compact 5), then one `(u32, u32)`.
	args.extend(codec::Compact(5u32).encode());
	args.extend((0u32, 1u32).encode());
	refused_by_pool(&api, "bad arguments", &prefixed(&args), 1002, "Verification Error", &everyone).await;
	// Bytes that are not even a length-prefixed extrinsic: refused by the RPC layer (1040).
	refused_by_pool(&api, "undecodable", &[0x0b, 0xad, 0xc0, 0xde], 1040, "Could not decode", &everyone).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_one_block_the_update_that_takes_the_row_past_epsilon_fails() {
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;
	let alice = dev::signer("alice").unwrap();
	let start = api.weights(0, None).await.unwrap().unwrap();
	assert_eq!(start, vec![(0, 500_000_000), (1, 300_000_000), (2, 200_000_000)]);

	// Given two updates from Alice in the pool for one block: each 0.07 from the row before it,
	// but the second 0.14 from the row at the block's start (epsilon is 0.1),
	let first = {
		let (api, alice) = (api.clone(), alice.clone());
		tokio::spawn(async move { api.submit(&bittensor::set_weights(vec![(0, 45), (1, 35), (2, 20)]), &alice).await })
	};
	wait_for_pool(&api, 1).await;
	let second = {
		let (api, alice) = (api.clone(), alice.clone());
		tokio::spawn(async move { api.submit(&bittensor::set_weights(vec![(0, 40), (1, 40), (2, 20)]), &alice).await })
	};
	wait_for_pool(&api, 2).await;

	// when the block is sealed,
	let block = seal(&api).await;

	// then the first lands, the second fails with WeightChangeTooLarge, and the row is the first's.
	let first = first.await.unwrap().expect("the first update lands");
	assert_eq!(first.block_hash, block);
	match second.await.unwrap() {
		Err(Error::Dispatch(message)) => assert!(message.contains("WeightChangeTooLarge"), "{message}"),
		Err(e) => panic!("expected WeightChangeTooLarge, got {e}"),
		Ok(_) => panic!("the second update must fail"),
	}
	assert_eq!(
		api.weights(0, Some(block)).await.unwrap().unwrap(),
		vec![(0, 450_000_000), (1, 350_000_000), (2, 200_000_000)]
	);
}
