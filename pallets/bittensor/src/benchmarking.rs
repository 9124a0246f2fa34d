//! Benchmarks of every call and of the block step (`frame_benchmarking::v2`).
//!
//! They make their own neurons and work with the uids they got, so they run on any genesis.

use super::*;
use crate::{math, pallet::*};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_arithmetic::Perbill;

const SEED: u32 = 0;
/// The stake each benchmark neuron starts with: 1,000 TAO.
const STAKE: u128 = 1_000_000_000_000_000;

/// An account with plenty of free balance.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::RegistrationDeposit::get().saturating_add(1_000_000_000_000_000_000_000u128);
	let _ = T::Currency::set_balance(&who, amount);
	who
}

/// Registers `count` funded, staked neurons; returns their accounts and uids.
fn neurons<T: Config>(count: u32) -> Vec<(T::AccountId, Uid)> {
	(0..count)
		.filter_map(|i| {
			let who = funded::<T>("neuron", i);
			let uid = Pallet::<T>::do_register(who.clone()).ok()?;
			let _ = Pallet::<T>::do_add_stake(who.clone(), STAKE);
			Some((who, uid))
		})
		.collect()
}

/// One neuron to call with.
fn caller<T: Config>() -> (T::AccountId, Uid) {
	neurons::<T>(1).pop().unwrap_or_else(|| (funded::<T>("caller", 0), 0))
}

/// Room left under `MaxNeurons`.
fn room<T: Config>() -> u32 {
	T::MaxNeurons::get().saturating_sub(Neurons::<T>::count())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		neurons::<T>(room::<T>().saturating_sub(1));
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(Uids::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn unregister() {
		// The caller has stake, a full row and a start-of-block row to drop.
		let all = neurons::<T>(T::MaxWeightsPerRow::get().min(room::<T>()));
		let (caller, _) = all.first().cloned().unwrap_or_else(|| (funded::<T>("caller", 0), 0));
		let scores: Vec<(Uid, u32)> = all.iter().map(|(_, uid)| (*uid, 1)).collect();
		MaxWeightChange::<T>::put(Perbill::one());
		let _ = Pallet::<T>::do_set_weights(caller.clone(), scores);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(!Uids::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn add_stake() {
		let (caller, uid) = caller::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 1_000_000_000_000u128);
		assert_eq!(Neurons::<T>::get(uid).map(|n| n.stake), Some(STAKE + 1_000_000_000_000));
	}

	#[benchmark]
	fn remove_stake() {
		let (caller, uid) = caller::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 1_000_000_000_000u128);
		assert_eq!(Neurons::<T>::get(uid).map(|n| n.stake), Some(STAKE - 1_000_000_000_000));
	}

	/// `w` entries; the first `set_weights` of the block (it also stores the start row).
	#[benchmark]
	fn set_weights(w: Linear<1, { T::MaxWeightsPerRow::get() }>) {
		let all = neurons::<T>(w.min(room::<T>()));
		let (caller, uid) = all.first().cloned().unwrap_or_else(|| (funded::<T>("caller", 0), 0));
		MaxWeightChange::<T>::put(Perbill::one());
		// Uniform over the row: from {(uid, 1)} that is an L2 move of sqrt(1 - 1/w) < 1.
		let scores: Vec<(Uid, u32)> = all.iter().map(|(_, j)| (*j, 1)).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), scores);
		assert_eq!(Weights::<T>::get(uid).map(|r| r.len() as u32), Some(w));
	}

	#[benchmark]
	fn set_params() {
		#[extrinsic_call]
		_(
			RawOrigin::Root,
			Some(Perbill::from_percent(10)),
			Some(1_000_000_000_000u128),
			Some(InflationMode::Adaptive {
				target: Perbill::from_percent(50),
				gain: Perbill::from_percent(1),
				max: 10_000_000_000_000u128,
			}),
		);
		assert_eq!(InflationPerBlock::<T>::get(), 1_000_000_000_000u128);
	}

	/// `n` neurons, all staked, holding about `e` weight entries in all (at least one and at
	/// most `MaxWeightsPerRow` a row). Every row also points at a uid that is not registered
	/// (a neuron that left), so every row is rewritten: the worst case. Adaptive tau on.
	#[benchmark]
	fn block_step(
		n: Linear<1, { T::MaxNeurons::get() }>,
		e: Linear<1, { T::MaxNeurons::get().saturating_mul(T::MaxWeightsPerRow::get()) }>,
	) {
		let max_row = T::MaxWeightsPerRow::get();
		let all = neurons::<T>(n.min(room::<T>()));
		let uids: Vec<Uid> = all.iter().map(|(_, uid)| *uid).collect();
		let count = u32::try_from(uids.len()).unwrap_or(1).max(1);
		// A uid above every registered one, never registered.
		let departed = NextUid::<T>::get();
		let total = e.clamp(count, count.saturating_mul(max_row));
		for (i, own) in (0u32..).zip(uids.iter().copied()) {
			let extra = u32::from(i < total.checked_rem(count).unwrap_or(0));
			let k = total.checked_div(count).unwrap_or(0).saturating_add(extra).clamp(1, max_row);
			let mut scores: Vec<(Uid, u32)> = (0..k.saturating_sub(1))
				.filter_map(|t| {
					let at = i.saturating_add(t).checked_rem(count)?;
					Some((*uids.get(at as usize)?, t.saturating_add(1)))
				})
				.collect();
			scores.push((departed, 1));
			let row = math::normalize(&scores).unwrap_or_else(|_| math::self_row(own));
			let old = Weights::<T>::get(own).map(|r| r.len()).unwrap_or(0);
			Pallet::<T>::replace_row(own, old, &row);
		}
		InflationPerBlock::<T>::put(1_000_000_000_000u128);
		Inflation::<T>::put(InflationMode::Adaptive {
			target: Perbill::from_percent(50),
			gain: Perbill::from_percent(1),
			max: 10_000_000_000_000u128,
		});
		#[block]
		{
			Pallet::<T>::block_step();
		}
		assert_eq!(Ranks::<T>::get().len(), Neurons::<T>::count() as usize);
		assert!(uids.iter().all(|u| Weights::<T>::get(u).is_some_and(|r| r.iter().all(|(j, _)| *j != departed))));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::default().build(), crate::mock::Test);
}
