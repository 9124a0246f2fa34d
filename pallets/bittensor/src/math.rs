//! Pure fixed-point kernels of the mechanism: no storage, no `T: Config`, no side effects.
//!
//! The block step, the benchmarks, the tests and the simulator all call these, so that they
//! compute with the same integers. Units: token amounts are base units (`u128`); weights are
//! `Perbill` parts (`u32`, one is `1_000_000_000`).
//!
//! Rounding is always down (toward zero) unless said otherwise, and every operation is checked
//! or saturating: none of these functions can panic.

use alloc::vec::Vec;
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding,
	traits::{One, Saturating, Zero},
	FixedPointNumber, FixedU128, PerThing, Perbill, Rounding,
};

/// `Perbill` parts in one: a row's entries sum to exactly this.
pub const ONE_PARTS: u32 = 1_000_000_000;

/// A weight row: `(uid, parts)` sorted by uid, no duplicates, every `parts > 0`, summing to
/// exactly [`ONE_PARTS`].
pub type RowEntries = Vec<(u32, u32)>;

/// Why a raw score list cannot be normalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NormalizeError {
	/// The list is empty.
	Empty,
	/// A uid appears twice.
	DuplicateUid,
	/// Every score is zero.
	AllZero,
}

/// Sorts `scores` by uid and rejects duplicates. Returns the sorted list.
pub fn sorted_unique(scores: &[(u32, u32)]) -> Result<Vec<(u32, u32)>, NormalizeError> {
	let mut sorted: Vec<(u32, u32)> = scores.to_vec();
	sorted.sort_unstable_by_key(|(uid, _)| *uid);
	if sorted.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
		return Err(NormalizeError::DuplicateUid);
	}
	Ok(sorted)
}

/// Normalizes raw non-negative scores to `Perbill` parts summing to exactly [`ONE_PARTS`].
///
/// Zero scores are dropped. Each entry first gets `floor(score * 1e9 / total)` parts; the parts
/// still missing (fewer than the number of entries) go one each to the entries with the largest
/// remainders, ties to the lower uid (largest-remainder method). Entries that end with zero
/// parts are dropped, so every stored entry is positive. The result is sorted by uid.
pub fn normalize(scores: &[(u32, u32)]) -> Result<RowEntries, NormalizeError> {
	if scores.is_empty() {
		return Err(NormalizeError::Empty);
	}
	let sorted = sorted_unique(scores)?;
	let nonzero: Vec<(u32, u32)> = sorted.into_iter().filter(|(_, s)| *s > 0).collect();
	// At most 2^32 entries of at most 2^32 - 1 each: the total fits u64.
	let total: u64 = nonzero.iter().fold(0u64, |acc, (_, s)| acc.saturating_add(u64::from(*s)));
	if total == 0 {
		return Err(NormalizeError::AllZero);
	}
	let total = u128::from(total);
	let one = u128::from(ONE_PARTS);
	// (uid, floor parts, remainder of score * 1e9 / total)
	let mut shares: Vec<(u32, u32, u128)> = nonzero
		.iter()
		.map(|(uid, s)| {
			let scaled = u128::from(*s).saturating_mul(one);
			let floor = scaled.checked_div(total).unwrap_or(0);
			let rem = scaled.checked_rem(total).unwrap_or(0);
			(*uid, u32::try_from(floor).unwrap_or(ONE_PARTS), rem)
		})
		.collect();
	let assigned: u64 = shares.iter().fold(0u64, |acc, (_, p, _)| acc.saturating_add(u64::from(*p)));
	let missing = u64::from(ONE_PARTS).saturating_sub(assigned);
	if missing > 0 {
		// Largest remainder first; among equal remainders, the lower uid first.
		let mut order: Vec<usize> = (0..shares.len()).collect();
		order.sort_unstable_by(|&a, &b| {
			let (ua, _, ra) = shares.get(a).copied().unwrap_or((0, 0, 0));
			let (ub, _, rb) = shares.get(b).copied().unwrap_or((0, 0, 0));
			rb.cmp(&ra).then(ua.cmp(&ub))
		});
		for idx in order.into_iter().take(usize::try_from(missing).unwrap_or(usize::MAX)) {
			if let Some(share) = shares.get_mut(idx) {
				share.1 = share.1.saturating_add(1);
			}
		}
	}
	Ok(shares.into_iter().filter(|(_, p, _)| *p > 0).map(|(uid, p, _)| (uid, p)).collect())
}

/// Drops the entries of `row` for which `keep` is false and renormalizes the rest over the
/// parts that remain (largest remainder, as [`normalize`]); when nothing remains, the row
/// becomes full self-weight `{(own, 1)}`. Returns `None` when every entry is kept (the row is
/// unchanged), so callers look at each entry once.
pub fn without_entries(row: &[(u32, u32)], own: u32, keep: impl Fn(u32) -> bool) -> Option<RowEntries> {
	let kept: Vec<(u32, u32)> = row.iter().copied().filter(|(uid, _)| keep(*uid)).collect();
	if kept.len() == row.len() {
		return None;
	}
	Some(normalize(&kept).unwrap_or_else(|_| self_row(own)))
}

/// The row of a new (or disconnected) neuron: full self-weight.
pub fn self_row(own: u32) -> RowEntries {
	alloc::vec![(own, ONE_PARTS)]
}

/// Exact squared L2 distance between two rows, in parts squared: the sum over the union of
/// uids of `(a_j - b_j)^2`. Both rows must be sorted by uid. At most `(2 * 1e9)^2`, so it
/// fits `u128` with room to spare.
pub fn l2_distance_sq(a: &[(u32, u32)], b: &[(u32, u32)]) -> u128 {
	let sq = |x: u32, y: u32| -> u128 {
		let d = u128::from(x.abs_diff(y));
		d.saturating_mul(d)
	};
	let (mut i, mut j, mut acc) = (0usize, 0usize, 0u128);
	loop {
		match (a.get(i), b.get(j)) {
			(Some(&(ua, pa)), Some(&(ub, pb))) =>
				if ua == ub {
					acc = acc.saturating_add(sq(pa, pb));
					i = i.saturating_add(1);
					j = j.saturating_add(1);
				} else if ua < ub {
					acc = acc.saturating_add(sq(pa, 0));
					i = i.saturating_add(1);
				} else {
					acc = acc.saturating_add(sq(0, pb));
					j = j.saturating_add(1);
				},
			(Some(&(_, pa)), None) => {
				acc = acc.saturating_add(sq(pa, 0));
				i = i.saturating_add(1);
			},
			(None, Some(&(_, pb))) => {
				acc = acc.saturating_add(sq(0, pb));
				j = j.saturating_add(1);
			},
			(None, None) => return acc,
		}
	}
}

/// Whether moving a row from `from` to `to` stays within the L2 bound `epsilon`:
/// `sum (a_j - b_j)^2 <= (epsilon parts)^2`, compared exactly in integers.
pub fn within_l2_bound(from: &[(u32, u32)], to: &[(u32, u32)], epsilon: Perbill) -> bool {
	let eps = u128::from(epsilon.deconstruct());
	l2_distance_sq(from, to) <= eps.saturating_mul(eps)
}

/// One voter's contribution to the ranking: `floor(s_i * w_ij / n)`, exact (one rounding).
pub fn rank_term(stake: u128, parts: u32, n: u32) -> u128 {
	// floor(floor(x) / n) == floor(x / n) for a positive integer n.
	Perbill::from_parts(parts).mul_floor(stake).checked_div(u128::from(n)).unwrap_or(0)
}

/// The stake-weighted ranking (paper eq. 5): `R_j = sum_i floor(s_i * w_ij / n)`.
///
/// `rows` gives, for each voter, its stake and its row with uids already mapped to column
/// positions `0..columns`. Entries pointing outside are ignored. Each term rounds down by less
/// than one base unit; the sum saturates (it cannot reach `u128::MAX` with real issuance).
pub fn rank<'a>(
	columns: usize,
	n: u32,
	rows: impl IntoIterator<Item = (u128, &'a [(usize, u32)])>,
) -> Vec<u128> {
	let mut ranks = alloc::vec![0u128; columns];
	for (stake, row) in rows {
		for &(col, parts) in row {
			if let Some(r) = ranks.get_mut(col) {
				*r = r.saturating_add(rank_term(stake, parts, n));
			}
		}
	}
	ranks
}

/// The largest value of `tau` that [`inflation`] accepts: `tau * 1e18` must fit `u128`.
pub const MAX_TAU: u128 = u128::MAX / 1_000_000_000_000_000_000;

/// The inflation step (paper eq. 6): `dS_j = floor(tau * R_j / ||R||_2)`.
///
/// The norm is computed in fixed point on the ratios `r_j = R_j / max R` (`FixedU128`, rounded
/// down), with `FixedU128::sqrt`; the division is then exact in integers:
/// `dS_j = floor(floor(tau * 1e18 * R_j / max R) / ||r||)` where `||r||` is taken as its
/// `FixedU128` inner value. The only approximation is `||r||` (relative error below 1e-10 for
/// up to 2^20 columns), so each `dS_j` is within one base unit plus 1e-9 of
/// `tau * R_j / ||R||_2`. Returns all zeros when every `R_j` is zero, and when `tau` exceeds
/// [`MAX_TAU`] (which the pallet never lets happen).
pub fn inflation(ranks: &[u128], tau: u128) -> Vec<u128> {
	let zeros = || alloc::vec![0u128; ranks.len()];
	let r_max = ranks.iter().copied().max().unwrap_or(0);
	if r_max == 0 || tau == 0 {
		return zeros();
	}
	let Some(tau_scaled) = tau.checked_mul(FixedU128::DIV) else { return zeros() };
	// ||r||^2 = sum (R_j / max R)^2, each ratio in [0, 1].
	let norm_sq = ranks.iter().fold(FixedU128::zero(), |acc, &r| {
		let ratio = multiply_by_rational_with_rounding(FixedU128::DIV, r, r_max, Rounding::Down)
			.map(FixedU128::from_inner)
			.unwrap_or_else(FixedU128::zero);
		acc.saturating_add(ratio.saturating_mul(ratio))
	});
	// ||r|| >= 1 since the largest ratio is exactly one.
	let norm = norm_sq.checked_sqrt().unwrap_or_else(FixedU128::one).into_inner().max(FixedU128::DIV);
	ranks
		.iter()
		.map(|&r| {
			multiply_by_rational_with_rounding(tau_scaled, r, r_max, Rounding::Down)
				.and_then(|x| x.checked_div(norm))
				.unwrap_or(0)
		})
		.collect()
}

/// The sparsity of the network (paper section 3): the mean self-weight
/// `(1/n) * sum_i w_ii`, from the sum of self-weight parts over `n` neurons. Rounded down.
pub fn sparsity(self_weight_parts_sum: u64, n: u32) -> Perbill {
	let denominator = u64::from(n).saturating_mul(u64::from(ONE_PARTS));
	if denominator == 0 {
		return Perbill::zero();
	}
	Perbill::from_rational_with_rounding(self_weight_parts_sum.min(denominator), denominator, Rounding::Down)
		.unwrap_or_else(|_| Perbill::zero())
}

/// The adaptive-tau controller (SPEC section 5):
/// `tau <- clamp(tau + gain * max * (target - sparsity), 0, max)`. The step
/// `gain * max * |target - sparsity|` is rounded down.
pub fn adapt_tau(tau: u128, target: Perbill, gain: Perbill, max: u128, sparsity: Perbill) -> u128 {
	let gap = target.deconstruct().abs_diff(sparsity.deconstruct());
	let step = Perbill::from_parts(gap).mul_floor(gain.mul_floor(max));
	let next = if target >= sparsity { tau.saturating_add(step) } else { tau.saturating_sub(step) };
	next.min(max)
}

/// How many times the registration deposit doubles between an empty and a full set of neurons:
/// once for each full sixteenth of `MaxNeurons` registered.
pub const DEPOSIT_DOUBLINGS: u32 = 16;

/// The deposit a registration holds when `n` of at most `max` neurons are registered:
/// `base * 2^floor(16 n / max)` (saturating), so that the price of a slot rises as the slots
/// run out. With `max` 4,096: `base` for the first 256, twice that for the next 256, and so
/// on to `2^15 base` for the last 256, `256 * (2^16 - 1) * base` for all of them.
pub fn registration_deposit(base: u128, n: u32, max: u32) -> u128 {
	let tier = u64::from(n)
		.saturating_mul(u64::from(DEPOSIT_DOUBLINGS))
		.checked_div(u64::from(max.max(1)))
		.unwrap_or(0);
	let tier = u32::try_from(tier).unwrap_or(u32::MAX).min(DEPOSIT_DOUBLINGS);
	base.saturating_mul(1u128.checked_shl(tier).unwrap_or(u128::MAX))
}

/// Whether tau and the inflation mode agree: in adaptive mode, tau must not exceed the
/// controller's `max` (else a block would mint at a tau the controller forbids), and `max` not
/// [`MAX_TAU`]. A fixed tau needs only `tau <= MAX_TAU`.
pub fn params_agree(tau: u128, mode: &crate::InflationMode) -> Result<(), ParamsError> {
	if tau > MAX_TAU {
		return Err(ParamsError::TauTooLarge);
	}
	if let crate::InflationMode::Adaptive { max, .. } = mode {
		if *max > MAX_TAU {
			return Err(ParamsError::TauTooLarge);
		}
		if tau > *max {
			return Err(ParamsError::TauAboveAdaptiveMax);
		}
	}
	Ok(())
}

/// Why [`params_agree`] refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamsError {
	/// Tau, or the adaptive `max`, above [`MAX_TAU`].
	TauTooLarge,
	/// In adaptive mode, tau above the controller's `max`.
	TauAboveAdaptiveMax,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn normalize_splits_by_largest_remainder_with_ties_to_lower_uid() {
		// 1/3 each: 333_333_333 each, one part missing; all remainders equal -> lowest uid.
		let row = normalize(&[(5, 1), (2, 1), (9, 1)]).unwrap();
		assert_eq!(row, vec![(2, 333_333_334), (5, 333_333_333), (9, 333_333_333)]);
	}

	#[test]
	fn normalize_drops_zero_scores_and_rejects_bad_lists() {
		assert_eq!(normalize(&[(1, 0), (2, 7)]).unwrap(), vec![(2, ONE_PARTS)]);
		assert_eq!(normalize(&[]), Err(NormalizeError::Empty));
		assert_eq!(normalize(&[(1, 0), (2, 0)]), Err(NormalizeError::AllZero));
		assert_eq!(normalize(&[(1, 3), (1, 4)]), Err(NormalizeError::DuplicateUid));
	}

	#[test]
	fn normalize_by_hand_example() {
		// 1:2:3 of one billion: 166_666_666.67, 333_333_333.33, 500_000_000.
		let row = normalize(&[(0, 1), (1, 2), (2, 3)]).unwrap();
		assert_eq!(row, vec![(0, 166_666_667), (1, 333_333_333), (2, 500_000_000)]);
	}

	#[test]
	fn l2_distance_counts_the_union_of_uids() {
		let a = vec![(0, 600_000_000), (1, 400_000_000)];
		let b = vec![(1, 400_000_000), (2, 600_000_000)];
		assert_eq!(l2_distance_sq(&a, &b), 2 * 600_000_000u128.pow(2));
		assert_eq!(l2_distance_sq(&a, &a), 0);
		assert!(within_l2_bound(&a, &a, Perbill::zero()));
		// sqrt(2) * 0.6 = 0.8485...: within 0.85, not within 0.84.
		assert!(within_l2_bound(&a, &b, Perbill::from_percent(85)));
		assert!(!within_l2_bound(&a, &b, Perbill::from_percent(84)));
	}

	#[test]
	fn registration_deposit_doubles_each_sixteenth() {
		let max = 4096;
		assert_eq!(registration_deposit(7, 0, max), 7);
		assert_eq!(registration_deposit(7, 255, max), 7);
		assert_eq!(registration_deposit(7, 256, max), 14);
		assert_eq!(registration_deposit(7, 511, max), 14);
		assert_eq!(registration_deposit(7, 4095, max), 7 << 15);
		// Past the limit (never reached: registration stops at max) it stays at 2^16 base.
		assert_eq!(registration_deposit(7, u32::MAX, max), 7 << 16);
		assert_eq!(registration_deposit(u128::MAX, 4095, max), u128::MAX);
		// A small set: max 64, tiers of 4.
		assert_eq!(registration_deposit(1, 3, 64), 1);
		assert_eq!(registration_deposit(1, 4, 64), 2);
		// Locking every slot of 4,096 costs 256 * (2^16 - 1) times the base.
		let all: u128 = (0..max).map(|n| registration_deposit(1, n, max)).sum();
		assert_eq!(all, 256 * 65_535);
	}

	#[test]
	fn params_agree_checks_tau_against_the_mode() {
		use crate::InflationMode::{Adaptive, Fixed};
		let adaptive = |max| Adaptive { target: Perbill::from_percent(50), gain: Perbill::from_percent(1), max };
		assert_eq!(params_agree(MAX_TAU, &Fixed), Ok(()));
		assert_eq!(params_agree(MAX_TAU + 1, &Fixed), Err(ParamsError::TauTooLarge));
		assert_eq!(params_agree(10, &adaptive(10)), Ok(()));
		assert_eq!(params_agree(11, &adaptive(10)), Err(ParamsError::TauAboveAdaptiveMax));
		assert_eq!(params_agree(0, &adaptive(MAX_TAU + 1)), Err(ParamsError::TauTooLarge));
	}

	#[test]
	fn rank_by_hand_example() {
		// n = 2: s = [3e12, 1e12]; rows: 0 -> {0: 1/2, 1: 1/2}, 1 -> {0: 1}.
		// R_0 = (1.5e12 + 1e12)/2 = 1.25e12, R_1 = 1.5e12/2 = 0.75e12.
		let r0 = [(0usize, 500_000_000u32), (1, 500_000_000)];
		let r1 = [(0usize, ONE_PARTS)];
		let ranks = rank(2, 2, [(3_000_000_000_000u128, &r0[..]), (1_000_000_000_000, &r1[..])]);
		assert_eq!(ranks, vec![1_250_000_000_000, 750_000_000_000]);
	}

	#[test]
	fn inflation_by_hand_example() {
		// R = (3, 4) * 1e12: ||R|| = 5e12, tau = 1e12 -> dS = (0.6e12, 0.8e12).
		let ds = inflation(&[3_000_000_000_000, 4_000_000_000_000], 1_000_000_000_000);
		assert_eq!(ds, vec![600_000_000_000, 800_000_000_000]);
		assert_eq!(inflation(&[0, 0], 1_000_000_000_000), vec![0, 0]);
		assert_eq!(inflation(&[5, 0], 0), vec![0, 0]);
	}

	#[test]
	fn adapt_tau_moves_toward_target_and_clamps() {
		let max = 1_000_000_000_000u128;
		let half = Perbill::from_percent(50);
		// Sparsity 100% > target 50%: tau falls by gain * max * 0.5.
		let t = adapt_tau(max, half, Perbill::from_percent(10), max, Perbill::one());
		assert_eq!(t, max - max / 20);
		// Sparsity 0% < target: tau rises, but not past max.
		assert_eq!(adapt_tau(max, half, Perbill::one(), max, Perbill::zero()), max);
		// And never below zero.
		assert_eq!(adapt_tau(10, Perbill::zero(), Perbill::one(), max, Perbill::one()), 0);
	}

	#[test]
	fn sparsity_is_the_mean_self_weight() {
		assert_eq!(sparsity(u64::from(ONE_PARTS) * 3, 4), Perbill::from_percent(75));
		assert_eq!(sparsity(0, 0), Perbill::zero());
	}
}
