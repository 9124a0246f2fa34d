//! The block step (SPEC §3–4) checked at a live block: eq. 5 and 6 recomputed in f64 by the
//! paper's reference model (`bittensor-reference`, independent of the pallet's `math`) from
//! what the RPC reads at the block and at its parent.

use crate::{
	client::{json, Client, Hash},
	State,
};

/// A 9-decimal fraction string of the RPC, as f64 (parsed exactly, then divided).
pub fn fraction(s: &str) -> f64 {
	f64::from(json::parse_fraction(s).unwrap().deconstruct()) / 1e9
}

/// Asserts that block `hash` ranked and minted by eq. 5 and 6: `R_j = (1/n) Σ_i s_i w_ij` on the
/// stakes at `parent` and the rows of the block, every stake grown by `tau R_j / ‖R‖₂`, and
/// issuance grown by exactly what was minted less the fees the block burned. Both blocks must
/// hold the neurons `0..n`. `what` names the block in failures. Returns the amount minted.
pub async fn assert_block_step(api: &Client, parent: Hash, hash: Hash, n: usize, tau: f64, what: &str) -> u128 {
	let (before, after) = (State::at(api, parent).await, State::at(api, hash).await);
	assert_eq!((before.neurons.len(), after.neurons.len()), (n, n), "{what}: the neurons");
	let stakes_before = before.stakes();
	let stakes: Vec<f64> = stakes_before.iter().map(|s| *s as f64).collect();
	let ranks = bittensor_reference::ranks(&stakes, &after.rows());
	for (j, r) in after.rank_values().into_iter().enumerate() {
		// Rows are read back as 9-decimal fractions: exact Perbill, so only f64 and the
		// chain's one floor per term separate the two.
		let r = r as f64;
		assert!((r - ranks[j]).abs() <= n as f64 + 1e-12 * ranks[j], "{what}: R_{j} {r} vs {}", ranks[j]);
	}
	let grown = bittensor_reference::inflation(&ranks, tau);
	let mut minted = 0u128;
	for (j, (s_after, s_before)) in after.stakes().into_iter().zip(stakes_before).enumerate() {
		let expected = s_before as f64 + grown[j];
		let got = s_after as f64;
		assert!((got - expected).abs() <= 1e-9 * expected, "{what}: S_{j} = {got}, expected {expected}");
		let grew = s_after - s_before;
		assert!((grew as f64 - grown[j]).abs() <= 2.0 + 1e-9 * tau, "{what}: dS_{j}");
		minted += grew;
	}
	let fees = api.block_events(hash).await.unwrap().fees;
	assert_eq!(after.issuance + fees, before.issuance + minted, "{what}: issuance");
	minted
}
