//! Configuration of every pallet in the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, InstanceFilter, VariantCountOf},
	weights::{
		constants::{ExtrinsicBaseWeight, ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{BlakeTwo256, Bounded, ConvertInto, One, OpaqueKeys},
	FixedPointNumber, Perbill, Perquintill,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, OriginCaller, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, SessionKeys, System, ValidatorSet, EXISTENTIAL_DEPOSIT, HOURS, MICRO_UNIT,
	MILLI_UNIT, SLOT_DURATION, UNIT, VERSION,
};

/// Share of the block that normal (user) transactions may fill.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Two seconds of compute in a six-second block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// 5 MiB blocks, of which normal transactions may fill 75%.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO.mul_floor(*max)
		})
		.build();
	/// The generic Substrate SS58 prefix (addresses start with 5).
	pub const SS58Prefix: u16 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// The node uses ParityDB, so database costs are ParityDB's.
	type DbWeight = ParityDbWeight;
	type Version = Version;
	// The storage migrations of a runtime upgrade (`crate::Migrations`), run by `Executive`
	// before the first block of the new runtime.
	type SingleBlockMigrations = crate::Migrations;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// What the weight of an empty extrinsic (`ExtrinsicBaseWeight`, 108 µs) costs at rest:
/// 0.0001 TAO. Fees are linear in ref time from there, so a full block of normal weight
/// (1.5 s) costs about 1.39 TAO at rest.
pub const BASE_EXTRINSIC_FEE: Balance = MILLI_UNIT / 10;
/// What a byte of an extrinsic costs at rest: 1 µTAO, so filling the normal share of a block's
/// length (3.75 MiB) costs about 3.9 TAO a block, 56,600 TAO a day.
pub const FEE_PER_BYTE: Balance = MICRO_UNIT;

/// Weight to fee: `ref_time * BASE_EXTRINSIC_FEE / ExtrinsicBaseWeight`, rounded down.
pub struct WeightToFee;
impl frame_support::weights::WeightToFee for WeightToFee {
	type Balance = Balance;
	fn weight_to_fee(weight: &Weight) -> Balance {
		let base = Balance::from(ExtrinsicBaseWeight::get().ref_time()).max(1);
		Balance::from(weight.ref_time()).saturating_mul(BASE_EXTRINSIC_FEE) / base
	}
}

parameter_types! {
	/// A byte's fee ([`FEE_PER_BYTE`]).
	pub const TransactionByteFee: Balance = FEE_PER_BYTE;
	/// The fullness of the normal class the fee multiplier steers to: a quarter, as in
	/// Polkadot. Above it the multiplier rises, below it it falls.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast the multiplier moves: Polkadot's 0.000075. A block full to its normal limit
	/// raises it by about 0.0056%; a day of such blocks multiplies the weight part of fees by about 2.2, a week by
	/// about 290. Empty blocks lower it by about 0.0019% each.
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// The multiplier never falls below one: the fees at rest are the fees stated.
	pub MinimumMultiplier: Multiplier = Multiplier::one();
	/// Nor is it capped above (as in Polkadot): sustained load keeps raising it.
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_skip_feeless_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

/// The most validators: the Aura and GRANDPA `MaxAuthorities`.
pub const MAX_VALIDATORS: u32 = 32;

parameter_types! {
	/// A session lasts an hour unless the admin changes the validator set (or forces a
	/// rotation), which ends it in each of the next two blocks.
	pub const SessionPeriod: BlockNumber = HOURS;
	/// Held from an account while it has session keys registered (`Session::set_keys`): pays
	/// for the key records, as a registration deposit does.
	pub const SessionKeyDeposit: Balance = UNIT;
}

/// Sessions: each validator registers its Aura and GRANDPA keys on chain (`set_keys`), and at
/// each rotation the queued validators' keys go to Aura and GRANDPA. The validators are the
/// admin's ([`pallet_validator_set`]).
impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type KeyDeposit = SessionKeyDeposit;
}

impl pallet_validator_set::Config for Runtime {
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = ConstU32<1>;
	type SessionPeriod = SessionPeriod;
	type WeightInfo = pallet_validator_set::weights::SubstrateWeight<Runtime>;
}

/// A deposit for `items` storage items of `bytes` bytes in all: 0.1 TAO an item and 0.001 TAO
/// a byte, the shape of polkadot-sdk's `deposit` (a proxy holds `deposit(1, 8)` plus
/// `deposit(0, 33)` a delegate).
pub const fn deposit(items: u32, bytes: u32) -> Balance {
	(items as Balance) * 100 * MILLI_UNIT + (bytes as Balance) * MILLI_UNIT
}

/// What a proxy may do for the account that named it.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	codec::Encode,
	codec::Decode,
	codec::DecodeWithMemTracking,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Debug,
	Default,
)]
pub enum ProxyType {
	/// Anything the account can do.
	#[default]
	#[codec(index = 0)]
	Any,
	/// Only `Bittensor::set_weights` (alone or in a `Utility` batch of them): the hot key on a
	/// training machine sets the row of the cold key that holds the stake, and can do nothing
	/// else with it.
	#[codec(index = 1)]
	Weights,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, call: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			// A batch passes the filter; each call inside it is filtered again on dispatch.
			ProxyType::Weights => matches!(
				call,
				RuntimeCall::Bittensor(pallet_bittensor::Call::set_weights { .. }) |
					RuntimeCall::Utility(
						pallet_utility::Call::batch { .. } |
							pallet_utility::Call::batch_all { .. } |
							pallet_utility::Call::force_batch { .. }
					)
			),
		}
	}

	fn is_superset(&self, other: &Self) -> bool {
		match (self, other) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			_ => false,
		}
	}
}

parameter_types! {
	pub const ProxyDepositBase: Balance = deposit(1, 8);
	pub const ProxyDepositFactor: Balance = deposit(0, 33);
	pub const AnnouncementDepositBase: Balance = deposit(1, 8);
	pub const AnnouncementDepositFactor: Balance = deposit(0, 66);
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = pallet_proxy::weights::SubstrateWeight<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

/// The most neurons at once. Chosen with the benchmarked block step: the worst case,
/// `MaxNeurons` neurons with `MaxWeightsPerRow` entries each, must fit within 10% of the block's
/// maximum weight (checked by `tests::block_step_fits_a_tenth_of_the_block`).
pub const MAX_NEURONS: u32 = 4096;
/// The most entries in one weight row.
pub const MAX_WEIGHTS_PER_ROW: u32 = 256;

parameter_types! {
	/// The pallet's account: `modlbt/stake` padded with zeros.
	pub const BittensorPalletId: frame_support::PalletId = frame_support::PalletId(*b"bt/stake");
}

impl pallet_bittensor::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxNeurons = ConstU32<MAX_NEURONS>;
	type MaxWeightsPerRow = ConstU32<MAX_WEIGHTS_PER_ROW>;
	/// One TAO: pays for a neuron's storage (its record, row and start-of-block row).
	type RegistrationDeposit = ConstU128<UNIT>;
	/// Transaction fees are burned, so issuance is not the pallet's alone.
	type IssuanceIsClosed = ConstBool<false>;
	/// Its account holds the minted stake not yet settled onto the neurons.
	type PalletId = BittensorPalletId;
	type WeightInfo = pallet_bittensor::weights::SubstrateWeight<Runtime>;
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn block_step_fits_a_tenth_of_the_block() {
		let max = RuntimeBlockWeights::get().max_block;
		let worst = pallet_bittensor::Pallet::<Runtime>::step_weight(
			MAX_NEURONS,
			MAX_NEURONS * MAX_WEIGHTS_PER_ROW,
		);
		assert!(
			worst.ref_time() <= max.ref_time() / 10,
			"block step at the bounds takes {} of {} ps",
			worst.ref_time(),
			max.ref_time()
		);
	}

	/// The benchmarked block step, as `on_initialize` reserves it, for the sizes of the scaling
	/// table (`cargo test -p bittensor-runtime --lib -- --nocapture weight_table`).
	#[test]
	fn block_step_weight_table() {
		let max = RuntimeBlockWeights::get().max_block.ref_time() as f64;
		println!("{:>6} {:>6} {:>10} {:>10} {:>8}", "n", "row", "entries", "ms", "% block");
		for n in [256u32, 1024, 4096] {
			for row in [64u32, 256] {
				let w = pallet_bittensor::Pallet::<Runtime>::step_weight(n, n * row);
				let pct = w.ref_time() as f64 / max * 100.0;
				println!("{n:>6} {row:>6} {:>10} {:>10.1} {pct:>7.2}%", n * row, w.ref_time() as f64 / 1e9);
				assert!(pct <= 10.0);
			}
		}
	}
}
