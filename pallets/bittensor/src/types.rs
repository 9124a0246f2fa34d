//! The structs the pallet stores and returns.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use alloc::vec::Vec;
use sp_arithmetic::Perbill;

/// A neuron's uid: given by a counter at registration, never reused.
pub type Uid = u32;

/// A registered neuron. Its stake is not here but in the packed stake vector `Stakes`, which
/// the block step rewrites in one write.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Neuron<AccountId> {
	/// The account that registered, and that holds the deposit and the settled stake.
	pub account: AccountId,
	/// The registration deposit held (base units), released on `unregister`.
	pub deposit: u128,
}

/// The records of neurons, `(uid, record)` by uid, as the runtime API returns them.
pub type Records<AccountId> = Vec<(Uid, Neuron<AccountId>)>;

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

/// A neuron as the runtime API returns it: the stored record, its rank and its row.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NeuronInfo<AccountId> {
	/// The neuron's uid.
	pub uid: Uid,
	/// The account that registered it.
	pub account: AccountId,
	/// Its stake `s_i`, in base units.
	pub stake: u128,
	/// Its registration deposit, in base units.
	pub deposit: u128,
	/// Its rank `R_i` from the last block step, in base units (0 if registered since).
	pub rank: u128,
	/// Its weight row `w_i`: `(uid, w_ij)` sorted by uid, summing to one (full self-weight
	/// until it sets weights). Entries for neurons that left are dropped and the rest
	/// renormalized, as the next block step stores them.
	pub weights: Vec<(Uid, Perbill)>,
}

/// A neuron without its row, as the runtime API's lite metagraph returns it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NeuronLite<AccountId> {
	/// The neuron's uid.
	pub uid: Uid,
	/// The account that registered it.
	pub account: AccountId,
	/// Its stake `s_i`, in base units.
	pub stake: u128,
	/// Its registration deposit, in base units.
	pub deposit: u128,
	/// Its rank `R_i` from the last block step, in base units (0 if registered since).
	pub rank: u128,
	/// The number of entries of its row as the block step ranked it (the length of the row
	/// `weights` returns). Where no block step has counted it, the stored length: at genesis,
	/// and at the block that set runtime 104's code (its migration runs in the next block).
	pub entries: u32,
}

/// What of a neuron changes from block to block: the lite metagraph without the records
/// ([`Neuron`]) that only registration and unregistration change.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct NeuronState {
	/// The neuron's uid.
	pub uid: Uid,
	/// Its stake `s_i`, in base units.
	pub stake: u128,
	/// Its rank `R_i` from the last block step, in base units (0 if registered since).
	pub rank: u128,
	/// The number of entries of its row, as in [`NeuronLite::entries`].
	pub entries: u32,
}

/// The pallet's parameters, limits and counters as the runtime API returns them.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ChainParams {
	/// `MaxWeightChange` (epsilon): the L2 bound on a row's change within one block.
	pub max_weight_change: Perbill,
	/// `InflationPerBlock` (tau), in base units.
	pub inflation_per_block: u128,
	/// Whether tau is fixed or adaptive.
	pub inflation_mode: InflationMode,
	/// `MaxNeurons`.
	pub max_neurons: u32,
	/// `MaxWeightsPerRow`.
	pub max_weights_per_row: u32,
	/// The deposit the next registration holds, in base units
	/// (`RegistrationDeposit` doubled for each sixteenth of `MaxNeurons` registered).
	pub registration_deposit: u128,
	/// The number of registered neurons `n`.
	pub neuron_count: u32,
	/// The uid the next registration gets.
	pub next_uid: Uid,
	/// The number of entries in all rows (non-zeros of `W`).
	pub total_weight_entries: u64,
	/// Everything minted by the block step since genesis, in base units.
	pub total_minted: u128,
}
