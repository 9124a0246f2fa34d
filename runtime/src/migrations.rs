//! The runtime's own storage migrations (the pallets' are in their crates).
//!
//! [`InitSessionFromAuthorities`] (runtime 106): a chain started before `Session` and
//! `ValidatorSet` had its Aura and GRANDPA authorities from genesis only. Runtime 106 takes the
//! validators from `Session`, so the upgrade must hand the running authorities to it, or the
//! first rotation would queue nobody.

use crate::{AccountId, Runtime, SessionKeys};
use codec::{Decode, Encode};
use alloc::vec::Vec;
use frame_support::{
	traits::OnRuntimeUpgrade,
	weights::Weight,
	BoundedVec,
};
use sp_runtime::traits::OpaqueKeys;

/// Makes the running Aura and GRANDPA authorities the first session's validators.
///
/// Authority `i` is the `i`-th Aura key with the `i`-th GRANDPA key (genesis wrote them in
/// pairs, one pair a validator), and its account is the account of its Aura key: on the chains
/// launched from this runtime's presets, validator `//Alice` has Aura key `//Alice` (sr25519),
/// whose public key is the account `//Alice`. Each validator gets these keys registered as if by
/// `Session::set_keys` (without a deposit, as at genesis), and `ValidatorSet` gets the set.
///
/// Runs once: it does nothing when `Session` already has validators, and nothing (with an
/// error in the log) when the Aura and GRANDPA sets differ in size, which would need the
/// admin's hand (the authorities then stay as they are: a rotation changes them only when
/// `Session` queues a change).
pub struct InitSessionFromAuthorities;

impl OnRuntimeUpgrade for InitSessionFromAuthorities {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if !pallet_session::Validators::<Runtime>::get().is_empty() {
			return db.reads(1)
		}
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		if aura.len() != grandpa.len() || aura.is_empty() {
			log::error!(
				target: "runtime::migrations",
				"session: {} Aura and {} GRANDPA authorities cannot be paired; no validators set",
				aura.len(),
				grandpa.len()
			);
			return db.reads(3)
		}
		let mut validators: Vec<AccountId> = Vec::with_capacity(aura.len());
		let mut queued: Vec<(AccountId, SessionKeys)> = Vec::with_capacity(aura.len());
		for (aura, (grandpa, _weight)) in aura.into_iter().zip(grandpa) {
			// An sr25519 public key and an account are the same 32 bytes.
			let Ok(account) = AccountId::decode(&mut &aura.encode()[..]) else { continue };
			let keys = SessionKeys { aura, grandpa };
			for id in <SessionKeys as OpaqueKeys>::key_ids() {
				pallet_session::KeyOwner::<Runtime>::insert((*id, keys.get_raw(*id).to_vec()), &account);
			}
			pallet_session::NextKeys::<Runtime>::insert(&account, &keys);
			// As the session pallet's genesis does: the keys are a consumer of the account.
			if frame_system::Pallet::<Runtime>::inc_consumers_without_limit(&account).is_err() {
				frame_system::Pallet::<Runtime>::inc_providers(&account);
			}
			validators.push(account.clone());
			queued.push((account, keys));
		}
		let n = validators.len() as u64;
		pallet_session::Validators::<Runtime>::put(&validators);
		pallet_session::QueuedKeys::<Runtime>::put(queued);
		pallet_validator_set::Validators::<Runtime>::put(BoundedVec::truncate_from(validators));
		log::info!(target: "runtime::migrations", "session: {n} validators from the running authorities");
		// Reads: session validators, Aura and GRANDPA authorities, each account. Writes: two
		// key owners, the keys and the account a validator; three sets.
		db.reads_writes(3 + n, 3 + 4 * n)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let queued = pallet_session::QueuedKeys::<Runtime>::get();
		frame_support::ensure!(
			queued.iter().map(|(_, k)| k.aura.clone()).collect::<Vec<_>>() == aura.into_inner(),
			"the queued session keys are the Aura authorities"
		);
		Ok(())
	}
}
