//! The BitTensor pallet from the client side: its calls and its storage, typed.

use crate::{AccountId, Client, Error, Hash};
use subxt::{
	dynamic::{self, Value},
	ext::scale_decode,
	transactions::DynamicPayload,
};

/// Parts of one: weights are stored as `Perbill` parts (one is `1_000_000_000`).
pub const ONE_PARTS: u32 = 1_000_000_000;

/// The pallet's account, `PalletId(*b"bt/stake")` as the runtime sets it: `modl` ++ the id,
/// padded with zeros. It holds the minted stake not yet settled onto the neurons (its
/// `PendingStake` hold), above an existential deposit of its own.
pub fn pallet_account() -> AccountId {
	let mut bytes = [0u8; 32];
	bytes[..4].copy_from_slice(b"modl");
	bytes[4..12].copy_from_slice(b"bt/stake");
	AccountId::from(bytes)
}

/// A registered neuron as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeuronInfo {
	/// Its uid.
	pub uid: u32,
	/// Its account.
	pub account: AccountId,
	/// Its stake `s_i`, base units.
	pub stake: u128,
	/// Its registration deposit, base units.
	pub deposit: u128,
}

/// The pallet's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
	/// epsilon, in parts of one.
	pub max_weight_change: u32,
	/// tau, base units per block.
	pub inflation_per_block: u128,
	/// `None` for fixed tau, else `(target parts, gain parts, max)`.
	pub adaptive: Option<(u32, u32, u128)>,
	/// The uid the next registration gets.
	pub next_uid: u32,
	/// The number of entries in all rows.
	pub total_weight_entries: u64,
	/// Everything the block step minted since genesis, base units.
	pub total_minted: u128,
	/// The runtime constants `MaxNeurons`, `MaxWeightsPerRow`, `RegistrationDeposit`.
	pub max_neurons: u32,
	/// `MaxWeightsPerRow`.
	pub max_weights_per_row: u32,
	/// `RegistrationDeposit`, base units: the base of the deposit, which doubles with each
	/// sixteenth of `MaxNeurons` registered (runtime 105 on).
	pub registration_deposit: u128,
}

#[derive(scale_decode::DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct Neuron {
	account: AccountId,
	deposit: u128,
}

#[derive(scale_decode::DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct Parts(u32);

#[derive(scale_decode::DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
enum Mode {
	Fixed,
	Adaptive { target: Parts, gain: Parts, max: u128 },
}

/// `Bittensor.register()`.
pub fn register() -> DynamicPayload<()> {
	dynamic::transaction("Bittensor", "register", ())
}

/// `Bittensor.unregister()`.
pub fn unregister() -> DynamicPayload<()> {
	dynamic::transaction("Bittensor", "unregister", ())
}

/// `Bittensor.add_stake(amount)`, base units.
pub fn add_stake(amount: u128) -> DynamicPayload<(u128,)> {
	dynamic::transaction("Bittensor", "add_stake", (amount,))
}

/// `Bittensor.remove_stake(amount)`, base units.
pub fn remove_stake(amount: u128) -> DynamicPayload<(u128,)> {
	dynamic::transaction("Bittensor", "remove_stake", (amount,))
}

/// `Bittensor.settle_stake(uid)`: moves neuron `uid`'s pending stake onto its hold (anyone may
/// send it).
pub fn settle_stake(uid: u32) -> DynamicPayload<(u32,)> {
	dynamic::transaction("Bittensor", "settle_stake", (uid,))
}

/// `Bittensor.set_weights(weights)`: raw scores `(uid, score)`.
pub fn set_weights(weights: Vec<(u32, u32)>) -> DynamicPayload<(Vec<(u32, u32)>,)> {
	dynamic::transaction("Bittensor", "set_weights", (weights,))
}

/// The three arguments of `Bittensor.set_params`: `None` leaves a parameter as it is.
fn set_params_args(
	max_weight_change: Option<u32>,
	inflation_per_block: Option<u128>,
	adaptive: Option<Option<(u32, u32, u128)>>,
) -> [(&'static str, Value); 3] {
	let opt = |v: Option<Value>| match v {
		Some(v) => Value::unnamed_variant("Some", [v]),
		None => Value::unnamed_variant("None", []),
	};
	let perbill = |p: u32| Value::unnamed_composite([Value::u128(u128::from(p))]);
	let mode = adaptive.map(|a| match a {
		None => Value::named_variant::<_, String, _>("Fixed", []),
		Some((target, gain, max)) => Value::named_variant(
			"Adaptive",
			[
				("target", perbill(target)),
				("gain", perbill(gain)),
				("max", Value::u128(max)),
			],
		),
	});
	[
		("max_weight_change", opt(max_weight_change.map(perbill))),
		("inflation_per_block", opt(inflation_per_block.map(Value::u128))),
		("inflation_mode", opt(mode)),
	]
}

/// `Bittensor.set_params(..)` signed directly (only the admin origin, root, may; anyone else
/// gets `BadOrigin`).
pub fn set_params(
	max_weight_change: Option<u32>,
	inflation_per_block: Option<u128>,
	adaptive: Option<Option<(u32, u32, u128)>>,
) -> DynamicPayload<(Value, Value, Value)> {
	let [(_, a), (_, b), (_, c)] = set_params_args(max_weight_change, inflation_per_block, adaptive);
	dynamic::transaction("Bittensor", "set_params", (a, b, c))
}

/// `Sudo.sudo(Bittensor.set_params(..))`: `None` leaves a parameter as it is.
pub fn sudo_set_params(
	max_weight_change: Option<u32>,
	inflation_per_block: Option<u128>,
	adaptive: Option<Option<(u32, u32, u128)>>,
) -> DynamicPayload<(Value,)> {
	let args = set_params_args(max_weight_change, inflation_per_block, adaptive);
	let call =
		Value::unnamed_variant("Bittensor", [Value::named_variant("set_params", args)]);
	dynamic::transaction("Sudo", "sudo", (call,))
}

/// The pallet's calls as [`crate::tx::Call`]s: one description to sign directly, to send
/// through a proxy (a hot key) or under sudo (`set_params`).
pub mod calls {
	use crate::tx::{Call, Value};

	/// `Bittensor.register()`.
	pub fn register() -> Call {
		Call::new("Bittensor", "register", vec![])
	}

	/// `Bittensor.unregister()`.
	pub fn unregister() -> Call {
		Call::new("Bittensor", "unregister", vec![])
	}

	/// `Bittensor.add_stake(amount)`, base units.
	pub fn add_stake(amount: u128) -> Call {
		Call::new("Bittensor", "add_stake", vec![("amount", Value::u128(amount))])
	}

	/// `Bittensor.remove_stake(amount)`, base units.
	pub fn remove_stake(amount: u128) -> Call {
		Call::new("Bittensor", "remove_stake", vec![("amount", Value::u128(amount))])
	}

	/// `Bittensor.settle_stake(uid)`.
	pub fn settle_stake(uid: u32) -> Call {
		Call::new("Bittensor", "settle_stake", vec![("uid", Value::u128(u128::from(uid)))])
	}

	/// `Bittensor.set_weights(weights)`: raw scores `(uid, score)`.
	pub fn set_weights(weights: &[(u32, u32)]) -> Call {
		let weights = weights.iter().map(|(uid, score)| {
			Value::unnamed_composite([Value::u128(u128::from(*uid)), Value::u128(u128::from(*score))])
		});
		Call::new("Bittensor", "set_weights", vec![("weights", Value::unnamed_composite(weights))])
	}

	/// `Bittensor.set_params(..)`: `None` leaves a parameter as it is (admin only: wrap it with
	/// [`Call::sudo`]).
	pub fn set_params(
		max_weight_change: Option<u32>,
		inflation_per_block: Option<u128>,
		adaptive: Option<Option<(u32, u32, u128)>>,
	) -> Call {
		Call::new("Bittensor", "set_params", super::set_params_args(max_weight_change, inflation_per_block, adaptive).to_vec())
	}
}

/// Neuron `uid`'s whole stake in the stake vector; an error where it has none (a block of a
/// runtime before spec_version 102, which kept stakes in the neuron records).
fn stake_of(stakes: &[(u32, u128)], uid: u32) -> Result<u128, Error> {
	stakes
		.binary_search_by_key(&uid, |(j, _)| *j)
		.map(|i| stakes[i].1)
		.map_err(|_| Error::Missing(format!("neuron {uid} in Bittensor.Stakes at this block")))
}

impl Client {
	/// The stake vector at `at`: `(uid, whole stake)` sorted by uid.
	pub async fn stakes(&self, at: Option<Hash>) -> Result<Vec<(u32, u128)>, Error> {
		let at = self.at(at).await?;
		let address = dynamic::storage::<(), Vec<(u32, u128)>>("Bittensor", "Stakes");
		match at.storage().try_fetch(address, ()).await.map_err(Error::subxt)? {
			Some(v) => v.decode().map_err(Error::decode),
			None => Ok(Vec::new()),
		}
	}

	/// Every registered neuron at `at` (best block when `None`), sorted by uid, with its whole
	/// stake (settled and pending).
	pub async fn neurons(&self, at: Option<Hash>) -> Result<Vec<NeuronInfo>, Error> {
		// Records and stakes from one block.
		let at = Some(match at {
			Some(hash) => hash,
			None => self.best_hash().await?,
		});
		let stakes = self.stakes(at).await?;
		let at = self.at(at).await?;
		let address = dynamic::storage::<(u32,), Neuron>("Bittensor", "Neurons");
		let mut entries = at.storage().iter(address, ()).await.map_err(Error::subxt)?;
		let mut out = Vec::new();
		while let Some(entry) = entries.next().await {
			let entry = entry.map_err(Error::subxt)?;
			let (uid,) = entry.key().map_err(Error::decode)?.decode().map_err(Error::decode)?;
			let n = entry.value().decode().map_err(Error::decode)?;
			out.push(NeuronInfo { uid, account: n.account, stake: stake_of(&stakes, uid)?, deposit: n.deposit });
		}
		out.sort_by_key(|n| n.uid);
		Ok(out)
	}

	/// Neuron `uid` at `at`, if registered.
	pub async fn neuron(&self, uid: u32, at: Option<Hash>) -> Result<Option<NeuronInfo>, Error> {
		let at = Some(match at {
			Some(hash) => hash,
			None => self.best_hash().await?,
		});
		let stakes = self.stakes(at).await?;
		let at = self.at(at).await?;
		let address = dynamic::storage::<(u32,), Neuron>("Bittensor", "Neurons");
		let value = at.storage().try_fetch(address, (uid,)).await.map_err(Error::subxt)?;
		Ok(match value {
			Some(v) => {
				let n = v.decode().map_err(Error::decode)?;
				Some(NeuronInfo { uid, account: n.account, stake: stake_of(&stakes, uid)?, deposit: n.deposit })
			},
			None => None,
		})
	}

	/// The uid of `who` at `at`, if registered.
	pub async fn uid_of(&self, who: &AccountId, at: Option<Hash>) -> Result<Option<u32>, Error> {
		let at = self.at(at).await?;
		let address = dynamic::storage::<(AccountId,), u32>("Bittensor", "Uids");
		match at.storage().try_fetch(address, (who.clone(),)).await.map_err(Error::subxt)? {
			Some(v) => Ok(Some(v.decode().map_err(Error::decode)?)),
			None => Ok(None),
		}
	}

	/// The ranking of the last block step at `at`: `(uid, R_uid)` in base units.
	pub async fn ranks(&self, at: Option<Hash>) -> Result<Vec<(u32, u128)>, Error> {
		let at = self.at(at).await?;
		let address = dynamic::storage::<(), Vec<(u32, u128)>>("Bittensor", "Ranks");
		let value = at.storage().fetch(address, ()).await.map_err(Error::subxt)?;
		value.decode().map_err(Error::decode)
	}

	/// Row `uid` of `W` at `at`: `(uid, parts)`, parts summing to [`ONE_PARTS`].
	pub async fn weights(&self, uid: u32, at: Option<Hash>) -> Result<Option<Vec<(u32, u32)>>, Error> {
		let at = self.at(at).await?;
		let address = dynamic::storage::<(u32,), Vec<(u32, Parts)>>("Bittensor", "Weights");
		match at.storage().try_fetch(address, (uid,)).await.map_err(Error::subxt)? {
			Some(v) => Ok(Some(
				v.decode().map_err(Error::decode)?.into_iter().map(|(j, p)| (j, p.0)).collect(),
			)),
			None => Ok(None),
		}
	}

	/// The pallet's parameters, counters (storage) and constants (metadata) at `at`.
	pub async fn params(&self, at: Option<Hash>) -> Result<Params, Error> {
		let at = self.at(at).await?;
		let storage = at.storage();
		macro_rules! value {
			($name:literal, $ty:ty) => {
				storage
					.fetch(dynamic::storage::<(), $ty>("Bittensor", $name), ())
					.await
					.map_err(Error::subxt)?
					.decode()
					.map_err(Error::decode)?
			};
		}
		let eps: Parts = value!("MaxWeightChange", Parts);
		let mode: Mode = value!("Inflation", Mode);
		let constants = at.constants();
		let constant = |name: &str| dynamic::constant::<u128>("Bittensor", name.to_owned());
		let small = |name: &str| dynamic::constant::<u32>("Bittensor", name.to_owned());
		Ok(Params {
			max_weight_change: eps.0,
			inflation_per_block: value!("InflationPerBlock", u128),
			adaptive: match mode {
				Mode::Fixed => None,
				Mode::Adaptive { target, gain, max } => Some((target.0, gain.0, max)),
			},
			next_uid: value!("NextUid", u32),
			total_weight_entries: value!("TotalWeightEntries", u64),
			total_minted: value!("TotalMinted", u128),
			max_neurons: constants.entry(small("MaxNeurons")).map_err(Error::subxt)?,
			max_weights_per_row: constants.entry(small("MaxWeightsPerRow")).map_err(Error::subxt)?,
			registration_deposit: constants.entry(constant("RegistrationDeposit")).map_err(Error::subxt)?,
		})
	}
}

/// The decimals of the chain's token (the `tokenDecimals` property of its chain specs).
pub const TOKEN_DECIMALS: u8 = 12;

/// Base units as TAO with all 12 decimals, e.g. `1234.500000000000` (the RPC's format,
/// [`crate::json::tokens`]).
pub fn format_tao(amount: u128) -> String {
	crate::json::tokens(amount, TOKEN_DECIMALS)
}

/// A TAO amount (`"12"`, `"0.5"`, `"1234.000000000001"`) in base units
/// ([`crate::json::parse_tokens`]).
pub fn parse_tao(s: &str) -> Result<u128, String> {
	crate::json::parse_tokens(s, TOKEN_DECIMALS)
}

/// A fraction as the RPC writes it (`"0.050000000"`, at most 9 decimals, at most `1`) in
/// `Perbill` parts ([`crate::json::parse_fraction`]).
pub fn parse_fraction(s: &str) -> Result<u32, String> {
	crate::json::parse_fraction(s).map(|p| p.deconstruct())
}

/// A neuron as the runtime API `BittensorApi` returns it, decoded through the metadata.
#[derive(Debug, Clone, PartialEq, Eq, scale_decode::DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
pub struct ApiNeuron {
	/// Its uid.
	pub uid: u32,
	/// Its account.
	pub account: AccountId,
	/// Its stake, base units.
	pub stake: u128,
	/// Its deposit, base units.
	pub deposit: u128,
	/// Its rank from the last block step, base units.
	pub rank: u128,
	/// Its row as it counts now: `(uid, Perbill parts)`.
	pub weights: Vec<(u32, PerbillParts)>,
}

/// A `Perbill` decoded through the metadata: its parts of [`ONE_PARTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale_decode::DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
pub struct PerbillParts(pub u32);

impl Client {
	/// Calls the runtime API method `BittensorApi_<method>` at `at` (best block when `None`),
	/// encoding `args` and decoding the answer through the runtime metadata (v15+), as
	/// polkadot.js `api.call.bittensorApi.<method>` does.
	pub async fn bittensor_api<A, R>(&self, method: &str, args: A, at: Option<Hash>) -> Result<R, Error>
	where
		A: subxt::ext::frame_decode::helpers::IntoEncodableValues,
		R: scale_decode::DecodeAsType,
	{
		let at = self.at(at).await?;
		let payload = dynamic::runtime_api_call::<A, R>("BittensorApi", method, args);
		at.runtime_apis().call(payload).await.map_err(Error::subxt)
	}
}
