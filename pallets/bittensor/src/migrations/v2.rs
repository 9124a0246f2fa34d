//! Storage version 1 to 2: the stake vector packed into one value, and minted stake pending on
//! the pallet's account.
//!
//! In version 1 each `Neurons` record carried its stake (`account, stake, deposit`), all of it
//! held on the neuron's account, and the block step rewrote every record and every hold each
//! block. Version 2 keeps `Neurons` as `(account, deposit)` and the stakes in `Stakes`, one
//! sorted `(uid, stake)` vector; the block step mints into the pallet account's pending hold.
//! This step moves every stake into `Stakes` unchanged (all settled, since version 1 had no
//! pending part), and gives the pallet account its existential deposit, minted and recorded
//! in `GenesisIssuance` as issuance the block step did not mint.
//!
//! Cost: two reads and a write a neuron, plus `Stakes`, the pallet account, total issuance and
//! `GenesisIssuance`.

use crate::{Config, Pallet};
use alloc::vec::Vec;
#[cfg(feature = "try-runtime")]
use frame_support::ensure;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// The items this step reads, as version 1 encodes them.
mod before {
	use super::*;

	/// A version 1 neuron record.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct Neuron<AccountId> {
		pub account: AccountId,
		pub stake: u128,
		pub deposit: u128,
	}

	/// `Neurons`: uid (`u32`, `Twox64Concat`) to [`Neuron`], with its counter.
	#[frame_support::storage_alias]
	pub type Neurons<T: Config> = CountedStorageMap<
		Pallet<T>,
		Twox64Concat,
		u32,
		Neuron<<T as frame_system::Config>::AccountId>,
		OptionQuery,
	>;
}

/// The items this step writes, as version 2 encodes them.
mod after {
	use super::*;

	/// A version 2 neuron record.
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct Neuron<AccountId> {
		pub account: AccountId,
		pub deposit: u128,
	}

	/// `Neurons`: the same keys and counter, [`Neuron`] values.
	#[frame_support::storage_alias]
	pub type Neurons<T: Config> = CountedStorageMap<
		Pallet<T>,
		Twox64Concat,
		u32,
		Neuron<<T as frame_system::Config>::AccountId>,
		OptionQuery,
	>;

	/// `Stakes`: `(uid, stake)` sorted by uid, at most `MaxNeurons`.
	#[frame_support::storage_alias]
	pub type Stakes<T: Config> = StorageValue<
		Pallet<T>,
		BoundedVec<(u32, u128), <T as crate::Config>::MaxNeurons>,
		ValueQuery,
	>;
}

/// The step itself, without the version check: use [`MigrateV1ToV2`].
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		// `Neurons` keeps its prefix, hashers and counter: only the value's encoding changes.
		let old: Vec<(u32, before::Neuron<T::AccountId>)> = before::Neurons::<T>::iter().collect();
		let mut stakes: Vec<(u32, u128)> = Vec::with_capacity(old.len());
		for (uid, neuron) in old {
			stakes.push((uid, neuron.stake));
			let new = after::Neuron { account: neuron.account, deposit: neuron.deposit };
			after::Neurons::<T>::insert(uid, new);
		}
		stakes.sort_unstable_by_key(|(uid, _)| *uid);
		let n = u64::try_from(stakes.len()).unwrap_or(u64::MAX);
		match BoundedVec::try_from(stakes) {
			Ok(stakes) => after::Stakes::<T>::put(stakes),
			// `Neurons` is bounded by `MaxNeurons` in every version.
			Err(_) => log::error!(target: "runtime::bittensor", "v2: more neurons than MaxNeurons"),
		}
		match Pallet::<T>::ensure_account() {
			Ok(minted) => crate::GenesisIssuance::<T>::mutate(|i| *i = i.saturating_add(minted)),
			Err(e) => log::error!(target: "runtime::bittensor", "v2: pallet account: {e:?}"),
		}
		log::info!(target: "runtime::bittensor", "v2: {n} stakes moved into the stake vector");
		// Per neuron: its read, and the insert's existence check and write. Then the pallet
		// account and issuance (read and written), Stakes and GenesisIssuance (written).
		T::DbWeight::get().reads_writes(n.saturating_mul(2).saturating_add(3), n.saturating_add(4))
	}

	/// The version 1 records, to check in `post_upgrade` that they carried over.
	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		let old: Vec<(u32, before::Neuron<T::AccountId>)> = before::Neurons::<T>::iter().collect();
		ensure!(
			old.len() == before::Neurons::<T>::iter_keys().count(),
			"a version 1 neuron does not decode"
		);
		Ok(old.encode())
	}

	/// Every neuron with its account, deposit and stake, the stake all settled, and the
	/// pallet's invariants (the ledger among them).
	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let old = Vec::<(u32, before::Neuron<T::AccountId>)>::decode(&mut state.as_slice())
			.map_err(|_| "pre_upgrade state does not decode")?;
		ensure!(crate::Stakes::<T>::get().len() == old.len(), "the stake vector is not one a neuron");
		for (uid, was) in old {
			let now = crate::Neurons::<T>::get(uid).ok_or("a neuron did not carry over")?;
			ensure!(now.account == was.account && now.deposit == was.deposit, "a neuron changed");
			ensure!(Pallet::<T>::stake_of(uid) == Some(was.stake), "a stake changed");
			ensure!(Pallet::<T>::pending_of(&was.account, was.stake) == 0, "a stake is not all settled");
		}
		Pallet::<T>::do_try_state()
	}
}

/// Version 1 to 2, run only on a chain at version 1.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
