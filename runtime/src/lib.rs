//! The BitTensor chain runtime.
//!
//! System pallets (system, timestamp, aura, grandpa, balances, transaction-payment, sudo,
//! session, proxy, utility), the admin's validator set, and the BitTensor ranking pallet. The configuration of each pallet is
//! in [`configs`], the runtime APIs in [`apis`], the genesis presets in
//! [`genesis_config_presets`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime`/`#[runtime]` expands to a large recursion of types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

pub mod apis;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
pub mod configs;
pub mod genesis_config_presets;
pub mod migrations;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
#[cfg(feature = "std")]
pub use sp_runtime::BuildStorage;
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;

/// Opaque types, used by the node to handle blocks and extrinsics without knowing the
/// runtime's concrete call type.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
}

impl_opaque_keys! {
	/// The session keys of a validator: one Aura (sr25519) key and one GRANDPA (ed25519) key.
	pub struct SessionKeys {
		/// Block authoring key.
		pub aura: Aura,
		/// Finality voting key.
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. Bump `spec_version` on every change of runtime behaviour or storage:
/// CI fails when the built runtime differs from the last release in `runtime/releases/` while
/// its `spec_version` is the same (`scripts/check-release.sh`).
///
/// - 100: the first release.
/// - 101: `Bittensor` storage version 1 (`TotalWeightEntries` recounted), migrations run by
///   `Executive`.
/// - 102: `Bittensor` storage version 2: the stake vector in one value, minted stake pending on
///   the pallet account (`settle_stake`), a block step with O(1) writes; `set_weights` charged
///   for the stored row; `MaxNeurons` 4,096 and `MaxWeightsPerRow` 256.
/// - 103: `BittensorApi` version 2: `neurons_lite` (the metagraph without rows) and `rows`.
/// - 104: `Bittensor` storage version 3 (`NeuronsDigest`, `RankedEntries`) and `BittensorApi`
///   version 3 (`neuron_records`, `neuron_states`): the lite metagraph in a few reads.
/// - 105: a fee market (a length fee, a weight fee of 0.0001 TAO per base extrinsic, and
///   `TargetedFeeAdjustment`); `unregister` free of fees (`SkipFeelessPayment`), and estimated
///   at 0 by `TransactionPaymentApi`; a registration deposit that doubles with each sixteenth of
///   `MaxNeurons` taken; tau and the adaptive mode checked together at every entry point
///   (`Bittensor` storage version 4 repairs a chain that stored them apart).
/// - 106: validators from `Session` and `ValidatorSet`, changed by the admin without a fork
///   (a running chain's Aura and GRANDPA authorities become the first set, by
///   [`migrations::InitSessionFromAuthorities`]); `Proxy` with a `Weights` proxy type (hot and
///   cold keys) and `Utility`; the event `Bittensor::WeightsSet { uid, row_len }` (was
///   `entries`, which JavaScript clients cannot read).
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("bittensor"),
	impl_name: alloc::borrow::Cow::Borrowed("bittensor-node"),
	authoring_version: 1,
	spec_version: 106,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// Target block time. Aura produces one block per slot of this length.
pub const MILLISECS_PER_BLOCK: u64 = 6000;
/// Aura slot duration. It cannot be changed once the chain has started.
pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

/// Blocks per minute at the target block time.
pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
/// Blocks per hour at the target block time.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day at the target block time.
pub const DAYS: BlockNumber = HOURS * 24;

/// Decimal places of the native token (TAO): 1 TAO = 10^12 base units.
pub const TOKEN_DECIMALS: u32 = 12;
/// One TAO in base units.
pub const UNIT: Balance = 1_000_000_000_000;
/// One thousandth of a TAO in base units.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// One millionth of a TAO in base units.
pub const MICRO_UNIT: Balance = 1_000_000;
/// The minimum balance an account must keep to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Block number.
pub type BlockNumber = u32;
/// Signature of a transaction.
pub type Signature = MultiSignature;
/// Account identifier: the public key of the signature scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account, in base units.
pub type Balance = u128;
/// Number of transactions an account has sent.
pub type Nonce = u32;
/// Hash type of blocks and the state trie.
pub type Hash = sp_core::H256;

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// Signed block, with justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// Block identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, checked in this order for every signed transaction.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	// The fee, skipped for the calls a pallet marks `feeless_if` (the way out of a neuron:
	// `unregister`); wallets see `ChargeTransactionPayment`.
	pallet_skip_feeless_payment::SkipCheckIfFeeless<
		Runtime,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// The storage migrations a runtime upgrade runs, before any block of the new runtime: every
/// pallet's `VersionedMigration` steps, oldest first. `Executive` runs them as
/// `frame_system::Config::SingleBlockMigrations` (its own migrations parameter is deprecated).
/// A step whose `FROM` is not the chain's storage version only reads that version. Steps stay
/// listed until a release drops the pallet's old versions.
pub type Migrations =
	(pallet_bittensor::migrations::Migrations<Runtime>, migrations::InitSessionFromAuthorities);

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;

#[frame_support::runtime]
mod runtime {
	/// The runtime: every pallet of the chain, with its index in calls, events and storage.
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	/// Accounts, blocks, events.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	/// Block timestamps (inherent).
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	/// Block authoring.
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	/// Finality.
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	/// The native token.
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	/// Transaction fees.
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// The admin origin.
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	/// The BitTensor mechanism: stake, weights, ranking, inflation.
	#[runtime::pallet_index(7)]
	pub type Bittensor = pallet_bittensor;

	/// Skips the fee of the calls a pallet marks feeless (`#[pallet::feeless_if]`).
	#[runtime::pallet_index(8)]
	pub type SkipFeelessPayment = pallet_skip_feeless_payment;

	/// The validators, changed by the admin. Declared before `Session`, whose genesis asks it
	/// for the first set.
	#[runtime::pallet_index(9)]
	pub type ValidatorSet = pallet_validator_set;

	/// Session keys and rotations: hands the validators' keys to Aura and GRANDPA.
	#[runtime::pallet_index(10)]
	pub type Session = pallet_session;

	/// Proxies: a hot key that sets the weights of a cold key (`ProxyType::Weights`).
	#[runtime::pallet_index(11)]
	pub type Proxy = pallet_proxy;

	/// Batches of calls.
	#[runtime::pallet_index(12)]
	pub type Utility = pallet_utility;
}
