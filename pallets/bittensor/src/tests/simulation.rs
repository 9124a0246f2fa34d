//! Algorithm 1 run for 1,000 blocks in the mock, with random bounded weight updates and stake
//! moves, against the paper's eq. 5 and 6 in f64 (`bittensor-reference`, written from the
//! paper and not from `math`).

use crate::{mock::*, Error, Event, GenesisIssuance, TotalMinted};
use bittensor_reference::Rng;
use frame_support::assert_ok;
use sp_arithmetic::Perbill;

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
			let mut rng = Rng::new(2026);
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
				let w: Vec<Vec<f64>> = (0..N)
					.map(|i| {
						let mut dense = vec![0f64; N as usize];
						for (j, p) in row(i) {
							dense[j as usize] = f64::from(p) / 1e9;
						}
						dense
					})
					.collect();
				let r = bittensor_reference::ranks(&model, &w);
				for (s, ds) in model.iter_mut().zip(bittensor_reference::inflation(&r, tau as f64)) {
					*s += ds;
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
