//! The structs the pallet stores and returns.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;

/// A neuron's uid: given by a counter at registration, never reused.
pub type Uid = u32;

/// A registered neuron.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Neuron<AccountId> {
	/// The account that registered, and that holds the deposit and the stake.
	pub account: AccountId,
	/// The stake `s_i`, in base units: exactly the account's balance on hold for
	/// `HoldReason::Stake`.
	pub stake: u128,
	/// The registration deposit held (base units), released on `unregister`.
	pub deposit: u128,
}

/// How `InflationPerBlock` (tau) evolves.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum InflationMode {
	/// tau stays as set.
	#[default]
	Fixed,
	/// After each block: `tau <- clamp(tau + gain * max * (target - sparsity), 0, max)`,
	/// where sparsity is the mean self-weight (paper section 3).
	Adaptive {
		/// The sparsity the controller steers toward.
		target: Perbill,
		/// The fraction of `max` moved per unit of sparsity error, per block.
		gain: Perbill,
		/// The largest tau, in base units per block.
		max: u128,
	},
}
