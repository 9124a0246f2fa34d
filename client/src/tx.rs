//! Builders of the extrinsics the chain accepts, as dynamic payloads checked against the
//! runtime metadata when they are signed.

use crate::AccountId;
use subxt::{dynamic, transactions::DynamicPayload};

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
