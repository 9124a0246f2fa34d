//! Storage version 0 to 1: `TotalWeightEntries` recounted from the stored rows.
//!
//! In version 0 a genesis row longer than `MaxWeightsPerRow` was stored as the neuron's
//! self-row while the whole input was added to `TotalWeightEntries`. The counter sizes the
//! block-step weight reserved in every `on_initialize`, so such a chain reserves too much
//! forever, and `try_state` fails on it. This step sets the counter to the number of entries the
//! rows hold. Rows, neurons and every other item keep their encoding.
//!
//! Cost: one read a row, one write (plus the storage version's read and write).

use crate::{Config, Pallet};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;

/// The items this step reads and writes, as version 0 encodes them.
mod v0 {
	use super::*;
	use alloc::vec::Vec;

	/// `Weights`: uid (`u32`, `Twox64Concat`) to the row `Vec<(uid: u32, weight: Perbill parts
	/// as u32)>`.
	#[frame_support::storage_alias]
	pub type Weights<T: Config> = StorageMap<Pallet<T>, Twox64Concat, u32, Vec<(u32, u32)>, OptionQuery>;

	/// `TotalWeightEntries`: `u64`.
	#[frame_support::storage_alias]
	pub type TotalWeightEntries<T: Config> = StorageValue<Pallet<T>, u64, ValueQuery>;
}

/// The step itself, without the version check: use [`MigrateV0ToV1`].
pub struct InnerMigrateV0ToV1<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV0ToV1<T> {
	fn on_runtime_upgrade() -> Weight {
		let (rows, entries) = v0::Weights::<T>::iter_values().fold((0u64, 0u64), |(r, e), row| {
			(r.saturating_add(1), e.saturating_add(u64::try_from(row.len()).unwrap_or(u64::MAX)))
		});
		let before = v0::TotalWeightEntries::<T>::get();
		if before != entries {
			log::info!(
				target: "runtime::bittensor",
				"v1: TotalWeightEntries {before} -> {entries} (counted over {rows} rows)"
			);
		}
		v0::TotalWeightEntries::<T>::put(entries);
		T::DbWeight::get().reads_writes(rows.saturating_add(1), 1)
	}

	/// The rows as version 0 encodes them, to check in `post_upgrade` that they carried over.
	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		let rows: Vec<(u32, Vec<(u32, u32)>)> = v0::Weights::<T>::iter().collect();
		ensure!(
			rows.len() == v0::Weights::<T>::iter_keys().count(),
			"a version 0 row does not decode"
		);
		Ok(rows.encode())
	}

	/// Every row unchanged and readable as today's type, and the counter equal to their
	/// entries. Only this step's items: a later step may still have the rest to migrate (a
	/// version 0 chain reaches today's layout only after every step has run).
	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let rows = Vec::<(u32, Vec<(u32, u32)>)>::decode(&mut state.as_slice())
			.map_err(|_| "pre_upgrade state does not decode")?;
		let mut entries = 0u64;
		for (uid, row) in rows {
			let now = crate::Weights::<T>::get(uid).ok_or("a row did not carry over")?;
			let now: Vec<(u32, u32)> = now.iter().map(|(j, w)| (*j, w.deconstruct())).collect();
			ensure!(now == row, "a row changed");
			entries = entries.saturating_add(u64::try_from(row.len()).unwrap_or(u64::MAX));
		}
		ensure!(crate::TotalWeightEntries::<T>::get() == entries, "the counter is not the rows' entries");
		Ok(())
	}
}

/// Version 0 to 1, run only on a chain at version 0.
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	InnerMigrateV0ToV1<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
