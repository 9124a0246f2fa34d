//! The fee market (runtime 105): a weight fee, a length fee, and `TargetedFeeAdjustment`.
//! Blocks filled above the target fullness raise the multiplier block by block; the fees
//! charged are `payment_queryInfo`'s estimates at the parent; once the load ends, the
//! multiplier falls back to its floor of one. The test prints the curve.

use bittensor_e2e::{
	client::{
		bittensor, dev,
		subxt::{
			dynamic::{self, Value},
			transactions::DynamicPayload,
		},
		tx, Client, Hash,
	},
	fee_estimate as estimate, hex0x, manual_dev_chain, seal, unhex, wait_for_pool, UNIT,
};
use serde_json::json;
use sp_crypto_hashing::twox_128;

/// `FixedU128`'s one.
const ONE: u128 = 1_000_000_000_000_000_000;

/// `TransactionPayment.NextFeeMultiplier` at `at`, as a `FixedU128`'s inner value.
async fn multiplier(api: &Client, at: Hash) -> u128 {
	let key = hex0x(&[twox_128(b"TransactionPayment"), twox_128(b"NextFeeMultiplier")].concat());
	let raw: Option<String> = api.call("state_getStorage", vec![json!(key), json!(at)]).await.unwrap();
	let bytes = unhex(&raw.expect("the multiplier is stored from genesis"));
	u128::from_le_bytes(bytes.try_into().expect("16 bytes"))
}

fn multiplier_text(m: u128) -> String {
	format!("{}.{:018}", m / ONE, m % ONE)
}

/// `Sudo.sudo_unchecked_weight(System.remark([]), ref_time)`: a call that weighs what sudo says,
/// to fill blocks (sudo pays no fee for it).
fn filler(ref_time: u64) -> DynamicPayload<(Value, Value)> {
	let remark = Value::unnamed_variant("System", [Value::named_variant("remark", [("remark", Value::from_bytes(Vec::<u8>::new()))])]);
	let weight = Value::named_composite([("ref_time", Value::u128(ref_time.into())), ("proof_size", Value::u128(0))]);
	dynamic::transaction("Sudo", "sudo_unchecked_weight", (remark, weight))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sustained_load_raises_the_fee_multiplier_and_it_falls_back_after() {
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, mut parent) = manual_dev_chain(dir.path()).await;
	let (alice, bob) = (dev::signer("alice").unwrap(), dev::signer("bob").unwrap());
	let charlie = dev::account_id("charlie").unwrap();
	// The two calls the README prices: a transfer, and a 32-entry set_weights (its fee does not
	// depend on whether the entries name neurons).
	let transfer = tx::transfer_keep_alive(&charlie, UNIT);
	let weights32 = bittensor::set_weights((0..32).map(|j| (j, 1)).collect());
	let price = |at: Hash| {
		let api = api.clone();
		let (alice, bob) = (alice.clone(), bob.clone());
		let (transfer, weights32) = (transfer.clone(), weights32.clone());
		async move {
			let t = api.signed_bytes(&transfer, &bob).await.unwrap();
			let w = api.signed_bytes(&weights32, &alice).await.unwrap();
			(estimate(&api, &t, at).await, estimate(&api, &w, at).await, t.len(), w.len())
		}
	};

	// At rest the multiplier is one.
	assert_eq!(multiplier(&api, parent).await, ONE, "at rest");
	let (transfer_at_rest, weights_at_rest, transfer_len, weights_len) = price(parent).await;
	println!(
		"fees at rest (multiplier 1): transfer_keep_alive ({transfer_len} bytes) {} TAO, set_weights of 32 ({weights_len} bytes) {} TAO",
		bittensor::format_tao(transfer_at_rest),
		bittensor::format_tao(weights_at_rest)
	);

	// When 12 blocks in a row are filled to 80% of the normal class (target 25%), each with a
	// transfer of Bob's in it,
	let full = 1_200_000_000_000u64; // 1.2 s of the normal class's 1.5 s
	let blocks = 12;
	let mut last = ONE;
	for k in 1..=blocks {
		let bytes = api.signed_bytes(&transfer, &bob).await.unwrap();
		let expected = estimate(&api, &bytes, parent).await;
		api.submit_no_wait(&filler(full), &alice).await.unwrap();
		api.submit_raw(&bytes).await.unwrap();
		wait_for_pool(&api, 2).await;
		let block = seal(&api).await;
		let events = api.block_events(block).await.unwrap();
		assert_eq!(events.failed, 0, "block {k}");
		// the fee charged is the estimate made at the parent (the filler pays none),
		assert_eq!(events.fees, expected, "block {k}: charged vs payment_queryInfo");
		// and the multiplier rises block by block.
		let m = multiplier(&api, block).await;
		assert!(m > last, "block {k}: multiplier {} after {}", multiplier_text(m), multiplier_text(last));
		println!("loaded block {k:>2}: multiplier {}, the transfer in it paid {} TAO", multiplier_text(m), bittensor::format_tao(expected));
		last = m;
		parent = block;
	}
	let (transfer_loaded, weights_loaded, _, _) = price(parent).await;
	println!(
		"fees after {blocks} blocks at 80%: transfer_keep_alive {} TAO (+{}), set_weights of 32 {} TAO (+{})",
		bittensor::format_tao(transfer_loaded),
		transfer_loaded - transfer_at_rest,
		bittensor::format_tao(weights_loaded),
		weights_loaded - weights_at_rest
	);
	assert!(transfer_loaded > transfer_at_rest && weights_loaded > weights_at_rest);

	// Then, once the load ends, empty blocks lower the multiplier block by block, back to one.
	let peak = last;
	let mut empty = 0;
	while last > ONE {
		let block = seal(&api).await;
		let m = multiplier(&api, block).await;
		assert!(m < last, "empty block {}: multiplier {} after {}", empty + 1, multiplier_text(m), multiplier_text(last));
		last = m;
		empty += 1;
		assert!(empty <= 100, "the multiplier did not fall back in 100 empty blocks");
		parent = block;
	}
	assert_eq!(last, ONE);
	let (transfer_after, _, _, _) = price(parent).await;
	assert_eq!(transfer_after, transfer_at_rest, "the fees at rest again");
	println!(
		"after the load: {empty} empty blocks took the multiplier from {} back to 1",
		multiplier_text(peak)
	);
}
