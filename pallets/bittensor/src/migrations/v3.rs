//! Storage version 2 to 3: a digest of the neurons' records, and the ranked length of each row.
//!
//! Version 3 adds two values:
//! - `NeuronsDigest`, a hash chain over every registration and unregistration, under which a
//!   node keeps the records (uid, account, deposit) it read. This step starts the chain from
//!   the records as they stand: from 32 zero bytes, one registration a neuron, by uid.
//! - `RankedEntries`, the length of each row as the block step ranked it, written by the block
//!   step with the ranking. This step writes it for the ranking it finds (the last block's): a
//!   row's entries naming neurons in the stake vector, as that step counted them.
//!
//! Cost: two reads a neuron (its record and its row), three values read, two written.

use crate::{impls::digest_of_records, math, Config, Pallet};
use alloc::vec::Vec;
#[cfg(feature = "try-runtime")]
use frame_support::ensure;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// The items this step reads and writes, as version 3 encodes them (`Neurons` as in
/// version 2).
mod layout {
	use super::*;

	/// A neuron record (versions 2 and 3).
	#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
	pub struct Neuron<AccountId> {
		pub account: AccountId,
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

	/// `NeuronsDigest`: 32 bytes.
	#[frame_support::storage_alias]
	pub type NeuronsDigest<T: Config> = StorageValue<Pallet<T>, [u8; 32], ValueQuery>;

	/// `Stakes` and `Ranks`: `(uid, value)` sorted by uid.
	#[frame_support::storage_alias]
	pub type Stakes<T: Config> = StorageValue<Pallet<T>, Vec<(u32, u128)>, ValueQuery>;
	#[frame_support::storage_alias]
	pub type Ranks<T: Config> = StorageValue<Pallet<T>, Vec<(u32, u128)>, ValueQuery>;

	/// `Weights`: uid (`Twox64Concat`) to its row, `(uid, Perbill parts)`.
	#[frame_support::storage_alias]
	pub type Weights<T: Config> = StorageMap<Pallet<T>, Twox64Concat, u32, Vec<(u32, u32)>, OptionQuery>;

	/// `RankedEntries`: `(uid, entries)` sorted by uid, at most `MaxNeurons`.
	#[frame_support::storage_alias]
	pub type RankedEntries<T: Config> = StorageValue<
		Pallet<T>,
		BoundedVec<(u32, u32), <T as crate::Config>::MaxNeurons>,
		ValueQuery,
	>;
}

/// The length of each row of the ranking found, as its block step counted it: the row with the
/// entries naming a neuron not in the stake vector dropped (`math::without_entries`).
fn ranked_entries<T: Config>() -> Vec<(u32, u32)> {
	let stakes = layout::Stakes::<T>::get();
	let present = |j: u32| stakes.binary_search_by_key(&j, |(uid, _)| *uid).is_ok();
	layout::Ranks::<T>::get()
		.into_iter()
		.map(|(uid, _)| {
			let row = layout::Weights::<T>::get(uid).unwrap_or_default();
			let len = math::without_entries(&row, uid, present).map_or(row.len(), |cleaned| cleaned.len());
			(uid, u32::try_from(len).unwrap_or(u32::MAX))
		})
		.collect()
}

/// The digest of `records` (sorted by uid) registered one after another from 32 zero bytes.
fn digest_of<AccountId: Encode>(records: &[(u32, layout::Neuron<AccountId>)]) -> [u8; 32] {
	digest_of_records(records.iter().map(|(uid, n)| (*uid, &n.account, n.deposit)))
}

fn records<T: Config>() -> Vec<(u32, layout::Neuron<T::AccountId>)> {
	let mut records: Vec<_> = layout::Neurons::<T>::iter().collect();
	records.sort_unstable_by_key(|(uid, _)| *uid);
	records
}

/// The step itself, without the version check: use [`MigrateV2ToV3`].
pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
	fn on_runtime_upgrade() -> Weight {
		let records = records::<T>();
		layout::NeuronsDigest::<T>::put(digest_of(&records));
		let ranked = ranked_entries::<T>();
		let rows = u64::try_from(ranked.len()).unwrap_or(u64::MAX);
		match BoundedVec::try_from(ranked) {
			Ok(ranked) => layout::RankedEntries::<T>::put(ranked),
			// `Ranks` is bounded by `MaxNeurons` in every version.
			Err(_) => log::error!(target: "runtime::bittensor", "v3: a ranking longer than MaxNeurons"),
		}
		let n = u64::try_from(records.len()).unwrap_or(u64::MAX);
		log::info!(target: "runtime::bittensor", "v3: the digest of {n} neuron records, {rows} ranked rows");
		// Each record and each ranked row, `Stakes` and `Ranks`; the digest and the lengths.
		T::DbWeight::get().reads_writes(n.saturating_add(rows).saturating_add(2), 2)
	}

	/// The records, to check in `post_upgrade` that the digest is theirs.
	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		let records = records::<T>();
		ensure!(
			records.len() == layout::Neurons::<T>::iter_keys().count(),
			"a version 2 neuron does not decode"
		);
		Ok(records.encode())
	}

	/// The records unchanged, the digest theirs, and the pallet's invariants.
	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let before = Vec::<(u32, layout::Neuron<T::AccountId>)>::decode(&mut state.as_slice())
			.map_err(|_| "pre_upgrade state does not decode")?;
		ensure!(records::<T>() == before, "the neuron records changed");
		ensure!(layout::NeuronsDigest::<T>::get() == digest_of(&before), "the digest is not the records'");
		ensure!(layout::RankedEntries::<T>::get().into_inner() == ranked_entries::<T>(), "the ranked lengths are not the rows'");
		Pallet::<T>::do_try_state()
	}
}

/// Version 2 to 3, run only on a chain at version 2.
pub type MigrateV2ToV3<T> = VersionedMigration<
	2,
	3,
	InnerMigrateV2ToV3<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
