//! The paper's qualitative claims (section 2.2 and 3, Figures 4 and 5), on a small network.

use bittensor_sim::{figure4_run, figure5, model::Params, Controller};
use sp_arithmetic::Perbill;

const N: usize = 6;
const SEEDS: [u64; 3] = [1, 2, 3];

#[test]
fn at_alpha_over_tau_one_weights_go_to_the_identity_and_ranks_to_one_over_n() {
	for seed in SEEDS {
		let mut net = bittensor_sim::model::Network::new(Params::new(N, 1.0, seed));
		net.run_to_equilibrium(|_| {});
		assert!(net.self_weight() > 0.99, "seed {seed}: mean self-weight {}", net.self_weight());
		for (i, r) in net.ranking().iter().enumerate() {
			// Stakes are one token each: R_i = s_i w_ii / n -> 1/n.
			assert!((r - 1.0 / N as f64).abs() < 0.01 / N as f64, "seed {seed}: R_{i} = {r}");
		}
	}
}

#[test]
fn the_ranking_tracks_the_ideal_one_better_at_alpha_over_tau_fifty() {
	let mean = |ratio: f64| {
		SEEDS.iter().map(|&s| figure4_run(N, ratio, s, None, 0.05, |_| {}).pearson).sum::<f64>() / SEEDS.len() as f64
	};
	let (low, high) = (mean(1.0), mean(50.0));
	assert!(high > low + 0.2, "Pearson at alpha/tau = 50: {high}, at 1: {low}");
}

#[test]
fn adaptive_tau_moves_sparsity_toward_its_target() {
	let target = 0.5;
	let controller = Controller { target: Perbill::from_percent(50), gain: Perbill::from_percent(1), max: 1.0 };
	let points = figure5(Params::new(N, 10.0, 1), &controller, 1500, |_| {});
	let first = points.first().unwrap();
	let last = points.last().unwrap();
	assert_eq!(first.tau, 0.0, "tau starts at 0");
	assert!(points.iter().any(|p| p.tau > 0.0), "tau rose");
	let (gap0, gap1) = ((first.sparsity - target).abs(), (last.sparsity - target).abs());
	assert!(gap1 < gap0 / 2.0, "sparsity {} -> {} (target {target})", first.sparsity, last.sparsity);
}

