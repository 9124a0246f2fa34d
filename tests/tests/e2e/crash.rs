//! Crash and restart: under a steady stream of `set_weights`, the node is killed with SIGKILL
//! and restarted on the same base path. Every block it had, best and finalized, is still there
//! with the same hash and the same pallet state, and the chain goes on.

use std::{
	sync::{
		atomic::{AtomicBool, AtomicUsize, Ordering},
		Arc,
	},
	time::Duration,
};

use bittensor_e2e::{
	client::{bittensor, dev, Client, Hash},
	wait_until, Node, State,
};

/// Alice's row alternates between two rows 0.07 apart in L2 (epsilon is 0.1), every 300 ms.
fn stream(api: Client, stop: Arc<AtomicBool>, sent: Arc<AtomicUsize>) -> tokio::task::JoinHandle<()> {
	tokio::spawn(async move {
		let alice = dev::signer("alice").unwrap();
		let rows = [vec![(0, 50), (1, 30), (2, 20)], vec![(0, 45), (1, 35), (2, 20)]];
		let mut k = 0;
		while !stop.load(Ordering::SeqCst) {
			if api.submit_no_wait(&bittensor::set_weights(rows[k % 2].clone()), &alice).await.is_ok() {
				sent.fetch_add(1, Ordering::SeqCst);
			}
			k += 1;
			tokio::time::sleep(Duration::from_millis(300)).await;
		}
	})
}

async fn number(api: &Client, hash: Hash) -> u64 {
	api.header(Some(hash)).await.unwrap().number().unwrap()
}

/// How many `WeightsSet` events blocks `from..=to` hold.
async fn weights_set_between(api: &Client, from: u64, to: u64) -> usize {
	let mut count = 0;
	for n in from..=to {
		let hash = api.block_hash(n).await.unwrap().expect("a block below the best exists");
		count += api.block_events(hash).await.unwrap().count("Bittensor", "WeightsSet");
	}
	count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_under_load_loses_no_block_and_no_state() {
	// Given a dev chain sealing and finalizing a block every second, and Alice's weights
	// changing every 300 ms,
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start("dev", &["--dev", "--sealing", "1000"], dir.path());
	let api = node.client().await;
	let stop = Arc::new(AtomicBool::new(false));
	let sent = Arc::new(AtomicUsize::new(0));
	let task = stream(api.clone(), stop.clone(), sent.clone());
	wait_until("six blocks", Duration::from_secs(60), || async {
		(api.best_number().await.ok()? >= 6).then_some(())
	})
	.await;
	let best = api.best_hash().await.unwrap();
	let best_number = number(&api, best).await;
	let finalized = api.finalized_head().await.unwrap();
	let finalized_number = number(&api, finalized).await;
	let state = State::at(&api, best).await;
	let landed = weights_set_between(&api, 1, best_number).await;
	assert!(landed >= 3, "the stream's updates land ({landed} so far)");

	// when the node is killed with SIGKILL mid-stream and started again on the same base path,
	node.kill();
	stop.store(true, Ordering::SeqCst);
	task.await.unwrap();
	node.restart();
	let api = node.client().await;

	// then the best and finalized blocks it had are there, with the same hashes,
	assert!(api.best_number().await.unwrap() >= best_number);
	assert_eq!(api.block_hash(best_number).await.unwrap(), Some(best), "best block #{best_number}");
	let finalized_now = api.finalized_head().await.unwrap();
	assert!(number(&api, finalized_now).await >= finalized_number);
	assert_eq!(api.block_hash(finalized_number).await.unwrap(), Some(finalized), "finalized #{finalized_number}");
	// the pallet's state at them is unchanged,
	assert_eq!(State::at(&api, best).await, state);
	// and the chain goes on, taking new weight updates.
	let restarted_at = api.best_number().await.unwrap();
	let stop = Arc::new(AtomicBool::new(false));
	let task = stream(api.clone(), stop.clone(), sent.clone());
	let tip = wait_until("blocks after the restart with updates in them", Duration::from_secs(60), || async {
		let tip = api.best_number().await.ok()?;
		(tip >= restarted_at + 3 && weights_set_between(&api, restarted_at + 1, tip).await > 0).then_some(tip)
	})
	.await;
	stop.store(true, Ordering::SeqCst);
	task.await.unwrap();
	let finalized_after = number(&api, api.finalized_head().await.unwrap()).await;
	assert!(finalized_after > finalized_number, "finality goes on: #{finalized_after}, tip #{tip}");
}
