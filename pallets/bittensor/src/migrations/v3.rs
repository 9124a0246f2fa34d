//! Storage version 2 to 3: a digest of the neurons' records, and the ranked length of each row.
//!
//! Version 3 adds two values:
//! - `NeuronsDigest`, a hash chain over every registration and unregistration, under which a
//!   node keeps the records (uid, account, deposit) it read. This step starts the chain from
//!   the records as they stand: from 32 zero bytes, one registration a neuron, by uid.
//! - `RankedEntries`, the length of each row as the block step ranked it. The block step
//!   writes it, with the ranking, in the block of the upgrade; until a step has run a row's
//!   stored length stands in (what version 2 returned), so this step leaves it empty.
//!
//! Cost: one read a neuron, and one write.

use crate::{
	impls::{next_digest, RecordChange},
	Config, Pallet,
};
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
}

/// The digest of `records` (sorted by uid) registered one after another from 32 zero bytes.
fn digest_of<AccountId: Encode>(records: &[(u32, layout::Neuron<AccountId>)]) -> [u8; 32] {
	records.iter().fold([0u8; 32], |digest, (uid, n)| {
		next_digest(digest, &RecordChange::Registered { uid: *uid, account: &n.account, deposit: n.deposit })
	})
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
		let n = u64::try_from(records.len()).unwrap_or(u64::MAX);
		log::info!(target: "runtime::bittensor", "v3: the digest of {n} neuron records");
		T::DbWeight::get().reads_writes(n, 1)
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
