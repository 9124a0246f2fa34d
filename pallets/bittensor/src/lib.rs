//! # BitTensor pallet
//!
//! The mechanism of the BitTensor paper (sections 1.3 to 1.5 and 3) as a FRAME pallet:
//!
//! - **Neurons.** An account registers ([`Pallet::register`]), holding a refundable deposit,
//!   and gets a uid from a counter (never reused). At most [`Config::MaxNeurons`] exist at
//!   once. The deposit is [`Config::RegistrationDeposit`] doubled for each full sixteenth of
//!   `MaxNeurons` registered ([`math::registration_deposit`]): a slot costs more as slots run
//!   out, so that holding every slot to lock newcomers out takes `256 * (2^16 - 1)` base
//!   deposits at `MaxNeurons` 4,096, not 4,096. Each neuron gets back exactly what it held.
//! - **The way out is free.** [`Pallet::unregister`] pays no transaction fee (`feeless_if`, with
//!   the runtime's `SkipCheckIfFeeless`), so that a neuron whose free balance is down to the
//!   existential deposit (a wallet's "stake max") still gets its whole stake and its deposit
//!   back. It is free once per registration, which is paid for (its fee and deposit), so it
//!   cannot be repeated for free. `remove_stake` pays: the block step mints onto every stake
//!   each block, so a free removal could be re-armed every block without a paid call.
//! - **Stake** `s_i` is native tokens on hold ([`Pallet::add_stake`], [`Pallet::remove_stake`]).
//!   The stake vector `S` is one packed value, [`Stakes`], so that the block step reads and
//!   writes it once whatever `n` is. Each `S_j` is the whole stake: the part settled on the
//!   neuron's own account (held for [`HoldReason::Stake`]; what a wallet shows as held stake)
//!   plus the part minted since and still **pending**, held on the pallet's account
//!   ([`Pallet::account_id`]) for [`HoldReason::PendingStake`]. The pending part moves onto the
//!   neuron's hold whenever its stake is touched (add, remove, unregister) or by anyone's
//!   [`Pallet::settle_stake`]; it is paid out in full either way.
//! - **Weights.** Row `i` of `W` is sparse, sorted by uid, in `Perbill` parts summing to exactly
//!   one. [`Pallet::set_weights`] normalizes raw scores (largest remainder) and bounds the L2
//!   change of the row against the row as it stood at the start of the block
//!   (`||w_i - w0_i||_2 <= MaxWeightChange`), compared exactly in integers.
//! - **Every block**, in `on_finalize` ([`step`]): the ranking `R_j = (1/n) sum_i s_i w_ij`
//!   (eq. 5), then inflation `S_j += floor(tau R_j / ||R||_2)` (eq. 6), minted once into the
//!   pending hold, then, in adaptive mode, the tau controller of section 3. It reads the `n` rows
//!   and `O(1)` other items and writes `O(1)` items. Its cost, benchmarked over `n` and the
//!   number of weight entries, is reserved in `on_initialize`.
//!
//! The arithmetic lives in [`math`]: pure fixed-point kernels that the block step, the tests,
//! the benchmarks and the simulator share.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
// Tests may index, unwrap and use plain arithmetic; runtime code may not.
#![cfg_attr(
	test,
	allow(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used
	)
)]

extern crate alloc;

mod api;
mod impls;
pub mod math;
pub mod migrations;
mod step;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use impls::step_weight;
pub use pallet::*;
pub use types::{ChainParams, InflationMode, Neuron, NeuronInfo, NeuronLite, NeuronState, Records, Uid};
pub use weights::WeightInfo;

// FRAME's macro expansions here (storage prefixes, error metadata) call `expect`; the
// pallet's own logic lives in `impls` and `math`, where `expect_used` stays denied.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible,
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_arithmetic::Perbill;

	/// The in-code storage version. Every change of the stored layout bumps it and adds a step
	/// to [`crate::migrations`].
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(4);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A row of the weight matrix as stored: `(uid, weight)`, sorted by uid, weights positive
	/// and summing to exactly one.
	pub type RowOf<T> = BoundedVec<(Uid, Perbill), <T as Config>::MaxWeightsPerRow>;

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native currency. Stake and deposits are held on it; inflation mints on it.
		/// Amounts are `u128` base units.
		type Currency: fungible::Mutate<Self::AccountId, Balance = u128>
			+ fungible::Unbalanced<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::hold::Unbalanced<Self::AccountId>;

		/// The runtime's hold reason, of which [`HoldReason`] is a part.
		type RuntimeHoldReason: From<HoldReason>;

		/// The origin of [`Pallet::set_params`] (root / sudo in the runtime).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most neurons that can be registered at once.
		#[pallet::constant]
		type MaxNeurons: Get<u32>;

		/// The most entries in one weight row.
		#[pallet::constant]
		type MaxWeightsPerRow: Get<u32>;

		/// The deposit held by a registration while fewer than a sixteenth of `MaxNeurons` are
		/// registered, in base units; it doubles with each sixteenth taken
		/// ([`math::registration_deposit`]). Released on unregistration.
		#[pallet::constant]
		type RegistrationDeposit: Get<u128>;

		/// Whether nothing but this pallet changes total issuance (true in the mock). When true,
		/// `try_state` checks that total issuance is the genesis issuance plus everything minted.
		/// The runtime burns transaction fees, so it sets false.
		#[pallet::constant]
		type IssuanceIsClosed: Get<bool>;

		/// The id of the pallet's account ([`Pallet::account_id`]), which holds the minted stake
		/// not yet settled onto its neurons.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Weights of the calls and of the block step, from the benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A neuron's stake `s_i`.
		#[codec(index = 0)]
		Stake,
		/// A neuron's registration deposit.
		#[codec(index = 1)]
		RegistrationDeposit,
		/// Stake minted by the block step and not yet settled onto its neuron's own hold, held
		/// on the pallet's account: `sum_j (S_j - held stake of j)`.
		#[codec(index = 2)]
		PendingStake,
	}

	/// The uid the next registration gets. Uids are never reused.
	#[pallet::storage]
	pub type NextUid<T> = StorageValue<_, Uid, ValueQuery>;

	/// The registered neurons, by uid (at most `MaxNeurons`). Stake is in [`Stakes`].
	#[pallet::storage]
	pub type Neurons<T: Config> =
		CountedStorageMap<_, Twox64Concat, Uid, Neuron<T::AccountId>, OptionQuery>;

	/// The uid of each registered account (one neuron per account).
	#[pallet::storage]
	pub type Uids<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Uid, OptionQuery>;

	/// Row `i` of the weight matrix `W`, by uid `i` (at most `MaxWeightsPerRow` entries).
	#[pallet::storage]
	pub type Weights<T: Config> = StorageMap<_, Twox64Concat, Uid, RowOf<T>, OptionQuery>;

	/// The rows changed in this block as they stood at its start (`w0_i`), against which every
	/// `set_weights` of the block is bounded. Emptied at the end of each block.
	#[pallet::storage]
	pub type BlockStartWeights<T: Config> =
		StorageMap<_, Twox64Concat, Uid, RowOf<T>, OptionQuery>;

	/// The total number of entries in all rows (the non-zeros of `W`); kept as rows change.
	#[pallet::storage]
	pub type TotalWeightEntries<T> = StorageValue<_, u64, ValueQuery>;

	/// The stake vector `S`: `(uid, S_uid)` for every registered neuron, sorted by uid, in base
	/// units. `S_uid` is the whole stake: what the account holds for `HoldReason::Stake`
	/// (settled, shown by a wallet as held) plus its pending share of the pallet account's
	/// `HoldReason::PendingStake` (minted since its stake was last touched).
	#[pallet::storage]
	pub type Stakes<T: Config> =
		StorageValue<_, BoundedVec<(Uid, u128), T::MaxNeurons>, ValueQuery>;

	/// The ranking `R` of the last block step: `(uid, R_uid)` in base units, sorted by uid.
	#[pallet::storage]
	pub type Ranks<T: Config> =
		StorageValue<_, BoundedVec<(Uid, u128), T::MaxNeurons>, ValueQuery>;

	/// The number of entries of each row as the last block step ranked it: `(uid, entries)`,
	/// sorted by uid, entries naming departed neurons left out (the length of the row that
	/// `weights` returns). Written with [`Ranks`], so that the lite metagraph reads one value
	/// instead of every row.
	#[pallet::storage]
	pub type RankedEntries<T: Config> =
		StorageValue<_, BoundedVec<(Uid, u32), T::MaxNeurons>, ValueQuery>;

	/// A digest of the neurons' records (uid, account, deposit): a BLAKE2-256 hash chain over
	/// every registration and unregistration, from genesis or from storage version 3's
	/// migration. Equal digests mean equal records on any fork, so a node may keep the records
	/// it read under their digest and read only the states (stake, rank, entries) of a block.
	#[pallet::storage]
	pub type NeuronsDigest<T> = StorageValue<_, [u8; 32], ValueQuery>;

	/// The L2 bound `epsilon` on the change of a row within one block (fraction of one).
	#[pallet::storage]
	pub type MaxWeightChange<T> = StorageValue<_, Perbill, ValueQuery>;

	/// tau: the tokens minted per block, in base units (at most `math::MAX_TAU`).
	#[pallet::storage]
	pub type InflationPerBlock<T> = StorageValue<_, u128, ValueQuery>;

	/// Whether tau is fixed or adapted to the network's sparsity each block.
	#[pallet::storage]
	pub type Inflation<T> = StorageValue<_, InflationMode, ValueQuery>;

	/// Everything minted by the block step since genesis, in base units.
	#[pallet::storage]
	pub type TotalMinted<T> = StorageValue<_, u128, ValueQuery>;

	/// Total issuance not minted by the block step, in base units: right after genesis, plus
	/// the pallet account's existential deposit where a migration created that account.
	#[pallet::storage]
	pub type GenesisIssuance<T> = StorageValue<_, u128, ValueQuery>;

	/// The genesis state: parameters, and neurons with stakes and weights.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `MaxWeightChange` (epsilon).
		pub max_weight_change: Perbill,
		/// `InflationPerBlock` (tau), base units.
		pub inflation_per_block: u128,
		/// `InflationMode`.
		pub inflation_mode: InflationMode,
		/// Neurons registered at genesis, in uid order: account and stake (base units). The
		/// deposit and the stake are held from the account's genesis balance.
		pub neurons: Vec<(T::AccountId, u128)>,
		/// Initial rows: `(uid, raw scores)`, normalized as `set_weights` does (no L2 bound).
		pub weights: Vec<(Uid, Vec<(Uid, u32)>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Pallet::<T>::build_genesis(self)
		}
	}

	/// Events: one per state change, and one summary per block step.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` registered as neuron `uid`, holding `deposit`.
		Registered {
			/// The new uid.
			uid: Uid,
			/// The account.
			who: T::AccountId,
			/// The deposit held, base units.
			deposit: u128,
		},
		/// Neuron `uid` left; its stake and deposit were released.
		Unregistered {
			/// The uid that left (never reused).
			uid: Uid,
			/// The account.
			who: T::AccountId,
			/// The stake released, base units.
			stake: u128,
			/// The deposit released, base units.
			deposit: u128,
		},
		/// Stake was added to neuron `uid`.
		StakeAdded {
			/// The neuron.
			uid: Uid,
			/// Base units added.
			amount: u128,
			/// The neuron's stake after, base units.
			stake: u128,
		},
		/// Stake was removed from neuron `uid` (released to its free balance).
		StakeRemoved {
			/// The neuron.
			uid: Uid,
			/// Base units removed.
			amount: u128,
			/// The neuron's stake after, base units.
			stake: u128,
		},
		/// The pending part of neuron `uid`'s stake moved onto its own hold.
		StakeSettled {
			/// The neuron.
			uid: Uid,
			/// Base units moved from the pallet account's pending hold.
			amount: u128,
			/// The neuron's stake, now all held on its account, base units.
			stake: u128,
		},
		/// Neuron `uid` set its weight row.
		WeightsSet {
			/// The neuron.
			uid: Uid,
			/// Entries in the stored row. (Named `entries` up to runtime 105: JavaScript
			/// clients read that name as `Array.prototype.entries`.)
			row_len: u32,
		},
		/// The admin changed parameters; the values now in force.
		ParamsChanged {
			/// Epsilon.
			max_weight_change: Perbill,
			/// Tau, base units per block.
			inflation_per_block: u128,
			/// Fixed or adaptive.
			inflation_mode: InflationMode,
		},
		/// The block step ran: `n` neurons ranked, `minted` base units minted onto stakes with
		/// `tau` (the tau used in this block).
		Ranked {
			/// Registered neurons.
			n: u32,
			/// Base units minted (the sum of all `dS_j`).
			minted: u128,
			/// Tau used, base units.
			tau: u128,
		},
	}

	/// Errors. Each rejection changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not a registered neuron.
		NotRegistered,
		/// The caller is already registered.
		AlreadyRegistered,
		/// `MaxNeurons` neurons are registered already.
		TooManyNeurons,
		/// Every uid has been given out (the counter is at `u32::MAX`).
		UidsExhausted,
		/// The free balance cannot cover the deposit or the stake (and stay above the
		/// existential deposit).
		InsufficientBalance,
		/// A stake change of zero.
		ZeroAmount,
		/// `remove_stake` of more than the neuron's stake.
		InsufficientStake,
		/// `set_weights` with no entries.
		EmptyWeights,
		/// `set_weights` where every score is zero.
		AllWeightsZero,
		/// `set_weights` naming a uid twice.
		DuplicateUid,
		/// `set_weights` or `settle_stake` naming a uid that is not registered.
		UnknownUid,
		/// `set_weights` with more than `MaxWeightsPerRow` entries.
		TooManyWeights,
		/// The row would move more than `MaxWeightChange` (L2) from where it stood at the start
		/// of the block.
		WeightChangeTooLarge,
		/// `set_params` with nothing to change.
		NothingToChange,
		/// Tau (or an adaptive maximum) above `math::MAX_TAU`.
		InflationTooLarge,
		/// An arithmetic overflow (a stake past `u128::MAX`).
		Overflow,
		/// `settle_stake` for a neuron whose stake is all settled already.
		NothingToSettle,
		/// In adaptive mode, tau above the controller's `max` (as given, or as stored).
		InflationAboveAdaptiveMax,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Reserves the weight of the block step for the neurons and weight entries as they
		/// stand; calls in the block that add to them pay for their share themselves.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let n = Neurons::<T>::count();
			let entries = u32::try_from(TotalWeightEntries::<T>::get()).unwrap_or(u32::MAX);
			Self::step_weight(n, entries).saturating_add(T::DbWeight::get().reads(2))
		}

		/// The block step: ranking, inflation, adaptive tau.
		fn on_finalize(_n: BlockNumberFor<T>) {
			Self::block_step();
		}

		fn integrity_test() {
			assert!(T::MaxNeurons::get() > 0, "MaxNeurons must be positive");
			assert!(T::MaxWeightsPerRow::get() > 0, "MaxWeightsPerRow must be positive");
			assert!(
				T::MaxWeightsPerRow::get() <= T::MaxNeurons::get(),
				"a row cannot name more neurons than can exist"
			);
			// The deposit's hold keeps a consumer reference on every neuron's account, which
			// settling stake onto it relies on.
			assert!(T::RegistrationDeposit::get() > 0, "RegistrationDeposit must be positive");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as a neuron with a new uid and the row `{(uid, 1)}`, holding
		/// the deposit of the moment ([`Pallet::registration_deposit`]) from its free balance.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register().saturating_add(Pallet::<T>::step_cost_of(1, 1)))]
		pub fn register(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(who).map(|_| ())
		}

		/// Removes the caller's neuron: releases its stake and deposit, drops its row. Entries
		/// of other rows that point at it stop counting at once. Free of fees for a registered
		/// caller.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::unregister())]
		#[pallet::feeless_if(|origin: &OriginFor<T>| -> bool { Pallet::<T>::is_free_unregister(origin) })]
		pub fn unregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unregister(who)
		}

		/// Puts `amount` base units of the caller's free balance on hold as stake.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_stake())]
		pub fn add_stake(origin: OriginFor<T>, #[pallet::compact] amount: u128) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_add_stake(who, amount)
		}

		/// Releases `amount` base units of the caller's stake (pending part included) to its
		/// free balance.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove_stake())]
		pub fn remove_stake(
			origin: OriginFor<T>,
			#[pallet::compact] amount: u128,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_remove_stake(who, amount)
		}

		/// Sets the caller's weight row from raw scores `(uid, score)`: zero scores are
		/// dropped, the rest normalized to sum to one. The row may move at most
		/// `MaxWeightChange` (L2) from where it stood at the start of the block, over all of
		/// this block's `set_weights`. Charged by the length of the new row and of the stored
		/// one: first as if the stored row were full, then refunded to its actual length.
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::set_weights_weight(
			u32::try_from(weights.len()).unwrap_or(u32::MAX),
			T::MaxWeightsPerRow::get(),
		))]
		pub fn set_weights(
			origin: OriginFor<T>,
			weights: Vec<(Uid, u32)>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let len = u32::try_from(weights.len()).unwrap_or(u32::MAX);
			let stored = Self::do_set_weights(who, weights)?;
			Ok(Some(Self::set_weights_weight(len, stored)).into())
		}

		/// Sets the parameters given (`None` leaves one as it is). Admin origin only.
		///
		/// - `max_weight_change` (epsilon): the L2 bound on a row's change within a block. 0
		///   freezes every row: only a resubmission of the row as it stands passes.
		/// - `inflation_per_block` (tau): at most `math::MAX_TAU` (`InflationTooLarge`).
		/// - `inflation_mode`: in adaptive mode, `max` at most `math::MAX_TAU`, and tau (as
		///   given, or as stored) at most `max` (`InflationAboveAdaptiveMax`).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(
			origin: OriginFor<T>,
			max_weight_change: Option<Perbill>,
			inflation_per_block: Option<u128>,
			inflation_mode: Option<InflationMode>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_params(max_weight_change, inflation_per_block, inflation_mode)
		}

		/// Moves the pending part of neuron `uid`'s stake onto its own hold, so that a wallet
		/// shows all of it as held. Anyone may call it: it moves no one's tokens but the
		/// neuron's own. Fails with `NothingToSettle` when nothing is pending.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::settle_stake())]
		pub fn settle_stake(origin: OriginFor<T>, uid: Uid) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_stake(uid)
		}
	}
}
