//! `bittensor-sim`: the competitive-weights experiments of the BitTensor paper (section 2.2,
//! Figures 4 and 5) on the chain's own arithmetic (the pallet's `math` module), offline or
//! against a running node.
//!
//! - [`model`]: the peers, their Hessians, masks, losses and payoff gradients, and bounded
//!   steps turned into rows exactly as the chain stores them.
//! - [`figure4`]: equilibrium ranking against the ideal one for several `alpha / tau`.
//! - [`figure5`]: the adaptive-tau controller (SPEC section 5) started from `tau = 0`.
//! - [`output`]: CSV files, PNG plots and the printed table.
//! - [`live`]: the same peers as dev accounts on a node, one `set_weights` each per block.

pub mod live;
pub mod model;
pub mod output;

use model::{pearson, spearman, Network, Params};
use sp_arithmetic::Perbill;

/// One equilibrium run of Figure 4.
#[derive(Clone, Debug)]
pub struct Figure4Run {
	/// `alpha / tau`.
	pub ratio: f64,
	/// The seed.
	pub seed: u64,
	/// Pearson correlation of `R*` with `R_ideal`.
	pub pearson: f64,
	/// Spearman correlation of `R*` with `R_ideal`.
	pub spearman: f64,
	/// Mean self-weight at equilibrium.
	pub self_weight: f64,
	/// Steps taken.
	pub steps: usize,
	/// Whether the steps fell below the tolerance (rather than running out).
	pub converged: bool,
}

/// Runs Figure 4's experiment for `alpha / tau = ratio` and `seed` (tau = 1), with `n` peers,
/// at most `max_steps` steps and `W0` drawn with `w0_noise` ([`Params::w0_noise`]); `progress`
/// is called after every step.
pub fn figure4_run(
	n: usize,
	ratio: f64,
	seed: u64,
	max_steps: Option<usize>,
	w0_noise: f64,
	progress: impl FnMut(usize),
) -> Figure4Run {
	let mut params = Params::new(n, ratio, seed);
	params.w0_noise = w0_noise;
	if let Some(m) = max_steps {
		params.max_steps = m;
	}
	let max = params.max_steps;
	let mut net = Network::new(params);
	let steps = net.run_to_equilibrium(progress);
	let ranks = net.ranking();
	let ideal = net.ideal_ranking();
	Figure4Run {
		ratio,
		seed,
		pearson: pearson(&ranks, &ideal),
		spearman: spearman(&ranks, &ideal),
		self_weight: net.self_weight(),
		steps,
		converged: steps < max,
	}
}

/// The mean over seeds of Figure 4's runs at one ratio.
#[derive(Clone, Debug)]
pub struct Figure4Row {
	/// `alpha / tau`.
	pub ratio: f64,
	/// Mean Pearson correlation.
	pub pearson: f64,
	/// Mean Spearman correlation.
	pub spearman: f64,
	/// Mean self-weight.
	pub self_weight: f64,
	/// Runs averaged.
	pub runs: usize,
	/// Runs that converged.
	pub converged: usize,
}

/// Averages `runs` by ratio, in the order the ratios first appear.
pub fn figure4_table(runs: &[Figure4Run]) -> Vec<Figure4Row> {
	let mut ratios: Vec<f64> = Vec::new();
	for r in runs {
		if !ratios.contains(&r.ratio) {
			ratios.push(r.ratio);
		}
	}
	ratios
		.into_iter()
		.map(|ratio| {
			let of: Vec<&Figure4Run> = runs.iter().filter(|r| r.ratio == ratio).collect();
			let mean = |f: fn(&Figure4Run) -> f64| of.iter().map(|r| f(r)).sum::<f64>() / of.len() as f64;
			Figure4Row {
				ratio,
				pearson: mean(|r| r.pearson),
				spearman: mean(|r| r.spearman),
				self_weight: mean(|r| r.self_weight),
				runs: of.len(),
				converged: of.iter().filter(|r| r.converged).count(),
			}
		})
		.collect()
}

/// The adaptive-tau controller's settings (SPEC section 5).
#[derive(Clone, Debug)]
pub struct Controller {
	/// The sparsity it steers to.
	pub target: Perbill,
	/// Its gain.
	pub gain: Perbill,
	/// The largest tau, tokens.
	pub max: f64,
}

/// One step of Figure 5.
#[derive(Clone, Debug)]
pub struct Figure5Point {
	/// The step.
	pub step: usize,
	/// tau during the step, tokens.
	pub tau: f64,
	/// The sparsity (mean self-weight) after it.
	pub sparsity: f64,
	/// Tokens minted in it.
	pub minted: f64,
}

/// Figure 5: peers step with the current tau, the chain mints with it (`math::inflation`),
/// then the controller moves it (`math::adapt_tau`, on base units), from tau = 0.
pub fn figure5(params: Params, controller: &Controller, steps: usize, mut progress: impl FnMut(usize)) -> Vec<Figure5Point> {
	let mut net = Network::new(params);
	let max = (controller.max * model::UNIT) as u128;
	let mut tau: u128 = 0;
	let mut out = Vec::with_capacity(steps);
	for step in 0..steps {
		let tau_tokens = tau as f64 / model::UNIT;
		net.step(tau_tokens);
		let minted = net.inflate(tau_tokens);
		let sparsity = net.sparsity();
		out.push(Figure5Point { step, tau: tau_tokens, sparsity: f64::from(sparsity.deconstruct()) / 1e9, minted });
		tau = pallet_bittensor::math::adapt_tau(tau, controller.target, controller.gain, max, sparsity);
		progress(step + 1);
	}
	out
}
