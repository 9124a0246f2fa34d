//! The f64 reference of the block step (SPEC §3–4): eq. 5 and 6 recomputed from what the RPC
//! reads at a block and at its parent.

use crate::client::{bittensor::parse_tao, json, BittensorApiClient, Client, Hash};

/// What the RPC says about the neurons at a block: stakes (base units) and dense rows, by uid.
pub struct Snapshot {
	/// `S_i`, base units.
	pub stakes: Vec<u128>,
	/// `w_ij` as read (exact `Perbill`s as 9-decimal fractions).
	pub rows: Vec<Vec<f64>>,
}

/// A 9-decimal fraction string of the RPC, as f64 (parsed exactly, then divided).
pub fn fraction(s: &str) -> f64 {
	f64::from(json::parse_fraction(s).unwrap().deconstruct()) / 1e9
}

/// `bittensor_getNeurons` at `at`, which must hold the neurons `0..n`.
pub async fn snapshot(api: &Client, at: Hash, n: usize) -> Snapshot {
	let neurons = api.bittensor().get_neurons(Some(at)).await.unwrap().into_value().unwrap();
	assert_eq!(neurons.len(), n);
	let mut stakes = Vec::new();
	let mut rows = Vec::new();
	for (i, neuron) in neurons.iter().enumerate() {
		assert_eq!(neuron.uid as usize, i);
		stakes.push(parse_tao(&neuron.stake).unwrap());
		let mut row = vec![0.0; n];
		for (j, w) in &neuron.weights {
			row[*j as usize] = fraction(w);
		}
		rows.push(row);
	}
	Snapshot { stakes, rows }
}

/// Asserts that block `hash` ranked and minted by eq. 5 and 6: `R_j = (1/n) Σ_i s_i w_ij` on the
/// stakes at `parent` and the rows of the block, every stake grown by `tau R_j / ‖R‖₂`, and
/// issuance grown by exactly what was minted less the fees the block burned. `what` names the
/// block in failures. Returns the amount minted.
pub async fn assert_block_step(api: &Client, parent: Hash, hash: Hash, n: usize, tau: f64, what: &str) -> u128 {
	let before = snapshot(api, parent, n).await;
	let after = snapshot(api, hash, n).await;
	let mut ranks = vec![0f64; n];
	for i in 0..n {
		for j in 0..n {
			ranks[j] += before.stakes[i] as f64 * after.rows[i][j] / n as f64;
		}
	}
	let chain_ranks = api.bittensor().get_ranks(Some(hash)).await.unwrap().into_value().unwrap();
	for (j, r) in chain_ranks.iter().enumerate() {
		let r = parse_tao(&r.rank).unwrap() as f64;
		// Rows are read back as 9-decimal fractions: exact Perbill, so only f64 and the
		// chain's one floor per term separate the two.
		assert!((r - ranks[j]).abs() <= n as f64 + 1e-12 * ranks[j], "{what}: R_{j} {r} vs {}", ranks[j]);
	}
	let norm = ranks.iter().map(|r| r * r).sum::<f64>().sqrt();
	let mut minted = 0u128;
	for j in 0..n {
		let expected = before.stakes[j] as f64 + tau * ranks[j] / norm;
		let got = after.stakes[j] as f64;
		assert!((got - expected).abs() <= 1e-9 * expected, "{what}: S_{j} = {got}, expected {expected}");
		let grew = after.stakes[j] - before.stakes[j];
		assert!((grew as f64 - tau * ranks[j] / norm).abs() <= 2.0 + 1e-9 * tau, "{what}: dS_{j}");
		minted += grew;
	}
	let fees = api.block_events(hash).await.unwrap().fees;
	let issuance_before = api.total_issuance(Some(parent)).await.unwrap();
	let issuance_after = api.total_issuance(Some(hash)).await.unwrap();
	assert_eq!(issuance_after + fees, issuance_before + minted, "{what}: issuance");
	minted
}
