//! Weights for `pallet_bittensor`.
//!
//! PLACEHOLDER, NOT YET BENCHMARKED: these numbers are conservative estimates so that the
//! pallet compiles and charges something. `scripts/benchmark-pallet.sh` regenerates this file
//! with the node's `benchmark pallet` command; until it has been run, the pallet issue is open.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_bittensor`.
pub trait WeightInfo {
	fn register() -> Weight;
	fn unregister() -> Weight;
	fn add_stake() -> Weight;
	fn remove_stake() -> Weight;
	fn set_weights(w: u32) -> Weight;
	fn set_params() -> Weight;
	fn block_step(n: u32, e: u32) -> Weight;
}

/// Weights for `pallet_bittensor` using the node's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(7))
	}
	fn unregister() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().writes(8))
	}
	fn add_stake() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn remove_stake() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn set_weights(w: u32) -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(Weight::from_parts(2_000_000, 100).saturating_mul(w.into()))
			.saturating_add(T::DbWeight::get().reads(4))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(w.into())))
			.saturating_add(T::DbWeight::get().writes(3))
	}
	fn set_params() -> Weight {
		Weight::from_parts(15_000_000, 0).saturating_add(T::DbWeight::get().writes(3))
	}
	fn block_step(n: u32, e: u32) -> Weight {
		Weight::from_parts(20_000_000, 2_000)
			.saturating_add(Weight::from_parts(40_000_000, 3_000).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(500_000, 8).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(6))
			.saturating_add(T::DbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes(6))
			.saturating_add(T::DbWeight::get().writes((3_u64).saturating_mul(n.into())))
	}
}

// For tests and the mock.
impl WeightInfo for () {
	fn register() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(7))
	}
	fn unregister() -> Weight {
		Weight::from_parts(60_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().writes(8))
	}
	fn add_stake() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn remove_stake() -> Weight {
		Weight::from_parts(50_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn set_weights(w: u32) -> Weight {
		Weight::from_parts(30_000_000, 4_000)
			.saturating_add(Weight::from_parts(2_000_000, 100).saturating_mul(w.into()))
			.saturating_add(RocksDbWeight::get().reads(4))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(w.into())))
			.saturating_add(RocksDbWeight::get().writes(3))
	}
	fn set_params() -> Weight {
		Weight::from_parts(15_000_000, 0).saturating_add(RocksDbWeight::get().writes(3))
	}
	fn block_step(n: u32, e: u32) -> Weight {
		Weight::from_parts(20_000_000, 2_000)
			.saturating_add(Weight::from_parts(40_000_000, 3_000).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(500_000, 8).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads(6))
			.saturating_add(RocksDbWeight::get().reads((5_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes(6))
			.saturating_add(RocksDbWeight::get().writes((3_u64).saturating_mul(n.into())))
	}
}
