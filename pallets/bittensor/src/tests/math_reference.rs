//! The `math` kernels against independent references: exact big-integer sums for the
//! ranking, f64 for the inflation step, a direct count for normalization. Property tests over
//! random matrices and stakes at realistic magnitudes (stakes and tau of 10^12 base units and
//! more).

use crate::math::{self, ONE_PARTS};
use proptest::prelude::*;

/// Random rows for `n` neurons: each row a few `(column, raw score)` pairs.
fn matrix(n: usize) -> impl Strategy<Value = Vec<Vec<(u32, u32)>>> {
	prop::collection::vec(
		prop::collection::btree_map(0..n as u32, 0u32..=u32::MAX, 1..=n.min(16)),
		n,
	)
	.prop_map(|rows| rows.into_iter().map(|r| r.into_iter().collect()).collect())
}

fn stakes(n: usize) -> impl Strategy<Value = Vec<u128>> {
	prop::collection::vec(
		prop_oneof![Just(0u128), 1_000_000_000_000u128..=1_000_000_000_000_000_000_000u128],
		n,
	)
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(256))]

	#[test]
	fn normalize_sums_to_exactly_one_and_follows_the_scores(
		scores in prop::collection::btree_map(0u32..1000, 0u32..=u32::MAX, 1..64)
	) {
		let scores: Vec<(u32, u32)> = scores.into_iter().collect();
		let total: u128 = scores.iter().map(|(_, s)| u128::from(*s)).sum();
		match math::normalize(&scores) {
			Err(math::NormalizeError::AllZero) => prop_assert_eq!(total, 0),
			Err(e) => prop_assert!(false, "unexpected {:?}", e),
			Ok(row) => {
				let sum: u64 = row.iter().map(|(_, p)| u64::from(*p)).sum();
				prop_assert_eq!(sum, u64::from(ONE_PARTS));
				prop_assert!(row.windows(2).all(|w| w[0].0 < w[1].0));
				prop_assert!(row.iter().all(|(_, p)| *p > 0));
				// Each share is its exact value rounded down or up (largest remainder).
				for (uid, p) in &row {
					let s = scores.iter().find(|(u, _)| u == uid).unwrap().1;
					let exact_floor = u128::from(s) * u128::from(ONE_PARTS) / total;
					prop_assert!(u128::from(*p) == exact_floor || u128::from(*p) == exact_floor + 1);
				}
			},
		}
	}

	#[test]
	fn rank_is_within_one_base_unit_per_term_of_the_exact_sum(
		(rows, stakes) in (1usize..24).prop_flat_map(|n| (matrix(n), stakes(n)))
	) {
		let n = rows.len();
		let rows: Vec<Vec<(u32, u32)>> =
			rows.iter().map(|r| math::normalize(r).unwrap_or_else(|_| vec![(0, ONE_PARTS)])).collect();
		let cols: Vec<Vec<(usize, u32)>> =
			rows.iter().map(|r| r.iter().map(|(j, p)| (*j as usize, *p)).collect()).collect();
		let ranks = math::rank(n, n as u32, stakes.iter().copied().zip(cols.iter().map(|r| r.as_slice())));
		for j in 0..n {
			// Exact numerator sum_i s_i * p_ij (fits u128 for these magnitudes), and the count of
			// terms in column j.
			let mut numerator: u128 = 0;
			let mut terms: u128 = 0;
			for (i, row) in rows.iter().enumerate() {
				if let Some((_, p)) = row.iter().find(|(c, _)| *c as usize == j) {
					numerator += stakes[i] * u128::from(*p);
					terms += 1;
				}
			}
			let denominator = u128::from(ONE_PARTS) * n as u128;
			let exact_floor = numerator / denominator;
			prop_assert!(ranks[j] <= exact_floor, "column {}: {} > {}", j, ranks[j], exact_floor);
			prop_assert!(ranks[j] + terms >= exact_floor, "column {}: {} + {} < {}", j, ranks[j], terms, exact_floor);
		}
	}

	#[test]
	fn inflation_is_within_one_base_unit_plus_1e9_of_the_f64_value(
		ranks in prop::collection::vec(
			prop_oneof![Just(0u128), 1u128..1_000, 1_000_000u128..=1_000_000_000_000_000_000_000u128],
			1..300,
		),
		tau in 1_000_000_000_000u128..=1_000_000_000_000_000_000u128,
	) {
		let ds = math::inflation(&ranks, tau);
		// Eq. 6 in f64, by the paper's reference model.
		let as_f64: Vec<f64> = ranks.iter().map(|r| *r as f64).collect();
		let reference = bittensor_reference::inflation(&as_f64, tau as f64);
		if ranks.iter().all(|r| *r == 0) {
			prop_assert!(ds.iter().all(|d| *d == 0));
		} else {
			for (d, exact) in ds.iter().zip(&reference) {
				let exact = *exact;
				let tolerance = 1.0 + 1e-9 * exact;
				prop_assert!(((*d as f64) - exact).abs() <= tolerance, "dS {} vs {}", d, exact);
			}
			let minted: u128 = ds.iter().sum();
			let n = ranks.iter().filter(|r| **r > 0).count() as f64;
			prop_assert!(minted as f64 <= tau as f64 * n.sqrt() + n);
			prop_assert!(minted as f64 >= tau as f64 * (1.0 - 1e-9) - ranks.len() as f64);
		}
	}

	#[test]
	fn l2_distance_matches_a_dense_reference(
		a in prop::collection::btree_map(0u32..40, 1u32..=ONE_PARTS, 1..20),
		b in prop::collection::btree_map(0u32..40, 1u32..=ONE_PARTS, 1..20),
	) {
		let a: Vec<(u32, u32)> = a.into_iter().collect();
		let b: Vec<(u32, u32)> = b.into_iter().collect();
		let mut dense = [0i128; 40];
		for (j, p) in &a { dense[*j as usize] += i128::from(*p); }
		for (j, p) in &b { dense[*j as usize] -= i128::from(*p); }
		let reference: u128 = dense.iter().map(|d| (d * d) as u128).sum();
		prop_assert_eq!(math::l2_distance_sq(&a, &b), reference);
	}
}
