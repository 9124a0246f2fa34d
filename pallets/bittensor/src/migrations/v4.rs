//! Storage version 3 to 4: parameters that agree.
//!
//! Up to version 3, `set_params` accepted a tau above the adaptive mode's `max` (one block then
//! minted at it before the controller clamped it), and genesis did not check the adaptive `max`
//! against `math::MAX_TAU` (the controller could then push tau past what `math::inflation`
//! accepts, and minting stopped). Version 4 refuses both at every entry point; this step
//! repairs a chain that stored either: the adaptive `max` is cut to `math::MAX_TAU`, and tau
//! to the adaptive `max`. Nothing else changes, and the layout is the same.
//!
//! Cost: two reads; a write only for a value repaired.

use crate::{math, Config, Pallet};
use sp_arithmetic::Perbill;
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
#[cfg(feature = "try-runtime")]
use frame_support::ensure;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// The items this step reads and writes, as versions 3 and 4 encode them.
mod layout {
	use super::*;

	/// `InflationPerBlock`: tau, base units.
	#[frame_support::storage_alias]
	pub type InflationPerBlock<T: Config> = StorageValue<Pallet<T>, u128, ValueQuery>;

	/// `InflationMode` as versions 0 to 4 encode it.
	#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug, Default)]
	pub enum InflationMode {
		/// tau stays as set.
		#[default]
		Fixed,
		/// The adaptive controller, up to `max`.
		Adaptive { target: Perbill, gain: Perbill, max: u128 },
	}

	/// `Inflation`: the mode.
	#[frame_support::storage_alias]
	pub type Inflation<T: Config> = StorageValue<Pallet<T>, InflationMode, ValueQuery>;
}

use layout::InflationMode;

/// `(tau, mode)` made to agree (as `math::params_agree` checks): the adaptive `max` at most
/// `math::MAX_TAU`, tau at most the adaptive `max`, and a fixed tau at most `math::MAX_TAU`.
fn repaired(tau: u128, mode: InflationMode) -> (u128, InflationMode) {
	match mode {
		InflationMode::Fixed => (tau.min(math::MAX_TAU), mode),
		InflationMode::Adaptive { target, gain, max } => {
			let max = max.min(math::MAX_TAU);
			(tau.min(max), InflationMode::Adaptive { target, gain, max })
		},
	}
}

/// The step itself, without the version check: use [`MigrateV3ToV4`].
pub struct InnerMigrateV3ToV4<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV3ToV4<T> {
	fn on_runtime_upgrade() -> Weight {
		let (tau, mode) = (layout::InflationPerBlock::<T>::get(), layout::Inflation::<T>::get());
		let (new_tau, new_mode) = repaired(tau, mode);
		let mut writes = 0u64;
		if new_tau != tau {
			log::warn!(target: "runtime::bittensor", "v4: tau {tau} above its bound, set to {new_tau}");
			layout::InflationPerBlock::<T>::put(new_tau);
			writes = writes.saturating_add(1);
		}
		if new_mode != mode {
			log::warn!(target: "runtime::bittensor", "v4: the adaptive max cut to math::MAX_TAU");
			layout::Inflation::<T>::put(new_mode);
			writes = writes.saturating_add(1);
		}
		T::DbWeight::get().reads_writes(2, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		Ok(Vec::new())
	}

	/// The parameters agree, and the pallet's invariants hold.
	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let (tau, mode) = (layout::InflationPerBlock::<T>::get(), layout::Inflation::<T>::get());
		ensure!(repaired(tau, mode) == (tau, mode), "tau and the inflation mode disagree");
		Pallet::<T>::do_try_state()
	}
}

/// Version 3 to 4, run only on a chain at version 3.
pub type MigrateV3ToV4<T> = VersionedMigration<
	3,
	4,
	InnerMigrateV3ToV4<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
