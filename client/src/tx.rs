//! Builders of the extrinsics the chain accepts, as dynamic payloads checked against the
//! runtime metadata when they are signed.

use crate::AccountId;
use subxt::{dynamic, dynamic::Value, transactions::DynamicPayload};

/// `Balances.transfer_keep_alive(dest, value)`: move `value` base units, keeping the sender
/// alive.
pub fn transfer_keep_alive(
	dest: &AccountId,
	value: u128,
) -> DynamicPayload<(subxt::utils::MultiAddress<AccountId, ()>, u128)> {
	dynamic::transaction(
		"Balances",
		"transfer_keep_alive",
		(subxt::utils::MultiAddress::Id(dest.clone()), value),
	)
}

/// `Sudo.sudo(System.authorize_upgrade(code_hash))`: the admin allows anyone to set the runtime
/// whose blob hashes (blake2-256) to `code_hash`, with [`apply_authorized_upgrade`].
pub fn sudo_authorize_upgrade(code_hash: [u8; 32]) -> DynamicPayload<(Value,)> {
	let call = Value::unnamed_variant(
		"System",
		[Value::named_variant("authorize_upgrade", [("code_hash", Value::from_bytes(code_hash))])],
	);
	dynamic::transaction("Sudo", "sudo", (call,))
}

/// `System.apply_authorized_upgrade(code)`: sets the authorized runtime `code` (free when it
/// succeeds). Fails with `System::SpecVersionNeedsToIncrease` (or another `System` error) when
/// the blob is not a valid upgrade.
pub fn apply_authorized_upgrade(code: Vec<u8>) -> DynamicPayload<(Vec<u8>,)> {
	dynamic::transaction("System", "apply_authorized_upgrade", (code,))
}

/// `System.set_code(code)` signed directly: root only, so anyone else gets `BadOrigin`.
pub fn set_code(code: Vec<u8>) -> DynamicPayload<(Vec<u8>,)> {
	dynamic::transaction("System", "set_code", (code,))
}
