//! The pallet's logic: what each call does after its origin check, the block step, genesis and
//! the state invariants.

use crate::{
	math, pallet::*, types::Neuron, InflationMode, Uid, WeightInfo,
};
use alloc::vec::Vec;
use frame_support::{
	defensive,
	dispatch::DispatchResult,
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::{hold::Unbalanced as HoldUnbalanced, Inspect, InspectHold, MutateHold, Unbalanced},
		tokens::Precision,
	},
};
use sp_arithmetic::Perbill;

/// A row in `math`'s representation: `(uid, parts)`.
pub(crate) fn to_parts(row: &[(Uid, Perbill)]) -> Vec<(Uid, u32)> {
	row.iter().map(|(uid, w)| (*uid, w.deconstruct())).collect()
}

/// A `math` row as stored. Rows from `math` never grow past their input, so the bound holds;
/// if it somehow did not, the row falls back to full self-weight.
pub(crate) fn to_row<T: Config>(own: Uid, entries: &[(Uid, u32)]) -> RowOf<T> {
	let row: Vec<(Uid, Perbill)> =
		entries.iter().map(|(uid, p)| (*uid, Perbill::from_parts(*p))).collect();
	RowOf::<T>::try_from(row).unwrap_or_else(|_| {
		defensive!("a normalized row is never longer than its input; qed");
		self_row::<T>(own)
	})
}

/// The row `{(own, 1)}`.
pub(crate) fn self_row<T: Config>(own: Uid) -> RowOf<T> {
	let mut row = RowOf::<T>::new();
	// MaxWeightsPerRow >= 1 (integrity_test), so one entry always fits.
	let _ = row.try_push((own, Perbill::one()));
	row
}

fn entries_len(n: usize) -> u64 {
	u64::try_from(n).unwrap_or(u64::MAX)
}

impl<T: Config> Pallet<T> {
	/// The share of the block step that `neurons` more neurons and `entries` more weight entries
	/// add, charged to the calls that add them (`on_initialize` reserved for the counts at the
	/// start of the block only).
	pub(crate) fn step_cost_of(neurons: u32, entries: u32) -> Weight {
		T::WeightInfo::block_step(neurons, entries).saturating_sub(T::WeightInfo::block_step(0, 0))
	}

	/// The uid of `who`, if registered.
	pub fn uid_of(who: &T::AccountId) -> Option<Uid> {
		Uids::<T>::get(who)
	}

	/// Row `uid` as it counts now: entries pointing at neurons that left are dropped and the
	/// rest renormalized, as the next block step will store it.
	pub fn effective_row(uid: Uid) -> Option<Vec<(Uid, u32)>> {
		let row = Weights::<T>::get(uid)?;
		Some(Self::without_departed(uid, to_parts(&row)))
	}

	fn without_departed(own: Uid, row: Vec<(Uid, u32)>) -> Vec<(Uid, u32)> {
		math::without_entries(&row, own, Neurons::<T>::contains_key).unwrap_or(row)
	}

	/// Stores `row` as row `uid`, replacing one of `old_len` entries, and keeps the entry
	/// counter in step.
	pub(crate) fn replace_row(uid: Uid, old_len: usize, row: &[(Uid, u32)]) {
		TotalWeightEntries::<T>::mutate(|e| {
			*e = e.saturating_sub(entries_len(old_len)).saturating_add(entries_len(row.len()))
		});
		Weights::<T>::insert(uid, to_row::<T>(uid, row));
	}

	pub(crate) fn do_register(who: T::AccountId) -> Result<Uid, DispatchError> {
		ensure!(!Uids::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
		ensure!(Neurons::<T>::count() < T::MaxNeurons::get(), Error::<T>::TooManyNeurons);
		let uid = NextUid::<T>::get();
		let next = uid.checked_add(1).ok_or(Error::<T>::UidsExhausted)?;
		let deposit = T::RegistrationDeposit::get();
		let reason = HoldReason::RegistrationDeposit.into();
		T::Currency::ensure_can_hold(&reason, &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		T::Currency::hold(&reason, &who, deposit).map_err(|_| Error::<T>::InsufficientBalance)?;
		NextUid::<T>::put(next);
		Neurons::<T>::insert(uid, Neuron { account: who.clone(), stake: 0, deposit });
		Uids::<T>::insert(&who, uid);
		Weights::<T>::insert(uid, self_row::<T>(uid));
		TotalWeightEntries::<T>::mutate(|e| *e = e.saturating_add(1));
		Self::deposit_event(Event::Registered { uid, who, deposit });
		Ok(uid)
	}

	pub(crate) fn do_unregister(who: T::AccountId) -> DispatchResult {
		let uid = Uids::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		let neuron = Neurons::<T>::get(uid).ok_or(Error::<T>::NotRegistered)?;

		T::Currency::release(&HoldReason::Stake.into(), &who, neuron.stake, Precision::Exact)?;
		T::Currency::release(
			&HoldReason::RegistrationDeposit.into(),
			&who,
			neuron.deposit,
			Precision::Exact,
		)?;
		if let Some(row) = Weights::<T>::take(uid) {
			TotalWeightEntries::<T>::mutate(|e| *e = e.saturating_sub(entries_len(row.len())));
		}
		BlockStartWeights::<T>::remove(uid);
		Neurons::<T>::remove(uid);
		Uids::<T>::remove(&who);
		Self::deposit_event(Event::Unregistered {
			uid,
			who,
			stake: neuron.stake,
			deposit: neuron.deposit,
		});
		Ok(())
	}

	/// The uid and record of `who` for a stake change of `amount`.
	fn staker(who: &T::AccountId, amount: u128) -> Result<(Uid, Neuron<T::AccountId>), DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let uid = Uids::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		let neuron = Neurons::<T>::get(uid).ok_or(Error::<T>::NotRegistered)?;
		Ok((uid, neuron))
	}

	pub(crate) fn do_add_stake(who: T::AccountId, amount: u128) -> DispatchResult {
		let (uid, mut neuron) = Self::staker(&who, amount)?;
		let stake = neuron.stake.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		let reason = HoldReason::Stake.into();
		T::Currency::ensure_can_hold(&reason, &who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		T::Currency::hold(&reason, &who, amount).map_err(|_| Error::<T>::InsufficientBalance)?;
		neuron.stake = stake;
		Neurons::<T>::insert(uid, neuron);
		Self::deposit_event(Event::StakeAdded { uid, amount, stake });
		Ok(())
	}

	pub(crate) fn do_remove_stake(who: T::AccountId, amount: u128) -> DispatchResult {
		let (uid, mut neuron) = Self::staker(&who, amount)?;
		let stake = neuron.stake.checked_sub(amount).ok_or(Error::<T>::InsufficientStake)?;

		T::Currency::release(&HoldReason::Stake.into(), &who, amount, Precision::Exact)?;
		neuron.stake = stake;
		Neurons::<T>::insert(uid, neuron);
		Self::deposit_event(Event::StakeRemoved { uid, amount, stake });
		Ok(())
	}

	pub(crate) fn do_set_weights(who: T::AccountId, scores: Vec<(Uid, u32)>) -> DispatchResult {
		let uid = Uids::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(!scores.is_empty(), Error::<T>::EmptyWeights);
		let max = usize::try_from(T::MaxWeightsPerRow::get()).unwrap_or(usize::MAX);
		ensure!(scores.len() <= max, Error::<T>::TooManyWeights);
		let sorted = math::sorted_unique(&scores).map_err(|_| Error::<T>::DuplicateUid)?;
		for (j, _) in &sorted {
			ensure!(Neurons::<T>::contains_key(j), Error::<T>::UnknownUid);
		}
		let row = math::normalize(&sorted).map_err(|e| match e {
			math::NormalizeError::Empty => Error::<T>::EmptyWeights,
			math::NormalizeError::DuplicateUid => Error::<T>::DuplicateUid,
			math::NormalizeError::AllZero => Error::<T>::AllWeightsZero,
		})?;

		// The bound is against the row at the start of the block, with entries of neurons that
		// left since dropped (that clean-up is not the owner's change).
		let current = Weights::<T>::get(uid).unwrap_or_else(|| self_row::<T>(uid));
		let start = BlockStartWeights::<T>::get(uid);
		let baseline =
			Self::without_departed(uid, to_parts(start.as_ref().unwrap_or(&current)));
		ensure!(
			math::within_l2_bound(&baseline, &row, MaxWeightChange::<T>::get()),
			Error::<T>::WeightChangeTooLarge
		);

		if start.is_none() {
			BlockStartWeights::<T>::insert(uid, &current);
		}
		Self::replace_row(uid, current.len(), &row);
		let entries = u32::try_from(row.len()).unwrap_or(u32::MAX);
		Self::deposit_event(Event::WeightsSet { uid, entries });
		Ok(())
	}

	pub(crate) fn do_set_params(
		max_weight_change: Option<Perbill>,
		inflation_per_block: Option<u128>,
		inflation_mode: Option<InflationMode>,
	) -> DispatchResult {
		ensure!(
			max_weight_change.is_some() || inflation_per_block.is_some() || inflation_mode.is_some(),
			Error::<T>::NothingToChange
		);
		if let Some(tau) = inflation_per_block {
			ensure!(tau <= math::MAX_TAU, Error::<T>::InflationTooLarge);
		}
		if let Some(InflationMode::Adaptive { max, .. }) = inflation_mode {
			ensure!(max <= math::MAX_TAU, Error::<T>::InflationTooLarge);
		}

		if let Some(eps) = max_weight_change {
			MaxWeightChange::<T>::put(eps);
		}
		if let Some(tau) = inflation_per_block {
			InflationPerBlock::<T>::put(tau);
		}
		if let Some(mode) = inflation_mode {
			Inflation::<T>::put(mode);
		}
		Self::deposit_event(Event::ParamsChanged {
			max_weight_change: MaxWeightChange::<T>::get(),
			inflation_per_block: InflationPerBlock::<T>::get(),
			inflation_mode: Inflation::<T>::get(),
		});
		Ok(())
	}

	/// The block step (run in `on_finalize`): drops entries that point at departed neurons,
	/// ranks (eq. 5), mints `floor(tau R_j / ||R||)` onto each stake (eq. 6), stores the
	/// ranking, adapts tau when adaptive, and forgets this block's start-of-block rows.
	pub fn block_step() {
		let tau = InflationPerBlock::<T>::get();
		let mut neurons: Vec<(Uid, Neuron<T::AccountId>)> = Neurons::<T>::iter().collect();
		neurons.sort_unstable_by_key(|(uid, _)| *uid);
		let uids: Vec<Uid> = neurons.iter().map(|(uid, _)| *uid).collect();
		let n = u32::try_from(neurons.len()).unwrap_or(u32::MAX);
		let column = |uid: Uid| uids.binary_search(&uid).ok();

		// The rows, with uids mapped to columns; rows that point at departed neurons are
		// renormalized over what remains (not counted against their owner's L2 budget).
		// The entry counter changes by `added - removed`; written once, after the loop.
		let (mut entries_added, mut entries_removed) = (0u64, 0u64);
		let mut rows: Vec<Vec<(usize, u32)>> = Vec::with_capacity(neurons.len());
		let mut self_weight_parts: u64 = 0;
		for (uid, _) in &neurons {
			let stored = Weights::<T>::get(uid).unwrap_or_else(|| {
				defensive!("every neuron has a row; qed");
				self_row::<T>(*uid)
			});
			let mut parts = to_parts(&stored);
			if let Some(cleaned) = math::without_entries(&parts, *uid, |j| column(j).is_some()) {
				entries_removed = entries_removed.saturating_add(entries_len(parts.len()));
				entries_added = entries_added.saturating_add(entries_len(cleaned.len()));
				Weights::<T>::insert(uid, to_row::<T>(*uid, &cleaned));
				parts = cleaned;
			}
			if let Some((_, p)) = parts.iter().find(|(j, _)| j == uid) {
				self_weight_parts = self_weight_parts.saturating_add(u64::from(*p));
			}
			rows.push(parts.iter().filter_map(|(j, p)| column(*j).map(|c| (c, *p))).collect());
		}

		if entries_added != entries_removed {
			TotalWeightEntries::<T>::mutate(|e| {
				*e = e.saturating_sub(entries_removed).saturating_add(entries_added)
			});
		}

		let ranks = math::rank(
			neurons.len(),
			n,
			neurons.iter().zip(rows.iter()).map(|((_, neuron), row)| (neuron.stake, row.as_slice())),
		);
		let minted_per_neuron = math::inflation(&ranks, tau);

		let mut minted: u128 = 0;
		for ((uid, neuron), ds) in neurons.iter_mut().zip(minted_per_neuron) {
			if ds == 0 {
				continue;
			}
			let Some(stake) = neuron.stake.checked_add(ds) else {
				defensive!("a stake cannot approach u128::MAX; qed");
				continue;
			};
			match T::Currency::increase_balance_on_hold(
				&HoldReason::Stake.into(),
				&neuron.account,
				ds,
				Precision::Exact,
			) {
				Ok(_) => {
					neuron.stake = stake;
					Neurons::<T>::insert(*uid, &*neuron);
					minted = minted.saturating_add(ds);
				},
				Err(_) => {
					defensive!("a registered account can always take more on hold; qed");
				},
			}
		}
		if minted > 0 {
			T::Currency::set_total_issuance(T::Currency::total_issuance().saturating_add(minted));
			TotalMinted::<T>::mutate(|m| *m = m.saturating_add(minted));
		}

		let ranking: Vec<(Uid, u128)> = uids.iter().copied().zip(ranks).collect();
		Ranks::<T>::put(BoundedVec::try_from(ranking).unwrap_or_else(|_| {
			defensive!("at most MaxNeurons neurons exist; qed");
			BoundedVec::new()
		}));

		if let InflationMode::Adaptive { target, gain, max } = Inflation::<T>::get() {
			let sparsity = math::sparsity(self_weight_parts, n);
			InflationPerBlock::<T>::put(math::adapt_tau(tau, target, gain, max, sparsity));
		}

		let _ = BlockStartWeights::<T>::clear(u32::MAX, None);
		Self::deposit_event(Event::Ranked { n, minted, tau });
	}

	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		assert!(config.inflation_per_block <= math::MAX_TAU, "genesis tau above math::MAX_TAU");
		MaxWeightChange::<T>::put(config.max_weight_change);
		InflationPerBlock::<T>::put(config.inflation_per_block);
		Inflation::<T>::put(config.inflation_mode);
		for (who, stake) in &config.neurons {
			if let Err(e) = Self::do_register(who.clone()) {
				panic!("genesis: registering {who:?} failed: {e:?}");
			}
			if *stake > 0 {
				if let Err(e) = Self::do_add_stake(who.clone(), *stake) {
					panic!("genesis: staking {stake} for {who:?} failed: {e:?}");
				}
			}
		}
		for (uid, scores) in &config.weights {
			let current = match Weights::<T>::get(uid) {
				Some(row) => row,
				None => panic!("genesis: weights for unregistered uid {uid}"),
			};
			if let Some((j, _)) = scores.iter().find(|(j, _)| !Neurons::<T>::contains_key(j)) {
				panic!("genesis: row {uid} names unregistered uid {j}");
			}
			// A longer row would be stored as a self-row while the counter took the whole
			// input (what storage version 1's migration repairs on older chains).
			if u32::try_from(scores.len()).map_or(true, |len| len > T::MaxWeightsPerRow::get()) {
				panic!("genesis: row {uid} has {} entries, more than MaxWeightsPerRow", scores.len());
			}
			let row = match math::normalize(scores) {
				Ok(row) => row,
				Err(e) => panic!("genesis: row {uid}: {e:?}"),
			};
			Self::replace_row(*uid, current.len(), &row);
		}
		GenesisIssuance::<T>::put(T::Currency::total_issuance());
	}

	/// The invariants of the pallet's state (run after every block in try-runtime, and after
	/// every test in the mock).
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError as E;
		// Every stored value decodes with today's types. A layout change that shipped without
		// its migration shows here, instead of as values the code quietly reads as missing.
		ensure!(
			Neurons::<T>::iter_keys().all(|k| Neurons::<T>::try_get(k).is_ok()),
			E::Other("a Neurons value does not decode")
		);
		ensure!(
			Weights::<T>::iter_keys().all(|k| Weights::<T>::try_get(k).is_ok()),
			E::Other("a Weights row does not decode")
		);
		ensure!(
			Uids::<T>::iter_keys().all(|k| Uids::<T>::try_get(&k).is_ok()),
			E::Other("a Uids value does not decode")
		);
		ensure!(
			BlockStartWeights::<T>::iter_keys().all(|k| BlockStartWeights::<T>::try_get(k).is_ok()),
			E::Other("a BlockStartWeights row does not decode")
		);
		// Values read with `ValueQuery` fall back to their default when they do not decode.
		macro_rules! decodes {
			($($item:ident),*) => {$(
				ensure!(
					!$item::<T>::exists() || $item::<T>::try_get().is_ok(),
					E::Other(concat!(stringify!($item), " does not decode"))
				);
			)*};
		}
		decodes!(
			NextUid,
			TotalWeightEntries,
			Ranks,
			MaxWeightChange,
			InflationPerBlock,
			Inflation,
			TotalMinted,
			GenesisIssuance
		);
		let max_len = usize::try_from(T::MaxWeightsPerRow::get()).unwrap_or(usize::MAX);
		let mut entries: u64 = 0;
		let mut count: u32 = 0;
		for (uid, neuron) in Neurons::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(uid < NextUid::<T>::get(), E::Other("a uid at or above NextUid"));
			ensure!(Uids::<T>::get(&neuron.account) == Some(uid), E::Other("Uids does not map back"));
			let stake_held =
				T::Currency::balance_on_hold(&HoldReason::Stake.into(), &neuron.account);
			ensure!(stake_held == neuron.stake, E::Other("stake differs from the held balance"));
			let deposit_held =
				T::Currency::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &neuron.account);
			ensure!(deposit_held == neuron.deposit, E::Other("deposit differs from the held balance"));
			let row = Weights::<T>::get(uid).ok_or(E::Other("a neuron without a row"))?;
			ensure!(!row.is_empty() && row.len() <= max_len, E::Other("row length out of bounds"));
			ensure!(row.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), E::Other("row not sorted or has duplicates"));
			ensure!(row.iter().all(|(_, w)| !w.is_zero()), E::Other("row has a zero entry"));
			let sum: u64 = row.iter().map(|(_, w)| u64::from(w.deconstruct())).sum();
			ensure!(sum == u64::from(math::ONE_PARTS), E::Other("row does not sum to one"));
			ensure!(
				row.iter().all(|(j, _)| Neurons::<T>::contains_key(j)),
				E::Other("row points at a departed uid after the block step")
			);
			entries = entries.saturating_add(entries_len(row.len()));
		}
		ensure!(count == Neurons::<T>::count(), E::Other("neuron counter differs from the map"));
		ensure!(count <= T::MaxNeurons::get(), E::Other("more than MaxNeurons"));
		ensure!(Uids::<T>::iter().count() == count as usize, E::Other("Uids and Neurons differ in size"));
		ensure!(Weights::<T>::iter().count() == count as usize, E::Other("rows without neurons"));
		ensure!(entries == TotalWeightEntries::<T>::get(), E::Other("entry counter differs from the rows"));
		ensure!(BlockStartWeights::<T>::iter().next().is_none(), E::Other("start-of-block rows left after the step"));
		let ranks = Ranks::<T>::get();
		ensure!(ranks.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), E::Other("ranks not sorted by uid"));
		if T::IssuanceIsClosed::get() {
			ensure!(
				T::Currency::total_issuance() ==
					GenesisIssuance::<T>::get().saturating_add(TotalMinted::<T>::get()),
				E::Other("total issuance is not genesis issuance plus everything minted")
			);
		}
		Ok(())
	}
}
