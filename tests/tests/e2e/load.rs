//! Load: 64 neurons each submit `set_weights` with 32 entries every block for 50 blocks, then
//! the same accounts send balance transfers the same way. Every transaction is included or
//! refused with a named pool error (none is lost), at least 99% of the updates are included, and
//! the node answers RPC throughout. Prints the
//! included `set_weights` per second against transfers per second (run with `--nocapture`).

use std::{
	sync::{
		atomic::{AtomicBool, AtomicUsize, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use bittensor_e2e::{
	client::{bittensor, dev, tx, BittensorApiClient, Client, Error},
	manual_dev_chain, seal, submit_and_seal, wait_for_pool, UNIT,
};
use bittensor_e2e::client::subxt_signer::sr25519::Keypair;

const NEURONS: usize = 64;
const ENTRIES: usize = 32;
const BLOCKS: usize = 50;
const TRANSFER_BLOCKS: usize = 10;

/// Submits one transaction per signer at once, waits until the pool holds every accepted one,
/// seals a block, checks that exactly the accepted ones are in it (`event` counts them) and
/// that the pool is empty again. Returns (accepted, refused, seconds from the first submission
/// to the sealed block).
async fn one_block<P, F>(api: &Client, signers: &[Keypair], payload: F, event: (&str, &str)) -> (usize, usize, f64)
where
	P: bittensor_e2e::client::subxt::transactions::Payload + Send + Sync + 'static,
	F: Fn(usize) -> P,
{
	let start = Instant::now();
	let mut set = tokio::task::JoinSet::new();
	for (k, signer) in signers.iter().enumerate() {
		let (api, signer, payload) = (api.clone(), signer.clone(), payload(k));
		set.spawn(async move { api.submit_no_wait(&payload, &signer).await });
	}
	let (mut accepted, mut refused) = (0, 0);
	while let Some(result) = set.join_next().await {
		match result.unwrap() {
			Ok(_) => accepted += 1,
			Err(Error::Pool(reason)) => {
				assert!(!reason.is_empty(), "a refusal says why");
				refused += 1
			},
			Err(e) => panic!("not a pool refusal: {e}"),
		}
	}
	wait_for_pool(api, accepted).await;
	// Not `seal`: the rate counts to the sealed block, not to the pool's clean-up after it.
	let hash = api.create_block(true, true).await.unwrap().hash;
	let elapsed = start.elapsed().as_secs_f64();
	wait_for_pool(api, 0).await;
	let events = api.block_events(hash).await.unwrap();
	assert_eq!(
		events.count(event.0, event.1),
		accepted,
		"every accepted transaction is in the block ({}.{}); the block's events: {:?}",
		event.0,
		event.1,
		events.names
	);
	assert_eq!(events.failed, 0);
	(accepted, refused, elapsed)
}

/// Row of the `k`-th neuron (`uids[k]`): itself and the next 31 neurons, equal scores, with
/// 0.02 moved from its own entry to the next on odd blocks (0.028 in L2).
fn row(uids: &[u32], k: usize, block: usize) -> Vec<(u32, u32)> {
	let mut row: Vec<(u32, u32)> = (0..ENTRIES).map(|m| (uids[(k + m) % NEURONS], 1_000_000)).collect();
	if block % 2 == 1 {
		row[0].1 -= 640_000;
		row[1].1 += 640_000;
	}
	row
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_neurons_set_weights_every_block_for_fifty_blocks() {
	// Given 64 funded accounts registered as neurons (after the preset's four),
	// and epsilon raised to 1 by sudo so that a first 32-entry row may replace the self-row,
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;
	let signers: Vec<Keypair> = (0..NEURONS).map(|k| dev::derived(&format!("//Neuron{k}")).unwrap()).collect();
	let alice = dev::signer("alice").unwrap();
	for s in &signers {
		api.submit_no_wait(&tx::transfer_keep_alive(&s.public_key().into(), 1000 * UNIT), &alice).await.unwrap();
	}
	wait_for_pool(&api, NEURONS).await;
	seal(&api).await;
	let (ok, refused, _) = one_block(&api, &signers, |_| bittensor::register(), ("Bittensor", "Registered")).await;
	assert_eq!((ok, refused), (NEURONS, 0));
	submit_and_seal(&api, &bittensor::sudo_set_params(Some(1_000_000_000), None, None), "alice").await;
	let params = api.bittensor().get_params(None).await.unwrap();
	assert_eq!(params.max_weight_change, "1.000000000");
	let mut uids = Vec::new();
	for s in &signers {
		uids.push(api.uid_of(&s.public_key().into(), None).await.unwrap().expect("registered"));
	}
	let uids = std::sync::Arc::new(uids);

	// and a watcher calling the RPC every 100 ms,
	let stop = Arc::new(AtomicBool::new(false));
	let (calls, failures) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
	let watcher = {
		let (api, stop, calls, failures) = (api.clone(), stop.clone(), calls.clone(), failures.clone());
		tokio::spawn(async move {
			let mut worst = Duration::ZERO;
			while !stop.load(Ordering::SeqCst) {
				let t = Instant::now();
				let ok = tokio::time::timeout(Duration::from_secs(5), api.bittensor().get_params(None)).await;
				worst = worst.max(t.elapsed());
				calls.fetch_add(1, Ordering::SeqCst);
				if !matches!(ok, Ok(Ok(_))) {
					failures.fetch_add(1, Ordering::SeqCst);
				}
				tokio::time::sleep(Duration::from_millis(100)).await;
			}
			worst
		})
	};

	// when every neuron sets 32 weights in every one of 50 blocks,
	let (mut included, mut refused, mut seconds) = (0, 0, 0.0);
	for block in 0..BLOCKS {
		let (ok, no, s) =
			one_block(&api, &signers, |k| bittensor::set_weights(row(&uids, k, block)), ("Bittensor", "WeightsSet")).await;
		included += ok;
		refused += no;
		seconds += s;
	}
	// and then send transfers the same way,
	let bob = dev::account_id("bob").unwrap();
	let (mut t_included, mut t_seconds) = (0, 0.0);
	for _ in 0..TRANSFER_BLOCKS {
		let (ok, no, s) =
			one_block(&api, &signers, |_| tx::transfer_keep_alive(&bob, UNIT), ("Balances", "Transfer")).await;
		assert_eq!(no, 0);
		t_included += ok;
		t_seconds += s;
	}
	stop.store(true, Ordering::SeqCst);
	let worst = watcher.await.unwrap();

	// then every update was included or refused with a reason, the last rows are stored,
	assert_eq!(included + refused, NEURONS * BLOCKS);
	assert!(100 * included >= 99 * NEURONS * BLOCKS, "only {included} of {} included", NEURONS * BLOCKS);
	let last: Vec<(u32, u32)> = api.weights(uids[0], None).await.unwrap().unwrap();
	assert_eq!(last.len(), ENTRIES);
	// and the node answered every RPC call on the way.
	let (calls, failures) = (calls.load(Ordering::SeqCst), failures.load(Ordering::SeqCst));
	assert!(calls > 10);
	assert_eq!(failures, 0, "RPC calls failed during the load");
	let weights_rate = included as f64 / seconds;
	let transfer_rate = t_included as f64 / t_seconds;
	println!(
		"load: set_weights ({ENTRIES} entries) included {included}/{} in {seconds:.1} s = {weights_rate:.1}/s; \
		 refused {refused}; transfers {t_included} in {t_seconds:.1} s = {transfer_rate:.1}/s; \
		 ratio set_weights/transfer = {:.2}; RPC calls during load {calls}, failed {failures}, slowest {:.0} ms",
		NEURONS * BLOCKS,
		weights_rate / transfer_rate,
		worst.as_secs_f64() * 1e3
	);
}
