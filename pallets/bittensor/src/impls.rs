//! The pallet's logic: what each call does after its origin check, the stake ledger, genesis
//! and the state invariants. The block step is in [`crate::step`].

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
		fungible::{hold::Unbalanced as HoldUnbalanced, Inspect, InspectHold, Mutate, MutateHold},
		tokens::Precision,
	},
};
use sp_arithmetic::Perbill;
use sp_runtime::traits::{AccountIdConversion, BlakeTwo256, Hash};

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

pub(crate) fn entries_len(n: usize) -> u64 {
	u64::try_from(n).unwrap_or(u64::MAX)
}

/// The weight of the block step for `n` neurons holding `entries` weight entries in all, by
/// the weights `W`.
///
/// Two benchmarks, each over its whole range: `block_step(n)` with two entries a row, and
/// `block_step_entries(e)` at `MaxNeurons` neurons. The step is a pass over the neurons
/// plus a pass over the entries, so its weight is the first plus the per-entry part of the
/// second (its slope, without its intercept) for the entries beyond the first's `2n`.
pub fn step_weight<W: WeightInfo>(n: u32, entries: u32) -> Weight {
	let beyond = entries.saturating_sub(n.saturating_mul(2));
	W::block_step(n)
		.saturating_add(W::block_step_entries(beyond).saturating_sub(W::block_step_entries(0)))
}

/// The change a registration or unregistration makes to the neurons' records, as it enters
/// [`NeuronsDigest`]'s hash chain.
#[derive(Encode)]
pub(crate) enum RecordChange<'a, AccountId> {
	/// `uid` registered by `account` with `deposit` held.
	Registered { uid: Uid, account: &'a AccountId, deposit: u128 },
	/// `uid` unregistered.
	Unregistered { uid: Uid },
}

/// The digest after `change`: `blake2_256(("bittensor/neurons", digest, change))`.
pub(crate) fn next_digest<AccountId: Encode>(digest: [u8; 32], change: &RecordChange<'_, AccountId>) -> [u8; 32] {
	BlakeTwo256::hash_of(&(b"bittensor/neurons", digest, change)).into()
}

/// The entry of `uid` in a vector sorted by uid (`uid_of` gives an entry's uid), if it is in it.
pub(crate) fn entry_of<V>(sorted: &[V], uid: Uid, uid_of: impl Fn(&V) -> Uid) -> Option<&V> {
	let at = sorted.binary_search_by_key(&uid, uid_of).ok()?;
	sorted.get(at)
}

/// The value of `uid` in a vector sorted by uid (the stake vector, the ranking), if it is in it.
pub(crate) fn value_of<V: Copy>(sorted: &[(Uid, V)], uid: Uid) -> Option<V> {
	entry_of(sorted, uid, |(j, _)| *j).map(|(_, v)| *v)
}

/// The digest of `records` (sorted by uid) registered one after another from 32 zero bytes:
/// what storage version 3's migration stores, and what the runtime API reports at a block whose
/// migration has not run yet (the block that set the code).
pub(crate) fn digest_of_records<'a, AccountId: Encode + 'a>(
	records: impl IntoIterator<Item = (Uid, &'a AccountId, u128)>,
) -> [u8; 32] {
	records.into_iter().fold([0u8; 32], |digest, (uid, account, deposit)| {
		next_digest(digest, &RecordChange::Registered { uid, account, deposit })
	})
}

impl<T: Config> Pallet<T> {
	/// The weight of the block step for `n` neurons holding `entries` weight entries in all
	/// ([`step_weight`] with the runtime's weights).
	pub fn step_weight(n: u32, entries: u32) -> Weight {
		step_weight::<T::WeightInfo>(n, entries)
	}

	/// The share of the block step that `neurons` more neurons and `entries` more weight entries
	/// add, charged to the calls that add them (`on_initialize` reserved for the counts at the
	/// start of the block only).
	pub(crate) fn step_cost_of(neurons: u32, entries: u32) -> Weight {
		T::WeightInfo::block_step(neurons)
			.saturating_sub(T::WeightInfo::block_step(0))
			.saturating_add(
				T::WeightInfo::block_step_entries(entries)
					.saturating_sub(T::WeightInfo::block_step_entries(0)),
			)
	}

	/// The weight of a `set_weights` of `len` entries whose stored rows (the current one and
	/// the start-of-block one) are at most `stored` long: the call, the entries' share of the
	/// block step, and the removal of the start-of-block row that the step does.
	pub(crate) fn set_weights_weight(len: u32, stored: u32) -> Weight {
		T::WeightInfo::set_weights(len, stored)
			.saturating_add(Self::step_cost_of(0, len))
			.saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}

	/// The pallet's account: it holds the minted stake not yet settled onto its neurons (for
	/// `HoldReason::PendingStake`), above an existential deposit of its own.
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The deposit a registration holds now: [`Config::RegistrationDeposit`] doubled for each
	/// full sixteenth of `MaxNeurons` registered ([`math::registration_deposit`]).
	pub fn registration_deposit() -> u128 {
		math::registration_deposit(T::RegistrationDeposit::get(), Neurons::<T>::count(), T::MaxNeurons::get())
	}

	/// Whether an `unregister` from `origin` is free of fees: a registered signer's.
	pub fn is_free_unregister(origin: &frame_system::pallet_prelude::OriginFor<T>) -> bool {
		frame_system::ensure_signed(origin.clone()).is_ok_and(Uids::<T>::contains_key)
	}

	/// The whole stake `S_uid` (settled and pending), if registered.
	pub fn stake_of(uid: Uid) -> Option<u128> {
		value_of(&Stakes::<T>::get(), uid)
	}

	/// Sets `S_uid` in the stake vector (which holds `uid`).
	fn put_stake(uid: Uid, stake: u128) -> DispatchResult {
		Stakes::<T>::try_mutate(|stakes| {
			let at = stakes
				.binary_search_by_key(&uid, |(j, _)| *j)
				.map_err(|_| Error::<T>::NotRegistered)?;
			let entry = stakes.get_mut(at).ok_or(Error::<T>::NotRegistered)?;
			entry.1 = stake;
			Ok(())
		})
	}

	/// The part of `stake` (a neuron's whole stake) not yet on its account `who`'s own hold.
	pub fn pending_of(who: &T::AccountId, stake: u128) -> u128 {
		stake.saturating_sub(T::Currency::balance_on_hold(&HoldReason::Stake.into(), who))
	}

	/// Moves the pending part of `stake` (neuron `uid`'s whole stake, on account `who`) from
	/// the pallet account's pending hold onto `who`'s stake hold, both or neither. Issuance does
	/// not change. Returns the amount moved.
	pub(crate) fn settle(uid: Uid, who: &T::AccountId, stake: u128) -> Result<u128, DispatchError> {
		let pending = Self::pending_of(who, stake);
		if pending == 0 {
			return Ok(0);
		}
		frame_support::storage::with_storage_layer(|| {
			T::Currency::decrease_balance_on_hold(
				&HoldReason::PendingStake.into(),
				&Self::account_id(),
				pending,
				Precision::Exact,
			)?;
			T::Currency::increase_balance_on_hold(
				&HoldReason::Stake.into(),
				who,
				pending,
				Precision::Exact,
			)
		})?;
		Self::deposit_event(Event::StakeSettled { uid, amount: pending, stake });
		Ok(pending)
	}

	pub(crate) fn do_settle_stake(uid: Uid) -> DispatchResult {
		let neuron = Neurons::<T>::get(uid).ok_or(Error::<T>::UnknownUid)?;
		let stake = Self::stake_of(uid).ok_or(Error::<T>::UnknownUid)?;
		let moved = Self::settle(uid, &neuron.account, stake)?;
		ensure!(moved > 0, Error::<T>::NothingToSettle);
		Ok(())
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
		let deposit = Self::registration_deposit();
		let reason = HoldReason::RegistrationDeposit.into();
		T::Currency::ensure_can_hold(&reason, &who, deposit)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		T::Currency::hold(&reason, &who, deposit).map_err(|_| Error::<T>::InsufficientBalance)?;
		// Uids only grow, so the new one goes last and the vector stays sorted.
		Stakes::<T>::try_append((uid, 0u128)).map_err(|_| Error::<T>::TooManyNeurons)?;
		NextUid::<T>::put(next);
		Neurons::<T>::insert(uid, Neuron { account: who.clone(), deposit });
		Uids::<T>::insert(&who, uid);
		Weights::<T>::insert(uid, self_row::<T>(uid));
		TotalWeightEntries::<T>::mutate(|e| *e = e.saturating_add(1));
		let change = RecordChange::Registered { uid, account: &who, deposit };
		NeuronsDigest::<T>::mutate(|d| *d = next_digest(*d, &change));
		Self::deposit_event(Event::Registered { uid, who, deposit });
		Ok(uid)
	}

	pub(crate) fn do_unregister(who: T::AccountId) -> DispatchResult {
		let uid = Uids::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
		let neuron = Neurons::<T>::get(uid).ok_or(Error::<T>::NotRegistered)?;
		let mut stakes = Stakes::<T>::get();
		let at = stakes
			.binary_search_by_key(&uid, |(j, _)| *j)
			.map_err(|_| Error::<T>::NotRegistered)?;
		let (_, stake) = stakes.remove(at);

		Self::settle(uid, &who, stake)?;
		T::Currency::release(&HoldReason::Stake.into(), &who, stake, Precision::Exact)?;
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
		Stakes::<T>::put(stakes);
		Neurons::<T>::remove(uid);
		Uids::<T>::remove(&who);
		let change: RecordChange<'_, T::AccountId> = RecordChange::Unregistered { uid };
		NeuronsDigest::<T>::mutate(|d| *d = next_digest(*d, &change));
		Self::deposit_event(Event::Unregistered { uid, who, stake, deposit: neuron.deposit });
		Ok(())
	}

	/// The uid and whole stake of `who` for a stake change of `amount`.
	fn staker(who: &T::AccountId, amount: u128) -> Result<(Uid, u128), DispatchError> {
		ensure!(amount > 0, Error::<T>::ZeroAmount);
		let uid = Uids::<T>::get(who).ok_or(Error::<T>::NotRegistered)?;
		let stake = Self::stake_of(uid).ok_or(Error::<T>::NotRegistered)?;
		Ok((uid, stake))
	}

	pub(crate) fn do_add_stake(who: T::AccountId, amount: u128) -> DispatchResult {
		let (uid, old) = Self::staker(&who, amount)?;
		let stake = old.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		let reason = HoldReason::Stake.into();
		T::Currency::ensure_can_hold(&reason, &who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;

		Self::settle(uid, &who, old)?;
		T::Currency::hold(&reason, &who, amount).map_err(|_| Error::<T>::InsufficientBalance)?;
		Self::put_stake(uid, stake)?;
		Self::deposit_event(Event::StakeAdded { uid, amount, stake });
		Ok(())
	}

	pub(crate) fn do_remove_stake(who: T::AccountId, amount: u128) -> DispatchResult {
		let (uid, old) = Self::staker(&who, amount)?;
		let stake = old.checked_sub(amount).ok_or(Error::<T>::InsufficientStake)?;

		Self::settle(uid, &who, old)?;
		T::Currency::release(&HoldReason::Stake.into(), &who, amount, Precision::Exact)?;
		Self::put_stake(uid, stake)?;
		Self::deposit_event(Event::StakeRemoved { uid, amount, stake });
		Ok(())
	}

	/// Returns the length of the longer of the stored rows it read, the current one and the
	/// start-of-block one (what the call is charged for).
	pub(crate) fn do_set_weights(
		who: T::AccountId,
		scores: Vec<(Uid, u32)>,
	) -> Result<u32, DispatchError> {
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
		let row_len = u32::try_from(row.len()).unwrap_or(u32::MAX);
		Self::deposit_event(Event::WeightsSet { uid, row_len });
		// The stored rows read: the current one, and the start-of-block one when it differs.
		let read = start.as_ref().map_or(current.len(), |s| s.len().max(current.len()));
		Ok(u32::try_from(read).unwrap_or(u32::MAX))
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
		// The pair as it will stand: what is given, or else what is stored.
		let tau = inflation_per_block.unwrap_or_else(InflationPerBlock::<T>::get);
		let mode = inflation_mode.unwrap_or_else(Inflation::<T>::get);
		math::params_agree(tau, &mode).map_err(|e| match e {
			math::ParamsError::TauTooLarge => Error::<T>::InflationTooLarge,
			math::ParamsError::TauAboveAdaptiveMax => Error::<T>::InflationAboveAdaptiveMax,
		})?;

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

	pub(crate) fn build_genesis(config: &GenesisConfig<T>) {
		match math::params_agree(config.inflation_per_block, &config.inflation_mode) {
			Ok(()) => {},
			Err(math::ParamsError::TauTooLarge) =>
				panic!("genesis: inflationPerBlock or the adaptive max is above math::MAX_TAU ({})", math::MAX_TAU),
			Err(math::ParamsError::TauAboveAdaptiveMax) => panic!(
				"genesis: inflationPerBlock ({}) is above the adaptive mode's max",
				config.inflation_per_block
			),
		}
		MaxWeightChange::<T>::put(config.max_weight_change);
		InflationPerBlock::<T>::put(config.inflation_per_block);
		Inflation::<T>::put(config.inflation_mode);
		// The pallet's account, kept alive by an existential deposit of its own, holds what
		// the block step mints until it is settled onto the neurons.
		if let Err(e) = Self::ensure_account() {
			panic!("genesis: creating the pallet account failed: {e:?}");
		}
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

	/// Mints the pallet account's existential deposit if it has less free balance than that.
	/// Returns what it minted.
	pub(crate) fn ensure_account() -> Result<u128, DispatchError> {
		let account = Self::account_id();
		let missing =
			T::Currency::minimum_balance().saturating_sub(T::Currency::balance(&account));
		if missing > 0 {
			T::Currency::mint_into(&account, missing)?;
		}
		Ok(missing)
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
			Stakes,
			TotalWeightEntries,
			Ranks,
			RankedEntries,
			NeuronsDigest,
			MaxWeightChange,
			InflationPerBlock,
			Inflation,
			TotalMinted,
			GenesisIssuance
		);
		ensure!(
			math::params_agree(InflationPerBlock::<T>::get(), &Inflation::<T>::get()).is_ok(),
			E::Other("tau and the inflation mode disagree")
		);
		let max_len = usize::try_from(T::MaxWeightsPerRow::get()).unwrap_or(usize::MAX);
		let stakes = Stakes::<T>::get();
		ensure!(
			stakes.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)),
			E::Other("stake vector not sorted by uid")
		);
		ensure!(stakes.len() == Neurons::<T>::count() as usize, E::Other("stake vector and neurons differ in size"));
		let mut entries: u64 = 0;
		let mut count: u32 = 0;
		// The ledger: every S_j is its settled part (held on its account) plus its pending part,
		// and the pending parts are exactly what the pallet account holds as pending.
		let (mut total_stake, mut total_held) = (0u128, 0u128);
		for (uid, neuron) in Neurons::<T>::iter() {
			count = count.saturating_add(1);
			ensure!(uid < NextUid::<T>::get(), E::Other("a uid at or above NextUid"));
			ensure!(Uids::<T>::get(&neuron.account) == Some(uid), E::Other("Uids does not map back"));
			let stake = value_of(&stakes, uid).ok_or(E::Other("a neuron not in the stake vector"))?;
			let stake_held =
				T::Currency::balance_on_hold(&HoldReason::Stake.into(), &neuron.account);
			ensure!(stake_held <= stake, E::Other("more held as stake than the neuron's stake"));
			total_stake = total_stake.checked_add(stake).ok_or(E::Other("stakes overflow"))?;
			total_held = total_held.saturating_add(stake_held);
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
				row.iter().all(|(j, _)| *j < NextUid::<T>::get()),
				E::Other("row points at a uid never given out")
			);
			entries = entries.saturating_add(entries_len(row.len()));
		}
		ensure!(count == Neurons::<T>::count(), E::Other("neuron counter differs from the map"));
		ensure!(count <= T::MaxNeurons::get(), E::Other("more than MaxNeurons"));
		ensure!(Uids::<T>::iter().count() == count as usize, E::Other("Uids and Neurons differ in size"));
		ensure!(Weights::<T>::iter().count() == count as usize, E::Other("rows without neurons"));
		ensure!(entries == TotalWeightEntries::<T>::get(), E::Other("entry counter differs from the rows"));
		ensure!(BlockStartWeights::<T>::iter().next().is_none(), E::Other("start-of-block rows left after the step"));
		let account = Self::account_id();
		let pending = T::Currency::balance_on_hold(&HoldReason::PendingStake.into(), &account);
		ensure!(
			total_held.checked_add(pending) == Some(total_stake),
			E::Other("held stake plus the pending hold differs from the sum of the stake vector")
		);
		ensure!(
			T::Currency::balance(&account) >= T::Currency::minimum_balance(),
			E::Other("the pallet account is below its existential deposit")
		);
		let ranks = Ranks::<T>::get();
		ensure!(ranks.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)), E::Other("ranks not sorted by uid"));
		// The block step writes the ranking and the ranked row lengths together.
		let ranked = RankedEntries::<T>::get();
		ensure!(
			ranked.len() == ranks.len() && ranked.iter().zip(ranks.iter()).all(|(e, r)| e.0 == r.0),
			E::Other("ranked entries and ranks name different uids")
		);
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
