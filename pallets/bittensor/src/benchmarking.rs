//! Benchmarks of every call and of the block step (`frame_benchmarking::v2`).
//!
//! They make their own neurons and work with the uids they got, on a genesis with room for
//! `MaxNeurons` of them and no rows naming departed neurons (`local_testnet`, the mock).

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

/// Room left under `MaxNeurons`.
fn room<T: Config>() -> u32 {
	T::MaxNeurons::get().saturating_sub(Neurons::<T>::count())
}

/// Fills the network to `MaxNeurons` (the stake vector at its longest); returns the caller,
/// the first of the new neurons.
fn full<T: Config>() -> (T::AccountId, Uid) {
	let all = neurons::<T>(room::<T>());
	all.first().cloned().unwrap_or_else(|| (funded::<T>("caller", 0), 0))
}

/// Gives neuron `uid` `amount` of pending stake: the block step's mint, with all of the
/// ranking on `uid`.
fn pending<T: Config>(uid: Uid, amount: u128) {
	let mut stakes = Stakes::<T>::get().into_inner();
	let ranks: Vec<u128> = stakes.iter().map(|(j, _)| u128::from(*j == uid)).collect();
	let minted = Pallet::<T>::mint(&mut stakes, &ranks, amount);
	assert_eq!(minted, amount, "all of tau goes to the one ranked neuron");
}

/// `n` neurons holding `e` weight entries in all (clamped to two and `MaxWeightsPerRow` a row),
/// every row also pointing at a uid that is not registered (a neuron that left), so that every
/// row needs cleaning: the worst case of the block step. Adaptive tau on.
fn network<T: Config>(n: u32, e: u32) -> (Vec<Uid>, Uid) {
	let max_row = T::MaxWeightsPerRow::get();
	let all = neurons::<T>(n.min(room::<T>()));
	let uids: Vec<Uid> = all.iter().map(|(_, uid)| *uid).collect();
	let count = u32::try_from(uids.len()).unwrap_or(1).max(1);
	// A uid above every registered one, never registered.
	let departed = NextUid::<T>::get();
	let total = e.clamp(count.saturating_mul(2), count.saturating_mul(max_row));
	for (i, own) in (0u32..).zip(uids.iter().copied()) {
		let extra = u32::from(i < total.checked_rem(count).unwrap_or(0));
		let k = total.checked_div(count).unwrap_or(0).saturating_add(extra).clamp(2, max_row);
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
	(uids, departed)
}

/// What a benchmarked block step must have done: ranked every neuron, and stored cleaned as
/// many rows as it may.
fn stepped<T: Config>(uids: &[Uid], departed: Uid) {
	assert_eq!(Ranks::<T>::get().len(), Neurons::<T>::count() as usize);
	let cleaned = uids
		.iter()
		.filter(|u| Weights::<T>::get(u).is_some_and(|r| r.iter().all(|(j, _)| *j != departed)))
		.count();
	assert_eq!(cleaned, uids.len().min(crate::step::MAX_PRUNED_ROWS_PER_BLOCK as usize));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Into a network one short of `MaxNeurons`.
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
		// A full network; the caller has stake with a pending part, a full row and a
		// start-of-block row to drop.
		let all = neurons::<T>(room::<T>());
		let (caller, uid) = all.first().cloned().unwrap_or_else(|| (funded::<T>("caller", 0), 0));
		let row = usize::try_from(T::MaxWeightsPerRow::get()).unwrap_or(usize::MAX);
		let scores: Vec<(Uid, u32)> = all.iter().take(row).map(|(_, uid)| (*uid, 1)).collect();
		MaxWeightChange::<T>::put(Perbill::one());
		let _ = Pallet::<T>::do_set_weights(caller.clone(), scores);
		pending::<T>(uid, STAKE);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));
		assert!(!Uids::<T>::contains_key(&caller));
	}

	/// In a full network, with a pending part to settle first.
	#[benchmark]
	fn add_stake() {
		let (caller, uid) = full::<T>();
		pending::<T>(uid, STAKE);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 1_000_000_000_000u128);
		assert_eq!(Pallet::<T>::stake_of(uid), Some(2 * STAKE + 1_000_000_000_000));
	}

	/// In a full network, with a pending part to settle first.
	#[benchmark]
	fn remove_stake() {
		let (caller, uid) = full::<T>();
		pending::<T>(uid, STAKE);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 1_000_000_000_000u128);
		assert_eq!(Pallet::<T>::stake_of(uid), Some(2 * STAKE - 1_000_000_000_000));
	}

	/// In a full network.
	#[benchmark]
	fn settle_stake() {
		let (_, uid) = full::<T>();
		pending::<T>(uid, STAKE);
		let anyone = funded::<T>("anyone", 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(anyone), uid);
		assert_eq!(Pallet::<T>::stake_of(uid), Some(2 * STAKE));
	}

	/// A row of `w` entries replacing a stored row of `o` (the first `set_weights` of the
	/// block: it also stores the start row). The rows share only the caller's own uid, which
	/// holds nearly all of each, so the move is far within epsilon = 1 while every other uid of
	/// both rows is looked up on its own: `w + o - 1` distinct neurons, the most a call reads.
	#[benchmark]
	fn set_weights(
		w: Linear<1, { T::MaxWeightsPerRow::get() }>,
		o: Linear<1, { T::MaxWeightsPerRow::get() }>,
	) {
		let all = neurons::<T>(w.saturating_add(o).saturating_sub(1).min(room::<T>()));
		let (caller, uid) = all.first().cloned().unwrap_or_else(|| (funded::<T>("caller", 0), 0));
		MaxWeightChange::<T>::put(Perbill::one());
		let others: Vec<Uid> = all.iter().skip(1).map(|(_, j)| *j).collect();
		let row = |from: usize, k: u32| -> Vec<(Uid, u32)> {
			let k = (k as usize).saturating_sub(1);
			core::iter::once((uid, 1_000_000))
				.chain(others.iter().skip(from).take(k).map(|j| (*j, 1)))
				.collect()
		};
		let stored = math::normalize(&row(0, o)).unwrap_or_else(|_| math::self_row(uid));
		let old = Weights::<T>::get(uid).map(|r| r.len()).unwrap_or(0);
		Pallet::<T>::replace_row(uid, old, &stored);
		let scores = row((o as usize).saturating_sub(1), w);
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

	/// The block step over `n` neurons with two entries a row (one pointing at a neuron that
	/// left). With [`block_step_entries`] it gives the step's weight for any `n` and entries.
	#[benchmark]
	fn block_step(n: Linear<1, { T::MaxNeurons::get() }>) {
		let (uids, departed) = network::<T>(n, n.saturating_mul(2));
		#[block]
		{
			Pallet::<T>::block_step();
		}
		stepped::<T>(&uids, departed);
	}

	/// The block step over `MaxNeurons` neurons holding `e` entries in all (at most
	/// `MaxWeightsPerRow` a row): the cost of an entry, over the whole range of entries.
	#[benchmark]
	fn block_step_entries(
		e: Linear<
			{ T::MaxNeurons::get().saturating_mul(2) },
			{ T::MaxNeurons::get().saturating_mul(T::MaxWeightsPerRow::get()) },
		>,
	) {
		let (uids, departed) = network::<T>(T::MaxNeurons::get(), e);
		#[block]
		{
			Pallet::<T>::block_step();
		}
		stepped::<T>(&uids, departed);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::ExtBuilder::default().build(), crate::mock::Test);
}
