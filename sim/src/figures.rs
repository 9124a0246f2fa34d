//! The experiments of the paper's section 3: Figure 4 (the equilibrium ranking against the ideal
//! one, by `alpha / tau`) and Figure 5 (the adaptive-tau controller from `tau = 0`).

use sp_arithmetic::Perbill;

use crate::{
	network::{Network, Params, UNIT},
	stats::{pearson, spearman},
};

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
	/// Pearson correlation of the ranking at `W0` (before any step) with `R_ideal`: where a
	/// network held at `W0` by a large `alpha` ends.
	pub pearson_w0: f64,
	/// Mean self-weight at equilibrium.
	pub self_weight: f64,
	/// Steps taken.
	pub steps: usize,
	/// Whether every peer's projected gradient fell below the tolerance (rather than the steps
	/// running out).
	pub converged: bool,
	/// The largest projected gradient at the start of the last step (the test of
	/// [`Figure4Run::converged`]).
	pub residual: f64,
}

/// Runs Figure 4's experiment with `params` (their `alpha` is the ratio, `tau` is 1); `progress`
/// is called after every step.
pub fn figure4_run(params: Params, progress: impl FnMut(usize)) -> Figure4Run {
	let (ratio, seed) = (params.alpha / params.tau, params.seed);
	let mut net = Network::new(params);
	let ideal = net.ideal_ranking();
	let pearson_w0 = pearson(&net.ranking(), &ideal);
	let steps = net.run_to_equilibrium(progress);
	let ranks = net.ranking();
	Figure4Run {
		ratio,
		seed,
		pearson: pearson(&ranks, &ideal),
		spearman: spearman(&ranks, &ideal),
		pearson_w0,
		self_weight: net.self_weight(),
		steps,
		converged: net.converged(),
		residual: net.residual,
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
	/// Mean Pearson correlation at `W0`.
	pub pearson_w0: f64,
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
				pearson_w0: mean(|r| r.pearson_w0),
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
///
/// The stakes are fixed, as in the paper's experiments (`S` is one of the parameters `theta`),
/// unless `mint_into_stakes`: then the minted tokens are added to the stakes, as Algorithm 1
/// does. Stakes that grow change the game itself, not only tau: the loss gradient grows with
/// the square of the stake (through the mask's `s_i w_ij / T`) and the rank gradient with the
/// stake, so growing stakes raise the effective `alpha / tau` and pull the network toward a
/// connected one whatever tau does; the controller then needs a cap above tau's target value.
pub fn figure5(
	params: Params,
	controller: &Controller,
	steps: usize,
	mint_into_stakes: bool,
	mut progress: impl FnMut(usize),
) -> Vec<Figure5Point> {
	let mut net = Network::new(params);
	let max = (controller.max * UNIT) as u128;
	let mut tau: u128 = 0;
	let mut out = Vec::with_capacity(steps);
	for step in 0..steps {
		let tau_tokens = tau as f64 / UNIT;
		net.step(tau_tokens);
		let minted = net.inflate(tau_tokens, mint_into_stakes);
		let sparsity = net.sparsity();
		out.push(Figure5Point { step, tau: tau_tokens, sparsity: f64::from(sparsity.deconstruct()) / 1e9, minted });
		tau = pallet_bittensor::math::adapt_tau(tau, controller.target, controller.gain, max, sparsity);
		progress(step + 1);
	}
	out
}

/// When Figure 5 reached its target: the first step at which the sparsity was at or past it,
/// and the first step from which it stayed within `band` of it to the end (`None`: never).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeToTarget {
	/// The first step at or past the target, coming from the side the series starts on (0 if
	/// it starts on the target).
	pub crossed: Option<usize>,
	/// The first step from which every later sparsity is within `band` of the target.
	pub settled: Option<usize>,
}

/// [`TimeToTarget`] of a Figure 5 series, for `target` and an absolute `band`.
pub fn time_to_target(points: &[Figure5Point], target: f64, band: f64) -> TimeToTarget {
	let from_below = points.first().is_some_and(|p| p.sparsity <= target);
	let crossed = points
		.iter()
		.find(|p| if from_below { p.sparsity >= target } else { p.sparsity <= target })
		.map(|p| p.step);
	let settled = match points.iter().rposition(|p| (p.sparsity - target).abs() > band) {
		None => points.first().map(|p| p.step),
		Some(k) => points.get(k + 1).map(|p| p.step),
	};
	TimeToTarget { crossed, settled }
}

#[cfg(test)]
mod tests {
	use super::*;

	fn series(values: &[f64]) -> Vec<Figure5Point> {
		values.iter().enumerate().map(|(step, &sparsity)| Figure5Point { step, tau: 0.0, sparsity, minted: 0.0 }).collect()
	}

	#[test]
	fn time_to_target_finds_the_crossing_and_the_settling() {
		let t = |values: &[f64]| time_to_target(&series(values), 0.5, 0.025);
		// From below, past it, back within the band.
		assert_eq!(t(&[0.1, 0.3, 0.55, 0.6, 0.52, 0.49, 0.5]), TimeToTarget { crossed: Some(2), settled: Some(4) });
		// From above: "at or past" counts the step on the target.
		assert_eq!(t(&[0.6, 0.55, 0.5, 0.49, 0.5]), TimeToTarget { crossed: Some(2), settled: Some(2) });
		// Starting on it.
		assert_eq!(t(&[0.5, 0.51]), TimeToTarget { crossed: Some(0), settled: Some(0) });
		// Within the band all along without reaching it: settled, never crossed.
		assert_eq!(t(&[0.49, 0.49]), TimeToTarget { crossed: None, settled: Some(0) });
		// Ending outside the band: not settled.
		assert_eq!(t(&[0.1, 0.5, 0.7]), TimeToTarget { crossed: Some(1), settled: None });
		// Never there, or nothing at all: neither.
		assert_eq!(t(&[0.1, 0.2, 0.3]), TimeToTarget { crossed: None, settled: None });
		assert_eq!(t(&[]), TimeToTarget { crossed: None, settled: None });
	}
}
