//! Algorithm 1 run in the mock (1,000 blocks in CI, `$BITTENSOR_FUZZ_BLOCKS` from
//! `scripts/fuzz.sh`), with random bounded weight updates, stake moves, and neurons leaving and
//! (re)registering, against the paper's eq. 5 and 6 in f64 (`bittensor-reference`, written from
//! the paper and not from `math`), with `try_state` after every block.

use crate::{mock::*, Error, Event, GenesisIssuance, TotalMinted};
use bittensor_reference::Rng;
use frame_support::assert_ok;
use sp_arithmetic::Perbill;
use std::collections::BTreeMap;

/// Moves row `uid` toward random scores over the neurons `present`, halving the step until the
/// chain accepts it. Returns whether an update landed.
fn bounded_update(rng: &mut Rng, who: AccountId, uid: u32, present: &[u32]) -> bool {
	let current: Vec<(u32, u32)> = Bittensor::effective_row(uid).unwrap();
	let n = present.len() as u64;
	let k = 1 + rng.below(n) as usize;
	let mut target = vec![0u64; present.len()];
	for _ in 0..k {
		target[rng.below(n) as usize] += 1 + rng.below(1_000);
	}
	let target_total: u64 = target.iter().sum();
	for halvings in 0..12u32 {
		// current + (target - current) / 2^halvings, as scores in parts.
		let scores: Vec<(u32, u32)> = present
			.iter()
			.zip(&target)
			.map(|(&j, t)| {
				let c = current.iter().find(|(u, _)| *u == j).map(|(_, p)| *p as f64).unwrap_or(0.0);
				let t = *t as f64 / target_total as f64 * 1e9;
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

/// How many blocks: `$BITTENSOR_FUZZ_BLOCKS`, or 1,000 (`scripts/fuzz.sh` runs 10^4).
fn blocks() -> u32 {
	std::env::var("BITTENSOR_FUZZ_BLOCKS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000)
}

#[test]
fn algorithm_1_with_stake_moves_and_departures_matches_an_f64_model_to_1e_9() {
	const N: u32 = 8;
	const MOST: usize = 12;
	let blocks = blocks();
	let started = std::time::Instant::now();
	let tau = 10_000 * UNIT;
	let stakes: Vec<u128> = (0..N).map(|i| (1_000 + 500 * u128::from(i)) * UNIT).collect();
	ExtBuilder::default()
		.neurons((0..N).map(|i| (u64::from(i) + 1, stakes[i as usize])).collect())
		.epsilon(Perbill::from_percent(10))
		.tau(tau)
		.build_and_execute(|| {
			let mut rng = Rng::new(2026);
			// The model: each present uid's account and stake, by uid.
			let mut model: BTreeMap<u32, (AccountId, f64)> =
				(0..N).map(|i| (i, (u64::from(i) + 1, stakes[i as usize] as f64))).collect();
			// Arrivals are accounts 1 to 40 (endowed by the mock) that are not neurons now.
			let accounts: Vec<AccountId> = (1..=40).collect();
			let issuance0 = Balances::total_issuance();
			let mut minted_by_events: u128 = 0;
			let (mut updates, mut stake_moves, mut departures, mut arrivals) = (0u32, 0u32, 0u32, 0u32);

			for _ in 0..blocks {
				// Now and then a neuron leaves (its stake and deposit go back to it), and a new
				// account registers.
				if rng.below(100) == 0 && model.len() > 2 {
					let uid = *model.keys().nth(rng.below(model.len() as u64) as usize).unwrap();
					let (who, _) = model.remove(&uid).unwrap();
					assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(who)));
					departures += 1;
				}
				if rng.below(100) == 0 && model.len() < MOST {
					let free: Vec<AccountId> =
						accounts.iter().copied().filter(|a| Bittensor::uid_of(a).is_none()).collect();
					let who = free[rng.below(free.len() as u64) as usize];
					assert_ok!(Bittensor::register(RuntimeOrigin::signed(who)));
					model.insert(Bittensor::uid_of(&who).unwrap(), (who, 0.0));
					arrivals += 1;
				}
				let present: Vec<u32> = model.keys().copied().collect();
				// Some neurons move their weights, within the bound.
				for (&uid, &(who, _)) in &model {
					if rng.below(3) == 0 && bounded_update(&mut rng, who, uid, &present) {
						updates += 1;
					}
				}
				// Stake moves, mirrored in the model.
				let uid = present[rng.below(present.len() as u64) as usize];
				let amount = u128::from(rng.below(50)) * UNIT + u128::from(rng.below(1_000_000));
				let (who, s) = model.get_mut(&uid).unwrap();
				if amount > 0 {
					if rng.below(2) == 0 {
						assert_ok!(Bittensor::add_stake(RuntimeOrigin::signed(*who), amount));
						*s += amount as f64;
						stake_moves += 1;
					} else if stake(uid) >= amount {
						assert_ok!(Bittensor::remove_stake(RuntimeOrigin::signed(*who), amount));
						*s -= amount as f64;
						stake_moves += 1;
					}
				}

				// The model's eq. 5 and 6 on the rows as the block step will hold them (entries of
				// neurons that left dropped, `effective_row`).
				let at = |j: u32| present.binary_search(&j).unwrap();
				let w: Vec<Vec<f64>> = present
					.iter()
					.map(|&i| {
						let mut dense = vec![0f64; present.len()];
						for (j, p) in Bittensor::effective_row(i).unwrap() {
							dense[at(j)] = f64::from(p) / 1e9;
						}
						dense
					})
					.collect();
				let s: Vec<f64> = model.values().map(|(_, s)| *s).collect();
				let r = bittensor_reference::ranks(&s, &w);
				for ((_, s), ds) in model.values_mut().zip(bittensor_reference::inflation(&r, tau as f64)) {
					*s += ds;
				}

				System::reset_events();
				next_block();
				if let Some(Event::Ranked { minted, .. }) = bittensor_events().last() {
					minted_by_events += minted;
				}
				for (&j, (_, s)) in &model {
					let chain = stake(j) as f64;
					let err = (chain - s).abs();
					assert!(err <= 1e-9 * s + 1.0, "stake {j}: chain {chain} vs model {s} (error {err})");
				}
			}

			// The run really moved weights and stakes, and neurons came and went.
			let blocks_u = u128::from(blocks);
			assert!(updates > 2 * blocks, "only {updates} weight updates landed");
			assert!(stake_moves > blocks / 2, "only {stake_moves} stake moves");
			assert!(departures > 0 && arrivals > 0, "{departures} departures, {arrivals} arrivals");
			// Issuance grew by exactly what was minted, in integers.
			assert_eq!(Balances::total_issuance(), issuance0 + minted_by_events);
			assert_eq!(TotalMinted::<Test>::get(), minted_by_events);
			assert_eq!(Balances::total_issuance(), GenesisIssuance::<Test>::get() + minted_by_events);
			assert!(minted_by_events >= tau * blocks_u - blocks_u * MOST as u128);
			println!(
				"Algorithm 1: {blocks} blocks (try_state after each), {updates} weight updates, {stake_moves} stake \
				 moves, {departures} departures, {arrivals} arrivals; {minted_by_events} base units minted, issuance \
				 exact; in {:.1} s",
				started.elapsed().as_secs_f64()
			);
		});
}
