//! Algorithm 1 run for 1,000 blocks in the mock, with random bounded weight updates and stake
//! moves, against an independent f64 implementation of eq. 5 and 6.

use crate::{mock::*, Error, Event, GenesisIssuance, TotalMinted};
use frame_support::assert_ok;
use sp_arithmetic::Perbill;

/// A small deterministic generator (SplitMix64), so the run is the same every time.
struct Rng(u64);
impl Rng {
	fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n
	}
}

/// Moves row `uid` toward random scores, halving the step until the chain accepts it.
/// Returns whether an update landed.
fn bounded_update(rng: &mut Rng, who: AccountId, uid: u32, n: u32) -> bool {
	let current: Vec<(u32, u32)> = row(uid);
	let k = 1 + rng.below(u64::from(n)) as usize;
	let mut target = vec![0u64; n as usize];
	for _ in 0..k {
		target[rng.below(u64::from(n)) as usize] += 1 + rng.below(1_000);
	}
	let target_total: u64 = target.iter().sum();
	for halvings in 0..12u32 {
		// current + (target - current) / 2^halvings, as scores in parts.
		let scores: Vec<(u32, u32)> = (0..n)
			.map(|j| {
				let c = current.iter().find(|(u, _)| *u == j).map(|(_, p)| *p as f64).unwrap_or(0.0);
				let t = target[j as usize] as f64 / target_total as f64 * 1e9;
				let v = c + (t - c) / f64::from(1u32 << halvings);
				(j, v.round() as u32)
			})
			.collect();
		match Bittensor::set_weights(RuntimeOrigin::signed(who), scores) {
			Ok(_) => return true,
			Err(e) if e.error == Error::<Test>::WeightChangeTooLarge.into() => continue,
			Err(e) => panic!("unexpected rejection: {e:?}"),
		}
	}
	false
}

#[test]
fn algorithm_1_for_1000_blocks_matches_an_f64_model_to_1e_9() {
	const N: u32 = 8;
	const BLOCKS: u32 = 1_000;
	let tau = 10_000 * UNIT;
	let stakes: Vec<u128> = (0..N).map(|i| (1_000 + 500 * u128::from(i)) * UNIT).collect();
	ExtBuilder::default()
		.neurons((0..N).map(|i| (u64::from(i) + 1, stakes[i as usize])).collect())
		.epsilon(Perbill::from_percent(10))
		.tau(tau)
		.build_and_execute(|| {
			let mut rng = Rng(2026);
			let mut model: Vec<f64> = stakes.iter().map(|s| *s as f64).collect();
			let issuance0 = Balances::total_issuance();
			let mut minted_by_events: u128 = 0;
			let (mut updates, mut stake_moves) = (0u32, 0u32);

			for _ in 0..BLOCKS {
				// Some neurons move their weights, within the bound.
				for i in 0..N {
					if rng.below(3) == 0 && bounded_update(&mut rng, u64::from(i) + 1, i, N) {
						updates += 1;
					}
				}
				// Stake moves, mirrored in the model.
				let i = rng.below(u64::from(N)) as u32;
				let amount = u128::from(rng.below(50)) * UNIT + u128::from(rng.below(1_000_000));
				if amount > 0 {
					if rng.below(2) == 0 {
						assert_ok!(Bittensor::add_stake(RuntimeOrigin::signed(u64::from(i) + 1), amount));
						model[i as usize] += amount as f64;
						stake_moves += 1;
					} else if stake(i) >= amount {
						assert_ok!(Bittensor::remove_stake(RuntimeOrigin::signed(u64::from(i) + 1), amount));
						model[i as usize] -= amount as f64;
						stake_moves += 1;
					}
				}

				// The model's eq. 5 and 6 on the rows as the chain holds them.
				let w: Vec<Vec<(u32, u32)>> = (0..N).map(row).collect();
				let mut r = vec![0f64; N as usize];
				for (i, row_i) in w.iter().enumerate() {
					for (j, p) in row_i {
						r[*j as usize] += model[i] * (*p as f64 / 1e9) / f64::from(N);
					}
				}
				let norm = r.iter().map(|x| x * x).sum::<f64>().sqrt();
				for j in 0..N as usize {
					model[j] += tau as f64 * r[j] / norm;
				}

				System::reset_events();
				next_block();
				if let Some(Event::Ranked { minted, .. }) = bittensor_events().last() {
					minted_by_events += minted;
				}
				for j in 0..N {
					let chain = stake(j) as f64;
					let rel = (chain - model[j as usize]).abs() / model[j as usize];
					assert!(rel <= 1e-9, "stake {j}: chain {chain} vs model {} (rel {rel})", model[j as usize]);
				}
			}

			// The run really moved weights and stakes.
			assert!(updates > 2_000, "only {updates} weight updates landed");
			assert!(stake_moves > 500, "only {stake_moves} stake moves");
			// Issuance grew by exactly what was minted, in integers.
			assert_eq!(Balances::total_issuance(), issuance0 + minted_by_events);
			assert_eq!(TotalMinted::<Test>::get(), minted_by_events);
			assert_eq!(Balances::total_issuance(), GenesisIssuance::<Test>::get() + minted_by_events);
			assert!(minted_by_events >= tau * u128::from(BLOCKS) - u128::from(BLOCKS * N));
		});
}
