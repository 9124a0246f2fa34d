//! The paper's qualitative claims (section 2.2 and 3, Figures 4 and 5), on a small network.

use bittensor_sim::{
	figures::{figure4_run, figure5, time_to_target, Controller},
	network::{Network, Params},
};
use sp_arithmetic::Perbill;

const N: usize = 6;
const SEEDS: [u64; 3] = [1, 2, 3];

#[test]
fn at_alpha_over_tau_one_weights_go_to_the_identity_and_ranks_to_one_over_n() {
	for seed in SEEDS {
		let mut net = Network::new(Params::new(N, 1.0, seed));
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
		SEEDS.iter().map(|&s| figure4_run(Params::new(N, ratio, s), |_| {}).pearson).sum::<f64>() / SEEDS.len() as f64
	};
	let (low, high) = (mean(1.0), mean(50.0));
	assert!(high > low + 0.2, "Pearson at alpha/tau = 50: {high}, at 1: {low}");
}

#[test]
fn every_run_converges_at_every_ratio_of_figure_4() {
	for ratio in [1.0, 10.0, 25.0, 50.0] {
		for seed in SEEDS {
			let run = figure4_run(Params::new(N, ratio, seed), |_| {});
			// Converged: every peer's projected gradient below the tolerance, before the cap.
			assert!(run.converged, "alpha/tau {ratio}, seed {seed}: residual {} after {} steps", run.residual, run.steps);
			assert!(run.residual < 1e-6 && run.steps < 1000 * N);
		}
	}
}

#[test]
fn adaptive_tau_brings_sparsity_to_its_target_and_keeps_it_there() {
	let controller = Controller { target: Perbill::from_percent(50), gain: Perbill::from_percent(1), max: 1.0 };
	let points = figure5(Params::new(N, 10.0, 1), &controller, 1500, false, |_| {});
	assert_eq!(points[0].tau, 0.0, "tau starts at 0");
	assert!(points[0].sparsity < 0.25, "from a connected network");
	assert!(points.iter().any(|p| p.tau > 0.0), "tau rose");
	let reached = time_to_target(&points, 0.5, 0.025);
	let settled = reached.settled.expect("the sparsity settles within 0.025 of the target");
	assert!(settled < 1000, "settled at step {settled}");
}
