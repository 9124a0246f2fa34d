//! The runtime API of the BitTensor pallet.
//!
//! `BittensorApi` is declared here and implemented by the runtime; its methods and types are in
//! the runtime's metadata (v15 and later), so that `state_call("BittensorApi_ranks", "0x")`,
//! polkadot.js `api.call.bittensorApi.ranks()` and subxt's dynamic runtime API calls work without
//! custom type definitions. The node's `bittensor_*` JSON-RPC methods (the `pallet-bittensor-rpc`
//! crate) are a thin layer over it.
//!
//! Amounts are `u128` base units (12 decimals in the runtime), weights are `Perbill`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
use sp_arithmetic::Perbill;

pub use pallet_bittensor::{ChainParams, InflationMode, Neuron, NeuronInfo, NeuronLite, NeuronState, Uid};

sp_api::decl_runtime_apis! {
	/// Reads of the BitTensor pallet's state at a block.
	///
	/// Ranks are those of the block step at the end of the block read; stakes include that
	/// step's inflation; rows leave out neurons that have left (renormalized, as the next block
	/// step will store them).
	///
	/// Version 2 (runtime spec_version 103) adds `neurons_lite` and `rows`; version 3
	/// (spec_version 104) adds `neuron_records` and `neuron_states`, the two halves of
	/// `neurons_lite`, with the digest of the records, so that a node keeps the records by
	/// their digest and reads only the states each block.
	#[api_version(3)]
	pub trait BittensorApi<AccountId> where AccountId: Codec {
		/// Every registered neuron with its stake, deposit, rank and weight row, by uid.
		fn neurons() -> Vec<NeuronInfo<AccountId>>;
		/// Neuron `uid`, or `None` if no neuron has that uid.
		fn neuron(uid: Uid) -> Option<NeuronInfo<AccountId>>;
		/// The ranking `R` of the last block step: `(uid, R_uid)` in base units, by uid.
		fn ranks() -> Vec<(Uid, u128)>;
		/// The stake of neuron `uid` in base units, or `None` if no neuron has that uid.
		fn stake(uid: Uid) -> Option<u128>;
		/// The uid of `account`, or `None` if it is not registered.
		fn uid_of(account: AccountId) -> Option<Uid>;
		/// Row `uid` of the weight matrix, `(uid, w)` by uid, or `None` if no neuron has that uid.
		fn weights(uid: Uid) -> Option<Vec<(Uid, Perbill)>>;
		/// The pallet's parameters, limits and counters.
		fn params() -> ChainParams;
		/// Every registered neuron without its row (the lite metagraph), by uid (since version 2).
		fn neurons_lite() -> Vec<NeuronLite<AccountId>>;
		/// The rows of `uids` in the order given, `None` for a uid not registered; every
		/// neuron's row, by uid, when `uids` is `None` (since version 2).
		fn rows(uids: Option<Vec<Uid>>) -> Vec<(Uid, Option<Vec<(Uid, Perbill)>>)>;
		/// The records (account, deposit) of every registered neuron, by uid, and their digest
		/// (`NeuronsDigest`; at the block that set this code, before its migration, the same
		/// digest made from the records): equal digests, equal records, on any fork.
		#[api_version(3)]
		fn neuron_records() -> ([u8; 32], Vec<(Uid, Neuron<AccountId>)>);
		/// The stake, rank and row length of every registered neuron, by uid, and the digest of
		/// their records.
		#[api_version(3)]
		fn neuron_states() -> ([u8; 32], Vec<NeuronState>);
	}
}
