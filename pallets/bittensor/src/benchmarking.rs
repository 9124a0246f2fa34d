//! Benchmarks of every call and of the block step (`frame_benchmarking::v2`).

use super::*;
use crate::{impls::to_row, math, pallet::*};
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, Get};
use frame_system::RawOrigin;
use sp_arithmetic::Perbill;

const SEED: u32 = 0;

/// An account with plenty of free balance.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::RegistrationDeposit::get().saturating_add(1_000_000_000_000_000_000_000u128);
	let _ = T::Currency::set_balance(&who, amount);
	who
}

/// Registers `count` funded neurons with stake; returns their accounts in uid order.
fn neurons<T: Config>(count: u32) -> Vec<T::AccountId> {
	(0..count)
		.map(|i| {
			let who = funded::<T>("neuron", i);
			let _ = Pallet::<T>::do_register(who.clone());
			let _ = Pallet::<T>::do_add_stake(who.clone(), 1_000_000_000_000_000u128);
			who
		})
		.collect()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register() {
		neurons::<T>(T::MaxNeurons::get().saturating_sub(1));
		let caller = funded::<T>("caller", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(Uids::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn unregister() {
		// The caller has stake, a full row and a start-of-block row to drop.
		let all = neurons::<T>(T::MaxWeightsPerRow::get());
		let caller = all.first().cloned().unwrap_or_else(|| funded::<T>("caller", 0));
		let scores: Vec<(Uid, u32)> = (0..T::MaxWeightsPerRow::get()).map(|j| (j, 1)).collect();
		MaxWeightChange::<T>::put(Perbill::one());
		let _ = Pallet::<T>::do_set_weights(caller.clone(), scores);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(!Uids::<T>::contains_key(&caller));
	}

	#[benchmark]
	fn add_stake() {
		let caller = neurons::<T>(1).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), 1_000_000_000_000u128);
		assert_eq!(Neurons::<T>::get(0).map(|n| n.stake), Some(1_000_000_000_000_000 + 1_000_000_000_000));
	}

	#[benchmark]
	fn remove_stake() {
		let caller = neurons::<T>(1).remove(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), 1_000_000_000_000u128);
		assert_eq!(Neurons::<T>::get(0).map(|n| n.stake), Some(1_000_000_000_000_000 - 1_000_000_000_000));
	}

	/// `w` entries; the first `set_weights` of the block (it also stores the start row).
	#[benchmark]
	fn set_weights(w: Linear<1, { T::MaxWeightsPerRow::get() }>) {
		let all = neurons::<T>(w);
		let caller = all.first().cloned().unwrap_or_else(|| funded::<T>("caller", 0));
		MaxWeightChange::<T>::put(Perbill::one());
		let scores: Vec<(Uid, u32)> = (0..w).map(|j| (j, j.saturating_add(1))).collect();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), scores);
		assert_eq!(Weights::<T>::get(0).map(|r| r.len() as u32), Some(w));
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

	/// `n` neurons, all staked, holding `e` weight entries in all (at least one and at most
	/// `MaxWeightsPerRow` a row), every row also pointing at a neuron that left in this block
	/// (so every row is rewritten: the worst case), adaptive tau on.
	#[benchmark]
	fn block_step(
		n: Linear<1, { T::MaxNeurons::get() }>,
		e: Linear<1, { T::MaxNeurons::get().saturating_mul(T::MaxWeightsPerRow::get()) }>,
	) {
		let max_row = T::MaxWeightsPerRow::get();
		// One extra neuron that every row points at, and that leaves before the step.
		let all = neurons::<T>(n.saturating_add(1));
		let leaver = all.last().cloned().unwrap_or_else(|| funded::<T>("caller", 0));
		let per_row_total = e.clamp(n, n.saturating_mul(max_row));
		for i in 0..n {
			// Spread the entries evenly; each row leaves one slot for the leaver.
			let extra = u32::from(i < per_row_total % n);
			let k = (per_row_total / n).saturating_add(extra).clamp(1, max_row);
			let mut scores: Vec<(Uid, u32)> =
				(0..k.saturating_sub(1)).map(|t| ((i.saturating_add(t)) % n, t.saturating_add(1))).collect();
			scores.push((n, 1));
			scores.sort_unstable_by_key(|(j, _)| *j);
			scores.dedup_by_key(|(j, _)| *j);
			let row = math::normalize(&scores).unwrap_or_else(|_| math::self_row(i));
			let old = Weights::<T>::get(i).map(|r| r.len() as u64).unwrap_or(0);
			TotalWeightEntries::<T>::mutate(|t| *t = t.saturating_sub(old).saturating_add(row.len() as u64));
			Weights::<T>::insert(i, to_row::<T>(i, &row));
		}
		let _ = Pallet::<T>::do_unregister(leaver);
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
		assert_eq!(Ranks::<T>::get().len() as u32, n);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::default().build(), crate::mock::Test);
}
