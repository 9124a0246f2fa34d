//! Builders of the extrinsics the chain accepts, as dynamic payloads checked against the
//! runtime metadata when they are signed.

use crate::AccountId;
pub use subxt::dynamic::Value;
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

/// `Session.set_keys(keys, proof)`: registers the session keys `keys` (the SCALE bytes
/// `author_rotateKeys` returns: the Aura sr25519 key then the GRANDPA ed25519 key, 32 bytes
/// each) with `proof`, the signatures `author_rotateKeysWithOwner` returns for the signing
/// account. Holds the session key deposit.
pub fn session_set_keys(keys: &[u8], proof: Vec<u8>) -> Result<DynamicPayload<Vec<Value>>, crate::Error> {
	Ok(set_keys(keys, proof)?.payload())
}

/// `Session.set_keys(keys, proof)` as a [`Call`] (see [`session_set_keys`]).
pub fn set_keys(keys: &[u8], proof: Vec<u8>) -> Result<Call, crate::Error> {
	let (aura, grandpa) = split_session_keys(keys)?;
	let keys = Value::named_composite([("aura", Value::from_bytes(aura)), ("grandpa", Value::from_bytes(grandpa))]);
	Ok(Call::new("Session", "set_keys", vec![("keys", keys), ("proof", Value::from_bytes(proof))]))
}

/// The Aura and GRANDPA public keys in the SCALE bytes of a `SessionKeys`.
pub fn split_session_keys(keys: &[u8]) -> Result<([u8; 32], [u8; 32]), crate::Error> {
	let keys: &[u8; 64] = keys.try_into().map_err(|_| {
		crate::Error::Decode(format!("session keys are 64 bytes (Aura, GRANDPA), got {}", keys.len()))
	})?;
	let (aura, grandpa) = keys.split_at(32);
	Ok((aura.try_into().expect("32 of 64 bytes"), grandpa.try_into().expect("32 of 64 bytes")))
}

/// A `ValidatorSet` call as a value, for [`sudo`] or to sign directly (then only root may, so
/// anyone else gets `BadOrigin`): `add_validator(who)`, `remove_validator(who)`,
/// `swap_validator(remove, add)` or `force_rotation()`.
pub enum ValidatorSetCall {
	/// Add `who` (it must have set its session keys).
	Add(AccountId),
	/// Remove `who`.
	Remove(AccountId),
	/// Replace `remove` by `add`.
	Swap(AccountId, AccountId),
	/// End the session in each of the next two blocks.
	ForceRotation,
}

impl ValidatorSetCall {
	fn name_and_args(&self) -> (&'static str, Vec<(&'static str, Value)>) {
		let id = |a: &AccountId| Value::from_bytes(a.0);
		match self {
			Self::Add(who) => ("add_validator", vec![("who", id(who))]),
			Self::Remove(who) => ("remove_validator", vec![("who", id(who))]),
			Self::Swap(remove, add) => ("swap_validator", vec![("remove", id(remove)), ("add", id(add))]),
			Self::ForceRotation => ("force_rotation", vec![]),
		}
	}

	/// The call as a [`Call`].
	pub fn call(&self) -> Call {
		let (name, args) = self.name_and_args();
		Call::new("ValidatorSet", name, args)
	}

	/// The call as a `RuntimeCall` value.
	pub fn value(&self) -> Value {
		self.call().value()
	}

	/// The call signed directly.
	pub fn payload(&self) -> DynamicPayload<Vec<Value>> {
		self.call().payload()
	}
}

/// `Sudo.sudo(call)`: `call` (a `RuntimeCall` value) dispatched by the admin.
pub fn sudo(call: Value) -> DynamicPayload<(Value,)> {
	dynamic::transaction("Sudo", "sudo", (call,))
}

/// A call as a `RuntimeCall` value, to wrap in `Sudo.sudo`, `Proxy.proxy` or a
/// `Utility` batch: `call("Bittensor", "set_weights", vec![("weights", ..)])`.
pub fn call(pallet: &str, name: &str, args: Vec<(&str, Value)>) -> Value {
	Value::unnamed_variant(pallet, [Value::named_variant(name, args)])
}

/// A `MultiAddress::Id` value.
fn address(who: &AccountId) -> Value {
	Value::unnamed_variant("Id", [Value::from_bytes(who.0)])
}

/// `Bittensor.set_weights(weights)` as a value.
pub fn set_weights_call(weights: &[(u32, u32)]) -> Value {
	crate::bittensor::calls::set_weights(weights).value()
}

/// `Balances.transfer_keep_alive(dest, value)`: move `value` base units, keeping the sender
/// alive.
pub fn transfer(dest: &AccountId, value: u128) -> Call {
	Call::new("Balances", "transfer_keep_alive", vec![("dest", address(dest)), ("value", Value::u128(value))])
}

/// `Balances.transfer_keep_alive(dest, value)` as a value.
pub fn transfer_call(dest: &AccountId, value: u128) -> Value {
	transfer(dest, value).value()
}

/// The proxy types of the runtime (`ProxyType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProxyType {
	/// Anything the account can do.
	Any,
	/// Only `Bittensor.set_weights`, alone or in a `Utility` batch: a hot key's.
	Weights,
}

impl ProxyType {
	fn value(self) -> Value {
		Value::unnamed_variant(match self { Self::Any => "Any", Self::Weights => "Weights" }, [])
	}
}

fn proxy_args(delegate: &AccountId, proxy_type: ProxyType) -> Vec<(&'static str, Value)> {
	vec![("delegate", address(delegate)), ("proxy_type", proxy_type.value()), ("delay", Value::u128(0))]
}

/// `Proxy.add_proxy(delegate, proxy_type, 0)`: the signer (the cold key) lets `delegate` (the
/// hot key) act for it as `proxy_type` allows, at once. Reserves the proxy deposit.
pub fn add_proxy_call(delegate: &AccountId, proxy_type: ProxyType) -> Call {
	Call::new("Proxy", "add_proxy", proxy_args(delegate, proxy_type))
}

/// [`add_proxy_call`], signed directly.
pub fn add_proxy(delegate: &AccountId, proxy_type: ProxyType) -> DynamicPayload<Vec<Value>> {
	add_proxy_call(delegate, proxy_type).payload()
}

/// `Proxy.remove_proxy(delegate, proxy_type, 0)`: undoes [`add_proxy`] and frees its deposit.
pub fn remove_proxy_call(delegate: &AccountId, proxy_type: ProxyType) -> Call {
	Call::new("Proxy", "remove_proxy", proxy_args(delegate, proxy_type))
}

/// [`remove_proxy_call`], signed directly.
pub fn remove_proxy(delegate: &AccountId, proxy_type: ProxyType) -> DynamicPayload<Vec<Value>> {
	remove_proxy_call(delegate, proxy_type).payload()
}

/// `Proxy.proxy(real, None, call)`: the signer (a proxy of `real`) dispatches `call` as `real`.
/// A call the proxy type does not allow fails inside with `System::CallFiltered`, reported by
/// the `Proxy.ProxyExecuted` event; the extrinsic itself succeeds.
pub fn proxy(real: &AccountId, call: Value) -> DynamicPayload<(Value, Value, Value)> {
	dynamic::transaction("Proxy", "proxy", (address(real), Value::unnamed_variant("None", []), call))
}

/// `Utility.batch(calls)`: the calls in order, stopping at the first that fails
/// (`Utility.BatchInterrupted`).
pub fn batch(calls: Vec<Value>) -> DynamicPayload<(Value,)> {
	dynamic::transaction("Utility", "batch", (Value::unnamed_composite(calls),))
}

/// `Utility.batch(calls)` as a value (to send through [`proxy`]).
pub fn batch_call(calls: Vec<Value>) -> Value {
	call("Utility", "batch", vec![("calls", Value::unnamed_composite(calls))])
}

/// A call by its pallet, name and named arguments, to sign directly ([`Call::payload`]) or to
/// wrap as a value ([`Call::value`]) in [`sudo`], [`proxy`] or a batch: one description serves
/// every way of sending it.
#[derive(Clone, Debug)]
pub struct Call {
	/// The pallet, e.g. `Bittensor`.
	pub pallet: &'static str,
	/// The call, e.g. `set_weights`.
	pub name: &'static str,
	/// Its arguments by name, in order.
	pub args: Vec<(&'static str, Value)>,
}

impl Call {
	/// `pallet.name(args)`.
	pub fn new(pallet: &'static str, name: &'static str, args: Vec<(&'static str, Value)>) -> Self {
		Self { pallet, name, args }
	}

	/// The call as a `RuntimeCall` value.
	pub fn value(&self) -> Value {
		call(self.pallet, self.name, self.args.clone())
	}

	/// The call signed directly.
	pub fn payload(&self) -> DynamicPayload<Vec<Value>> {
		dynamic::transaction(self.pallet, self.name, self.args.iter().map(|(_, v)| v.clone()).collect())
	}

	/// `Sudo.sudo(self)`: dispatched by the admin.
	pub fn sudo(&self) -> Self {
		Self::new("Sudo", "sudo", vec![("call", self.value())])
	}

	/// `Proxy.proxy(real, None, self)`: dispatched as `real` by its proxy (see [`proxy`]).
	pub fn proxied_for(&self, real: &AccountId) -> Self {
		Self::new(
			"Proxy",
			"proxy",
			vec![("real", address(real)), ("force_proxy_type", Value::unnamed_variant("None", [])), ("call", self.value())],
		)
	}
}
