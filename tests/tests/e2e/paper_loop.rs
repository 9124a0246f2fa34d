//! The paper's loop (Algorithm 1), live: neurons registered and staked by signed extrinsics
//! move their weights every block for 30 blocks; after every block the test recomputes
//! eq. 5 and 6 (SPEC §3–4) in f64 from what the RPC reads at the parent and at the block.

use bittensor_e2e::{
	client::{bittensor::parse_tao, bittensor, dev, BittensorApiClient},
	manual_dev_chain,
	reference::{assert_block_step, fraction},
	seal, submit_and_seal, wait_for_pool, State, UNIT,
};
// The one deterministic generator of the tests and the simulator, so that a failure can be
// replayed.
use bittensor_reference::Rng;

/// A step from `row` toward a random row, as long as `0.8 * epsilon` in L2, as raw scores.
fn step(row: &[f64], epsilon: f64, rng: &mut Rng) -> Vec<(u32, u32)> {
	let mut target: Vec<f64> = row.iter().map(|_| if rng.uniform() < 0.6 { rng.uniform() } else { 0.0 }).collect();
	let k = (rng.uniform() * row.len() as f64) as usize % row.len();
	target[k] += 0.1;
	let sum: f64 = target.iter().sum();
	target.iter_mut().for_each(|t| *t /= sum);
	let dist = row.iter().zip(&target).map(|(a, b)| (a - b).powi(2)).sum::<f64>().sqrt();
	let lambda = (0.8 * epsilon / dist).min(1.0);
	row.iter()
		.zip(&target)
		.enumerate()
		.map(|(j, (a, b))| (j as u32, ((a + lambda * (b - a)) * 1e9).round() as u32))
		.filter(|(_, score)| *score > 0)
		.collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_blocks_of_weight_updates_follow_eq_5_and_6() {
	// Given a dev chain (manual sealing): Alice, Bob, Charlie and Dave are the preset's neurons;
	// Eve and Ferdie register and stake with signed extrinsics.
	let dir = tempfile::tempdir().unwrap();
	let (_node, api, _) = manual_dev_chain(dir.path()).await;
	for (who, stake) in [("eve", 1500 * UNIT), ("ferdie", 800 * UNIT)] {
		submit_and_seal(&api, &bittensor::register(), who).await;
		submit_and_seal(&api, &bittensor::add_stake(stake), who).await;
	}
	let names = ["alice", "bob", "charlie", "dave", "eve", "ferdie"];
	let n = names.len();
	let mut parent = api.best_hash().await.unwrap();
	let params = api.bittensor().get_params(Some(parent)).await.unwrap();
	assert_eq!(params.neuron_count as usize, n);
	let epsilon = fraction(&params.max_weight_change);
	let tau = parse_tao(&params.inflation_per_block).unwrap() as f64;
	let mut rng = Rng::new(0x5eed_b17e_2024);

	for block in 0..30 {
		// When every neuron submits a bounded step of its row and a block is sealed,
		let rows = State::at(&api, parent).await.rows();
		for (i, who) in names.iter().enumerate() {
			let scores = step(&rows[i], epsilon, &mut rng);
			api.submit_no_wait(&bittensor::set_weights(scores), &dev::signer(who).unwrap())
				.await
				.unwrap();
		}
		wait_for_pool(&api, n).await;
		let hash = seal(&api).await;
		let events = api.block_events(hash).await.unwrap();
		assert_eq!(events.count("Bittensor", "WeightsSet"), n, "block {block}: every update lands");
		assert_eq!(events.failed, 0);

		// then the ranking is eq. 5 on the stakes at the parent and the rows of the block,
		// every stake grew by tau R_j / ||R||_2 (eq. 6), and issuance grew by exactly what was
		// minted, less the fees the block burned.
		let minted = assert_block_step(&api, parent, hash, n, tau, &format!("block {block}")).await;
		assert!(minted > 0 && events.fees > 0);
		parent = hash;
	}
}
