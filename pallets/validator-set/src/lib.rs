//! # Validator set
//!
//! The chain's validators, changed by the admin origin without a fork.
//!
//! The block authors (Aura) and the finality voters (GRANDPA) come from `pallet-session`, the
//! way polkadot-sdk chains set them: each validator registers its session keys on chain with
//! `Session::set_keys` (the keys and their proof come from its node's
//! `author_rotateKeysWithOwner`), and at each session rotation the session pallet hands the
//! queued validators' keys to Aura and GRANDPA. This pallet is the session pallet's
//! [`SessionManager`](pallet_session::SessionManager) and
//! [`ShouldEndSession`](pallet_session::ShouldEndSession): it keeps the set the admin wants
//! and decides when sessions end.
//!
//! ## When a change takes effect
//! A session ends every [`Config::SessionPeriod`] blocks. A change of the set (or
//! [`Pallet::force_rotation`]) also ends the session in each of the next two blocks:
//! - the first rotation queues the new set (the session pallet's `NewQueued` event);
//! - the second makes it current: Aura authors with it from the block after, and GRANDPA
//!   schedules a standard change, enacted once that block is finalized by the old set.
//!
//! So a change the admin makes in block `b` authors from block `b + 3` on. A key rotation
//! (`set_keys` by a validator already in the set) takes effect at the second rotation after it,
//! periodic or forced.
//!
//! ## Calls (admin origin)
//! - [`Pallet::add_validator`], [`Pallet::remove_validator`], [`Pallet::swap_validator`];
//! - [`Pallet::force_rotation`]: re-queue the set now, so that new session keys take effect
//!   and GRANDPA starts a new authority set, without waiting for the period.
//!
//! A change is refused while an earlier one is still under way (`ChangeInProgress`), a new
//! validator must have registered session keys (`NoSessionKeys`), and the set never drops
//! below [`Config::MinValidators`] (`TooFewValidators`).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod mock;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests;
pub mod weights;

pub use pallet::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::EstimateNextSessionRotation};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_session::{PeriodicSessions, SessionManager, ShouldEndSession};
use sp_runtime::{traits::Saturating, Permill};

/// The number of session rotations that make a changed set current: one to queue it, one to
/// enact it.
pub const ROTATIONS_PER_CHANGE: u32 = 2;

// The `pallet` macro's expansion uses `expect` on values it built itself.
#[allow(clippy::expect_used)]
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ pallet_session::Config<ValidatorId = <Self as frame_system::Config>::AccountId>
	{
		/// The origin that changes the set (root / sudo in the runtime).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most validators the set holds. At most the Aura and GRANDPA `MaxAuthorities`.
		#[pallet::constant]
		type MaxValidators: Get<u32>;

		/// The fewest validators the set holds: a removal below it is refused.
		#[pallet::constant]
		type MinValidators: Get<u32>;

		/// Blocks per session, when no change forces an earlier end.
		#[pallet::constant]
		type SessionPeriod: Get<BlockNumberFor<Self>>;

		/// The weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The validator set the admin has set: current, or queued to be within
	/// [`ROTATIONS_PER_CHANGE`] blocks while [`PendingRotations`] is not zero.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Session rotations still to be forced, one a block, for a change under way.
	#[pallet::storage]
	pub type PendingRotations<T> = StorageValue<_, u32, ValueQuery>;

	/// Whether the next rotation hands [`Validators`] to the session pallet to queue.
	#[pallet::storage]
	pub type QueueNext<T> = StorageValue<_, bool, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The validators of the first session. Each needs its keys in the session pallet's
		/// genesis (`session.keys`). Empty: the session's genesis keys are the first set, and
		/// the admin's set stays empty until a migration or a change fills it.
		pub validators: Vec<T::AccountId>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// An empty genesis (the default config) leaves the set to the session's keys.
			if self.validators.is_empty() {
				return
			}
			let set = Pallet::<T>::checked_set(self.validators.clone())
				.unwrap_or_else(|e| panic!("validator set genesis: {e:?}"));
			Validators::<T>::put(set);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` joins the set; it authors from the third block after this one.
		ValidatorAdded {
			/// The new validator.
			who: T::AccountId,
		},
		/// `who` leaves the set; it stops authoring from the third block after this one.
		ValidatorRemoved {
			/// The validator removed.
			who: T::AccountId,
		},
		/// The admin forced two session rotations: session keys set since the last rotation
		/// take effect, and GRANDPA starts a new authority set.
		RotationForced,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already in the validator set.
		AlreadyValidator,
		/// The account is not in the validator set.
		NotValidator,
		/// The account has registered no session keys (`Session::set_keys`), so it could not
		/// author or vote.
		NoSessionKeys,
		/// The set would exceed `MaxValidators`.
		TooManyValidators,
		/// The set would drop below `MinValidators`.
		TooFewValidators,
		/// An earlier change is still under way (it completes within two blocks).
		ChangeInProgress,
		/// The same account is named twice.
		DuplicateValidator,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Adds `who` to the validator set. `who` must have registered session keys.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::change_set(T::MaxValidators::get()))]
		pub fn add_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::ensure_idle()?;
			let mut set = Validators::<T>::get();
			ensure!(!set.contains(&who), Error::<T>::AlreadyValidator);
			Self::ensure_keys(&who)?;
			set.try_push(who.clone()).map_err(|_| Error::<T>::TooManyValidators)?;
			Self::schedule(set);
			Self::deposit_event(Event::ValidatorAdded { who });
			Ok(())
		}

		/// Removes `who` from the validator set.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::change_set(T::MaxValidators::get()))]
		pub fn remove_validator(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::ensure_idle()?;
			let mut set = Validators::<T>::get();
			let at = set.iter().position(|v| v == &who).ok_or(Error::<T>::NotValidator)?;
			ensure!(set.len() > T::MinValidators::get() as usize, Error::<T>::TooFewValidators);
			set.remove(at);
			Self::schedule(set);
			Self::deposit_event(Event::ValidatorRemoved { who });
			Ok(())
		}

		/// Replaces `remove` by `add` in one change (the set keeps its size): the way to
		/// retire a validator whose machine died. `add` must have registered session keys.
		#[pallet::call_index(2)]
		#[pallet::weight(<T as Config>::WeightInfo::change_set(T::MaxValidators::get()))]
		pub fn swap_validator(
			origin: OriginFor<T>,
			remove: T::AccountId,
			add: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::ensure_idle()?;
			ensure!(remove != add, Error::<T>::DuplicateValidator);
			let mut set = Validators::<T>::get();
			ensure!(!set.contains(&add), Error::<T>::AlreadyValidator);
			let at = set.iter().position(|v| v == &remove).ok_or(Error::<T>::NotValidator)?;
			Self::ensure_keys(&add)?;
			if let Some(slot) = set.get_mut(at) {
				*slot = add.clone();
			}
			Self::schedule(set);
			Self::deposit_event(Event::ValidatorRemoved { who: remove });
			Self::deposit_event(Event::ValidatorAdded { who: add });
			Ok(())
		}

		/// Ends the session in each of the next two blocks and re-queues the set, so that keys
		/// rotated with `Session::set_keys` take effect now rather than at the period's end.
		#[pallet::call_index(3)]
		#[pallet::weight(<T as Config>::WeightInfo::force_rotation())]
		pub fn force_rotation(origin: OriginFor<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::ensure_idle()?;
			QueueNext::<T>::put(true);
			PendingRotations::<T>::put(ROTATIONS_PER_CHANGE);
			Self::deposit_event(Event::RotationForced);
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The validator set the admin has set (current, or about to be).
	pub fn validators() -> Vec<T::AccountId> {
		Validators::<T>::get().into_inner()
	}

	/// `validators` as a set: bounded, without duplicates, at least `MinValidators`.
	pub fn checked_set(
		validators: Vec<T::AccountId>,
	) -> Result<BoundedVec<T::AccountId, T::MaxValidators>, Error<T>> {
		let mut sorted = validators.clone();
		sorted.sort();
		sorted.dedup();
		ensure!(sorted.len() == validators.len(), Error::<T>::DuplicateValidator);
		ensure!(validators.len() >= T::MinValidators::get() as usize, Error::<T>::TooFewValidators);
		BoundedVec::try_from(validators).map_err(|_| Error::<T>::TooManyValidators)
	}

	fn ensure_idle() -> DispatchResult {
		ensure!(
			PendingRotations::<T>::get() == 0 && !QueueNext::<T>::get(),
			Error::<T>::ChangeInProgress
		);
		Ok(())
	}

	fn ensure_keys(who: &T::AccountId) -> DispatchResult {
		ensure!(pallet_session::NextKeys::<T>::contains_key(who), Error::<T>::NoSessionKeys);
		Ok(())
	}

	fn schedule(set: BoundedVec<T::AccountId, T::MaxValidators>) {
		Validators::<T>::put(set);
		QueueNext::<T>::put(true);
		PendingRotations::<T>::put(ROTATIONS_PER_CHANGE);
	}

	/// The invariants: the set is within its bounds and names nobody twice, and a change under
	/// way never needs more than [`ROTATIONS_PER_CHANGE`] rotations.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::checked_set(Self::validators())
			.map_err(|_| sp_runtime::TryRuntimeError::Other("validator set out of bounds or with duplicates"))?;
		ensure!(
			PendingRotations::<T>::get() <= ROTATIONS_PER_CHANGE,
			sp_runtime::TryRuntimeError::Other("more pending rotations than a change needs")
		);
		Ok(())
	}
}

impl<T: Config> SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(_new_index: u32) -> Option<Vec<T::AccountId>> {
		// `None` keeps the current validators (with any keys they rotated): the session pallet
		// then starts no new GRANDPA set unless keys changed.
		QueueNext::<T>::take().then(Self::validators)
	}

	fn new_session_genesis(_new_index: u32) -> Option<Vec<T::AccountId>> {
		Some(Self::validators())
	}

	fn end_session(_end_index: u32) {
		PendingRotations::<T>::mutate(|n| *n = n.saturating_sub(1));
	}

	fn start_session(_start_index: u32) {}
}

/// Sessions of [`Config::SessionPeriod`] blocks, from block 0.
type Periodic<T> = PeriodicSessions<<T as Config>::SessionPeriod, frame_support::traits::GetDefault>;

impl<T: Config> ShouldEndSession<BlockNumberFor<T>> for Pallet<T> {
	fn should_end_session(now: BlockNumberFor<T>) -> bool {
		PendingRotations::<T>::get() > 0 || <Periodic<T> as ShouldEndSession<_>>::should_end_session(now)
	}
}

impl<T: Config> EstimateNextSessionRotation<BlockNumberFor<T>> for Pallet<T> {
	fn average_session_length() -> BlockNumberFor<T> {
		T::SessionPeriod::get()
	}

	fn estimate_current_session_progress(now: BlockNumberFor<T>) -> (Option<Permill>, Weight) {
		let weight = T::DbWeight::get().reads(1);
		if PendingRotations::<T>::get() > 0 {
			return (Some(Permill::one()), weight)
		}
		let (progress, w) = <Periodic<T> as EstimateNextSessionRotation<_>>::estimate_current_session_progress(now);
		(progress, weight.saturating_add(w))
	}

	fn estimate_next_session_rotation(now: BlockNumberFor<T>) -> (Option<BlockNumberFor<T>>, Weight) {
		let weight = T::DbWeight::get().reads(1);
		if PendingRotations::<T>::get() > 0 {
			return (Some(now.saturating_add(sp_runtime::traits::One::one())), weight)
		}
		let (next, w) = <Periodic<T> as EstimateNextSessionRotation<_>>::estimate_next_session_rotation(now);
		(next, weight.saturating_add(w))
	}
}
