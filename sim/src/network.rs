//! The peers of the paper's section 2.2, on the chain's arithmetic.
//!
//! Each peer `i` has a random positive semi-definite Hessian `H_i`; the ideal ranking (eq. 2,
//! unit outputs) is `R_ideal_j = (1/n) sum_i H_i[j][j]`. Peers hold weight rows as the chain
//! stores them (`Perbill` parts summing to one) and take gradient steps on their payoff
//! `P_i = tau R_i - alpha L_i` with the masked-input loss
//! `L_i(W) = (m_i(W) - m_i(W0))^T H_i (m_i(W) - m_i(W0))` and the mask of eq. 7-8
//! (`bittensor_reference::mask`, with `mu = bittensor_reference::ranks`). A step is projected
//! back onto the simplex, turned into a row by the pallet's `math::normalize`, and shrunk until
//! the pallet's `math::within_l2_bound` accepts it (the chain's epsilon). Ranks come from
//! `math::rank`, inflation from `math::inflation`, sparsity and the adaptive tau from
//! `math::sparsity` and `math::adapt_tau`: what the chain computes, the simulation computes
//! with the chain's exact arithmetic; what the peers compute (their gradients) is the paper's
//! f64 model.
//!
//! # The step size ([`StepRule`])
//!
//! A peer's payoff is linear in its self-weight (the rank term, `tau s_i / n`) and curved in
//! its other weights (the loss term, whose curvature is `alpha` times `H_i`'s through the mask).
//! A projected gradient step of size `lambda` is stable only while `lambda` times that curvature
//! stays below 2: with a constant `lambda` chosen for `alpha / tau = 1`, a large `alpha`
//! overshoots the loss's minimum every step, and the peer oscillates at the epsilon bound
//! without end (7 of 10 runs at `alpha / tau = 50`, n = 16, with [`StepRule::Constant`]).
//! Two rules keep `lambda` times the curvature bounded:
//! - [`StepRule::AlphaScaled`]: `lambda / alpha`. Stable for any `alpha`, but it also slows
//!   the rank term by `alpha`, so a large `alpha` needs thousands of steps more.
//! - [`StepRule::Adaptive`] (the default): each peer starts at `lambda`, halves its own step
//!   when its move reverses the previous one (a dot product below zero: it stepped past the
//!   point where its payoff stops rising along its path) and grows it by a tenth otherwise, up
//!   to `lambda`. It needs no knowledge of the curvature, which a peer does not have, and it
//!   takes the constant step wherever that step does not overshoot.
//!
//! Whatever the rule, a run counts as converged by the same test, independent of the step
//! taken: the projected gradient `|Pi(w_i + lambda g_i) - w_i| / lambda` (zero exactly at a
//! fixed point of every rule) is below [`Params::tolerance`] for every peer.

use bittensor_reference::Rng;
use pallet_bittensor::math;
use sp_arithmetic::Perbill;

/// Base units per token (the chain's 12 decimals).
pub const UNIT: f64 = 1e12;
const ONE: f64 = 1e9;

/// How a peer sizes its gradient step (see the module's docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepRule {
	/// `lambda` every step.
	Constant,
	/// `lambda / alpha` every step (`lambda` for `alpha <= 1`).
	AlphaScaled,
	/// Per peer: halved when its move reverses, grown by a tenth otherwise, at most `lambda`.
	Adaptive,
}

/// The parameters of a run.
#[derive(Clone, Debug)]
pub struct Params {
	/// Peers.
	pub n: usize,
	/// Weight of the loss in the payoff.
	pub alpha: f64,
	/// Inflation per step, tokens (the rank's weight in the payoff).
	pub tau: f64,
	/// Gradient step size (the largest, under [`StepRule::Adaptive`]).
	pub lambda: f64,
	/// How the step is sized.
	pub step_rule: StepRule,
	/// Mask temperature, tokens. The default `0.7 sqrt(n)` puts the balance of the two
	/// gradients (rank `tau s / n` against loss `~ alpha dw / (8 T^2)`) at a move of
	/// `8 T^2 / (n alpha / tau) = 3.92 tau / alpha` from `W0`: past the identity at
	/// `alpha / tau = 1`, under a tenth at 50.
	pub temperature: f64,
	/// The chain's L2 bound on a row's change per step.
	pub epsilon: Perbill,
	/// The seed of the Hessians and of `W0`.
	pub seed: u64,
	/// Stakes, tokens (one each when empty).
	pub stakes: Vec<f64>,
	/// Converged when every peer's projected gradient (L2, per unit of `lambda`) is below this.
	pub tolerance: f64,
	/// Stop after this many steps at most (the paper's `1000 n` by default).
	pub max_steps: usize,
	/// How random `W0` is: each score is `1 + w0_noise * u`, `u` uniform in [0, 1), then the
	/// row is normalized. 0.05 (the default) is near-uniform; a large value (say 1000) is
	/// uniform random weights.
	pub w0_noise: f64,
}

impl Params {
	/// The defaults for `n` peers at `alpha / tau = ratio`.
	pub fn new(n: usize, ratio: f64, seed: u64) -> Self {
		Self {
			n,
			alpha: ratio,
			tau: 1.0,
			lambda: 0.5,
			step_rule: StepRule::Adaptive,
			temperature: 0.7 * (n as f64).sqrt(),
			epsilon: Perbill::from_percent(10),
			seed,
			stakes: Vec::new(),
			tolerance: 1e-6,
			max_steps: 1000 * n,
			w0_noise: 0.05,
		}
	}

	fn stake(&self, i: usize) -> f64 {
		self.stakes.get(i).copied().unwrap_or(1.0)
	}

	/// The step size under a constant or alpha-scaled rule (the adaptive rule starts here).
	fn base_step(&self) -> f64 {
		match self.step_rule {
			StepRule::AlphaScaled => self.lambda / self.alpha.max(1.0),
			StepRule::Constant | StepRule::Adaptive => self.lambda,
		}
	}
}

/// The network: Hessians, the initial mask, and the rows as the chain stores them.
pub struct Network {
	/// The run's parameters.
	pub params: Params,
	/// `H_i`, dense n x n, one per peer.
	pub hessians: Vec<Vec<Vec<f64>>>,
	/// `m_i(W0)`.
	pub mask0: Vec<Vec<f64>>,
	/// Rows in parts, dense (zeros included), one per peer.
	pub rows: Vec<Vec<u32>>,
	/// Stakes, base units.
	pub stakes: Vec<u128>,
	/// Steps taken.
	pub steps: usize,
	/// Each peer's step size now.
	pub step_sizes: Vec<f64>,
	/// Each peer's last move (dense fractions), for [`StepRule::Adaptive`].
	last_moves: Vec<Vec<f64>>,
	/// The largest projected gradient of the last step (see [`Params::tolerance`]).
	pub residual: f64,
}

impl Network {
	/// Draws the Hessians and `W0` (by default near-uniform: each score 1 plus up to 5% noise,
	/// so that the ranking at `W0` is flat and what the peers do shows; see
	/// [`Params::w0_noise`]). `H_i = D (A_i A_i^T / n) D`
	/// with `A_i` standard normal and `D = diag(sqrt(q))`, where `q_j = e^u`, `u` uniform in
	/// `[-1.5, 1.5]`, is how much peer `j`'s output is worth to everyone: random positive
	/// semi-definite Hessians that share a ground truth, so `R_ideal` is a ranking to track.
	/// A peer's own output is not among its inputs: row and column `i` of `H_i` are zero (it
	/// stays positive semi-definite).
	pub fn new(params: Params) -> Self {
		let n = params.n;
		let mut rng = Rng::new(params.seed);
		let quality: Vec<f64> = (0..n).map(|_| (3.0 * rng.uniform() - 1.5).exp().sqrt()).collect();
		let hessians = (0..n)
			.map(|i| {
				let a: Vec<Vec<f64>> = (0..n).map(|_| (0..n).map(|_| rng.normal()).collect()).collect();
				(0..n)
					.map(|r| {
						(0..n)
							.map(|c| {
								if r == i || c == i {
									return 0.0;
								}
								let aat = (0..n).map(|k| a[r][k] * a[c][k]).sum::<f64>() / n as f64;
								quality[r] * aat * quality[c]
							})
							.collect()
					})
					.collect()
			})
			.collect();
		let rows = (0..n)
			.map(|i| {
				let scores: Vec<(u32, u32)> =
					(0..n).map(|j| (j as u32, w0_score(params.w0_noise, rng.uniform()))).collect();
				dense(&math::normalize(&scores).expect("positive scores"), n, i)
			})
			.collect();
		let stakes = (0..n).map(|i| (params.stake(i) * UNIT) as u128).collect();
		let step_sizes = vec![params.base_step(); n];
		let last_moves = vec![vec![0.0; n]; n];
		let mut net =
			Self { params, hessians, mask0: Vec::new(), rows, stakes, steps: 0, step_sizes, last_moves, residual: f64::INFINITY };
		net.mask0 = (0..n).map(|i| net.mask_row(i)).collect();
		net
	}

	/// `R_ideal_j = (1/n) sum_i H_i[j][j]`.
	pub fn ideal_ranking(&self) -> Vec<f64> {
		let n = self.params.n;
		(0..n).map(|j| self.hessians.iter().map(|h| h[j][j]).sum::<f64>() / n as f64).collect()
	}

	/// The chain's ranking (`math::rank`), base units.
	fn chain_ranks(&self) -> Vec<u128> {
		let n = self.params.n;
		let rows: Vec<Vec<(usize, u32)>> = self
			.rows
			.iter()
			.map(|r| r.iter().enumerate().filter(|(_, p)| **p > 0).map(|(j, p)| (j, *p)).collect())
			.collect();
		math::rank(n, n as u32, self.stakes.iter().zip(&rows).map(|(s, r)| (*s, r.as_slice())))
	}

	/// The chain's ranking (`math::rank`), in tokens.
	pub fn ranking(&self) -> Vec<f64> {
		self.chain_ranks().into_iter().map(|r| r as f64 / UNIT).collect()
	}

	/// The chain's sparsity (`math::sparsity`): the mean self-weight.
	pub fn sparsity(&self) -> Perbill {
		let sum: u64 = self.rows.iter().enumerate().map(|(i, r)| u64::from(r[i])).sum();
		math::sparsity(sum, self.params.n as u32)
	}

	/// The mean self-weight as a number.
	pub fn self_weight(&self) -> f64 {
		f64::from(self.sparsity().deconstruct()) / ONE
	}

	fn weight(&self, i: usize, j: usize) -> f64 {
		f64::from(self.rows[i][j]) / ONE
	}

	fn stake_tokens(&self, i: usize) -> f64 {
		self.stakes[i] as f64 / UNIT
	}

	/// The rows as fractions.
	fn fractions(&self) -> Vec<Vec<f64>> {
		self.rows.iter().map(|r| r.iter().map(|p| f64::from(*p) / ONE).collect()).collect()
	}

	/// `mu_j = R_j = (1/n) sum_k s_k w_kj` (eq. 5 in f64), tokens.
	fn mu(&self) -> Vec<f64> {
		let stakes: Vec<f64> = (0..self.params.n).map(|k| self.stake_tokens(k)).collect();
		bittensor_reference::ranks(&stakes, &self.fractions())
	}

	/// `m_i(W)`.
	pub fn mask_row(&self, i: usize) -> Vec<f64> {
		self.mask_row_with(i, &self.mu())
	}

	/// `m_i(W)` given `mu` (shared by every peer of a step).
	fn mask_row_with(&self, i: usize, mu: &[f64]) -> Vec<f64> {
		let s = self.stake_tokens(i);
		(0..self.params.n)
			.map(|j| bittensor_reference::mask(s, self.weight(i, j), mu[j], self.params.temperature))
			.collect()
	}

	/// `L_i(W)`.
	pub fn loss(&self, i: usize) -> f64 {
		let d: Vec<f64> = self.mask_row(i).iter().zip(&self.mask0[i]).map(|(a, b)| a - b).collect();
		let h = &self.hessians[i];
		d.iter().enumerate().map(|(r, dr)| dr * h[r].iter().zip(&d).map(|(x, y)| x * y).sum::<f64>()).sum()
	}

	/// `dP_i / dw_ij` for every `j`: `tau s_i / n` on the self-weight, less
	/// `alpha * 2 (H_i d)_j * m_ij (1 - m_ij) * s_i (1 - 1/n) / T`.
	pub fn payoff_gradient(&self, i: usize, tau: f64) -> Vec<f64> {
		self.payoff_gradient_with(i, tau, &self.mu())
	}

	fn payoff_gradient_with(&self, i: usize, tau: f64, mu: &[f64]) -> Vec<f64> {
		let n = self.params.n;
		let m = self.mask_row_with(i, mu);
		let d: Vec<f64> = m.iter().zip(&self.mask0[i]).map(|(a, b)| a - b).collect();
		let h = &self.hessians[i];
		let s = self.stake_tokens(i);
		let dm_dw = s * (1.0 - 1.0 / n as f64) / self.params.temperature;
		(0..n)
			.map(|j| {
				let hd: f64 = h[j].iter().zip(&d).map(|(x, y)| x * y).sum();
				let loss = 2.0 * hd * m[j] * (1.0 - m[j]) * dm_dw;
				let rank = if j == i { tau * s / n as f64 } else { 0.0 };
				rank - self.params.alpha * loss
			})
			.collect()
	}

	/// One step of every peer (all from the same `W`, as in one block), each of its own size
	/// ([`StepRule`]). Returns the largest L2 move of a row; [`Network::residual`] is then the
	/// largest projected gradient at the `W` the step started from.
	pub fn step(&mut self, tau: f64) -> f64 {
		let n = self.params.n;
		// mu is the same for every peer of a step: computed once, not once per peer.
		let mu = self.mu();
		let gradients: Vec<Vec<f64>> = (0..n).map(|i| self.payoff_gradient_with(i, tau, &mu)).collect();
		let lambda = self.params.lambda;
		let mut largest = 0f64;
		let mut residual = 0f64;
		for (i, g) in gradients.iter().enumerate() {
			let old: Vec<f64> = (0..n).map(|j| self.weight(i, j)).collect();
			let towards = |size: f64| project_to_simplex(&old.iter().zip(g).map(|(w, g)| w + size * g).collect::<Vec<_>>());
			residual = residual.max(distance(&old, &towards(lambda)) / lambda);
			let target = towards(self.step_sizes[i]);
			let Some(row) = bounded_row(&self.rows[i], &old, &target, self.params.epsilon, i) else { continue };
			if row == self.rows[i] {
				// Rounded to parts, the step vanished: nothing moved, nothing to remember.
				continue;
			}
			largest = largest.max(l2(&self.rows[i], &row));
			let moved: Vec<f64> = row.iter().zip(&old).map(|(p, w)| f64::from(*p) / ONE - w).collect();
			if self.params.step_rule == StepRule::Adaptive {
				let reversed = moved.iter().zip(&self.last_moves[i]).map(|(a, b)| a * b).sum::<f64>() < 0.0;
				self.step_sizes[i] = if reversed { self.step_sizes[i] / 2.0 } else { (self.step_sizes[i] * 1.1).min(lambda) };
			}
			self.last_moves[i] = moved;
			self.rows[i] = row;
		}
		self.residual = residual;
		self.steps += 1;
		largest
	}

	/// Steps until every peer's projected gradient is below the tolerance (then the last step
	/// started from a converged `W`), or `max_steps`. Calls `progress` after each step with the
	/// step count. Returns the steps taken.
	pub fn run_to_equilibrium(&mut self, mut progress: impl FnMut(usize)) -> usize {
		let tau = self.params.tau;
		while self.steps < self.params.max_steps {
			self.step(tau);
			progress(self.steps);
			if self.residual < self.params.tolerance {
				break;
			}
		}
		self.steps
	}

	/// Whether the last step started from a converged `W` (see [`Params::tolerance`]).
	pub fn converged(&self) -> bool {
		self.residual < self.params.tolerance
	}

	/// The chain's inflation step (`math::inflation`) with `tau` tokens: what it mints,
	/// `tau R / ||R||`, in tokens, and, when `into_stakes`, the stakes grow by it (Algorithm 1).
	pub fn inflate(&mut self, tau: f64, into_stakes: bool) -> f64 {
		let minted = math::inflation(&self.chain_ranks(), (tau * UNIT) as u128);
		let mut total = 0u128;
		for (s, m) in self.stakes.iter_mut().zip(minted) {
			if into_stakes {
				*s = s.saturating_add(m);
			}
			total = total.saturating_add(m);
		}
		total as f64 / UNIT
	}
}

/// A score of `W0`: `1 + noise * u`, in millionths (kept below `u32::MAX`).
fn w0_score(noise: f64, u: f64) -> u32 {
	(1e6 + noise.max(0.0) * u * 1e6).min(4.0e9) as u32
}

/// A sparse row from `math` as a dense row of `n` parts (`own` gets everything if empty).
fn dense(row: &[(u32, u32)], n: usize, own: usize) -> Vec<u32> {
	let mut out = vec![0u32; n];
	for (j, p) in row {
		out[*j as usize] = *p;
	}
	if row.is_empty() {
		out[own] = math::ONE_PARTS;
	}
	out
}

fn sparse(row: &[u32]) -> Vec<(u32, u32)> {
	row.iter().enumerate().filter(|(_, p)| **p > 0).map(|(j, p)| (j as u32, *p)).collect()
}

/// The L2 distance of two dense rows of fractions.
fn distance(a: &[f64], b: &[f64]) -> f64 {
	a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum::<f64>().sqrt()
}

/// The L2 distance of two dense part rows, as a fraction of one (via `math::l2_distance_sq`).
pub fn l2(a: &[u32], b: &[u32]) -> f64 {
	(math::l2_distance_sq(&sparse(a), &sparse(b)) as f64).sqrt() / ONE
}

/// The row the chain would store for `target` (fractions), moved from `current` no further
/// than the chain's epsilon allows: the step is shortened until `math::within_l2_bound`
/// accepts the normalized row. `None` if even a tiny step does not pass (or changes nothing).
fn bounded_row(current: &[u32], old: &[f64], target: &[f64], epsilon: Perbill, own: usize) -> Option<Vec<u32>> {
	let n = current.len();
	let dist = distance(old, target);
	if dist == 0.0 {
		return None;
	}
	let eps = f64::from(epsilon.deconstruct()) / ONE;
	let mut t = (eps / dist).min(1.0);
	for _ in 0..40 {
		let scores: Vec<(u32, u32)> = old
			.iter()
			.zip(target)
			.enumerate()
			.map(|(j, (a, b))| (j as u32, ((a + t * (b - a)).max(0.0) * ONE).round() as u32))
			.collect();
		if let Ok(row) = math::normalize(&scores) {
			if math::within_l2_bound(&sparse(current), &row, epsilon) {
				return Some(dense(&row, n, own));
			}
		}
		t *= 0.9;
	}
	None
}

/// The Euclidean projection of `v` onto the simplex `{x >= 0, sum x = 1}`.
pub fn project_to_simplex(v: &[f64]) -> Vec<f64> {
	let mut u = v.to_vec();
	u.sort_by(|a, b| b.partial_cmp(a).unwrap_or(std::cmp::Ordering::Equal));
	let mut cumulative = 0.0;
	let mut theta = 0.0;
	for (k, x) in u.iter().enumerate() {
		cumulative += x;
		let t = (cumulative - 1.0) / (k + 1) as f64;
		if x - t > 0.0 {
			theta = t;
		}
	}
	v.iter().map(|x| (x - theta).max(0.0)).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn projection_lands_on_the_simplex() {
		let p = project_to_simplex(&[0.5, 0.8, -0.2]);
		assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
		assert!(p.iter().all(|x| *x >= 0.0));
		assert_eq!(project_to_simplex(&[0.2, 0.3, 0.5]), vec![0.2, 0.3, 0.5]);
	}

	#[test]
	fn every_stored_row_sums_to_one_and_moves_within_epsilon() {
		let mut net = Network::new(Params::new(6, 1.0, 7));
		for _ in 0..50 {
			let before = net.rows.clone();
			net.step(1.0);
			for (a, b) in before.iter().zip(&net.rows) {
				assert_eq!(b.iter().map(|p| u64::from(*p)).sum::<u64>(), 1_000_000_000);
				assert!(l2(a, b) <= 0.1 + 1e-12);
			}
		}
	}
}
