//! The BitTensor paper's block step in `f64`, written from the paper (sections 1.4 and 2.2,
//! SPEC sections 3, 4 and 6) and not from the pallet: it shares no code with the pallet's
//! fixed-point `math`, so that the tests that compare the two can still catch `math`.
//!
//! - [`ranks`]: eq. 5, `R_j = (1/n) Σ_i s_i w_ij`.
//! - [`inflation`]: eq. 6, `ΔS_j = τ R_j / ‖R‖₂`.
//! - [`mask`]: eq. 7 and 8, `m_ij = sigmoid((s_i w_ij − μ_j) / T)`.
//! - [`Rng`]: the one deterministic generator of the tests and the simulator.
//!
//! Its users: the pallet's Algorithm-1 test (`pallets/bittensor/src/tests/simulation.rs`), the
//! end-to-end checks of the live chain (`tests/src/reference.rs`, `tests/tests/e2e/pallet.rs`,
//! `tests/tests/e2e/rpc.rs`) and the simulator's peers (`sim/src/network.rs`).

mod rng;

pub use rng::Rng;

/// Eq. 5: the ranking `R_j = (1/n) Σ_i s_i w_ij` of `n = stakes.len()` neurons, where
/// `rows[i][j]` is `w_ij` as a fraction (dense: `n` rows of `n`). In the unit of the stakes.
///
/// ```
/// // Two neurons of stake 2 and 4, the first all for itself, the second half and half.
/// let r = bittensor_reference::ranks(&[2.0, 4.0], &[vec![1.0, 0.0], vec![0.5, 0.5]]);
/// assert_eq!(r, vec![(2.0 + 2.0) / 2.0, 2.0 / 2.0]);
/// ```
pub fn ranks(stakes: &[f64], rows: &[Vec<f64>]) -> Vec<f64> {
	let n = stakes.len();
	assert_eq!(rows.len(), n, "one row a neuron");
	let mut r = vec![0f64; n];
	for (s, row) in stakes.iter().zip(rows) {
		assert_eq!(row.len(), n, "dense rows of n");
		for (r_j, w) in r.iter_mut().zip(row) {
			*r_j += s * w;
		}
	}
	r.iter_mut().for_each(|r_j| *r_j /= n as f64);
	r
}

/// Eq. 6: what each neuron's stake grows by in a block that mints `tau`,
/// `ΔS_j = τ R_j / ‖R‖₂`; nothing when every rank is zero.
///
/// ```
/// let ds = bittensor_reference::inflation(&[3.0, 4.0], 10.0);
/// assert_eq!(ds, vec![6.0, 8.0]);
/// assert_eq!(bittensor_reference::inflation(&[0.0, 0.0], 10.0), vec![0.0, 0.0]);
/// ```
pub fn inflation(ranks: &[f64], tau: f64) -> Vec<f64> {
	let norm = ranks.iter().map(|r| r * r).sum::<f64>().sqrt();
	if norm == 0.0 {
		return vec![0.0; ranks.len()];
	}
	ranks.iter().map(|r| tau * r / norm).collect()
}

/// The logistic function `1 / (1 + e^-x)`.
pub fn sigmoid(x: f64) -> f64 {
	1.0 / (1.0 + (-x).exp())
}

/// Eq. 7 and 8: the mask neuron `i` puts on input `j`, `sigmoid((s_i w_ij − μ_j) / T)`, for
/// stake `s_i`, weight `w_ij` (a fraction), the input's mean `μ_j = R_j` (eq. 5, in the stake's
/// unit) and the temperature `T` (same unit, positive).
///
/// ```
/// // At the mean, the mask is one half.
/// assert_eq!(bittensor_reference::mask(2.0, 0.5, 1.0, 3.0), 0.5);
/// ```
pub fn mask(stake: f64, weight: f64, mu: f64, temperature: f64) -> f64 {
	sigmoid((stake * weight - mu) / temperature)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn ranks_of_the_identity_are_stake_over_n() {
		let rows = vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0], vec![0.0, 0.0, 1.0]];
		assert_eq!(ranks(&[3.0, 6.0, 9.0], &rows), vec![1.0, 2.0, 3.0]);
	}

	#[test]
	fn inflation_mints_tau_along_the_unit_ranking() {
		let ds = inflation(&[1.0, 1.0, 1.0, 1.0], 8.0);
		assert_eq!(ds, vec![4.0; 4]);
		// The minted total is tau times ||R||_1 / ||R||_2: between tau and tau sqrt(n).
		assert_eq!(ds.iter().sum::<f64>(), 16.0);
	}

	#[test]
	fn mask_is_monotone_in_the_weight_and_a_half_at_the_mean() {
		assert!(mask(1.0, 0.2, 0.1, 1.0) > mask(1.0, 0.1, 0.1, 1.0));
		assert_eq!(mask(1.0, 0.1, 0.1, 1.0), 0.5);
		assert!((sigmoid(2.0) + sigmoid(-2.0) - 1.0).abs() < 1e-15);
	}
}
