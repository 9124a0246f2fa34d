//! Weights of the validator-set calls.
//!
//! Counted, not benchmarked: the calls are the admin's, a few a year, and each does a fixed
//! number of storage accesses plus a scan of at most `MaxValidators` accounts. The figures are
//! the database accesses at the runtime's `DbWeight` plus 25 µs of execution, well above what
//! a scan of 32 accounts costs.

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::WEIGHT_REF_TIME_PER_MICROS, Weight},
};

/// The weights the pallet needs.
pub trait WeightInfo {
	/// `add_validator`, `remove_validator`, `swap_validator` with a set of `n`.
	fn change_set(n: u32) -> Weight;
	/// `force_rotation`.
	fn force_rotation() -> Weight;
}

/// Weights from the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

/// Execution time allowed for a call, besides its storage accesses.
const EXECUTION: Weight = Weight::from_parts(25 * WEIGHT_REF_TIME_PER_MICROS, 0);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn change_set(n: u32) -> Weight {
		// Reads: Validators, PendingRotations, QueueNext, Session::NextKeys.
		// Writes: Validators, PendingRotations, QueueNext.
		// Proof: the set (32 bytes an account) and one session key entry (128 bytes).
		T::DbWeight::get()
			.reads_writes(4, 3)
			.saturating_add(EXECUTION)
			.saturating_add(Weight::from_parts(0, u64::from(n).saturating_mul(32).saturating_add(256)))
	}

	fn force_rotation() -> Weight {
		T::DbWeight::get().reads_writes(2, 2).saturating_add(EXECUTION)
	}
}

/// For tests: the same figures with the mock's database weights.
impl WeightInfo for () {
	fn change_set(n: u32) -> Weight {
		EXECUTION.saturating_add(Weight::from_parts(0, u64::from(n).saturating_mul(32)))
	}

	fn force_rotation() -> Weight {
		EXECUTION
	}
}
