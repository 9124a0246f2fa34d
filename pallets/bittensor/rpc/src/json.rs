//! The wire format of the `bittensor_*` methods: the JSON shapes of their answers, the exact
//! decimal formatting and parsing of amounts and fractions, and the arithmetic of the mask.
//! The node (the server in this crate), the client crate, the CLI, the simulator and the tests
//! all use these: there is no other copy.
//!
//! Token amounts are decimal strings in whole tokens with every decimal of the chain
//! (`"4000.000000000000"` with 12 decimals): exact, and safe past 2^53 where JSON numbers are
//! not ([`tokens`], [`parse_tokens`]). Weights are decimal strings with nine decimals, exactly
//! the stored `Perbill` ([`fraction`], [`parse_fraction`]).

use std::{marker::PhantomData, sync::Arc};

use pallet_bittensor_runtime_api::{
	ChainParams, InflationMode, Neuron as Record, NeuronInfo, NeuronLite as NeuronLite_, NeuronState, Uid,
};
use serde::{de::DeserializeOwned, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use sp_core::crypto::Ss58Codec;
pub use serde;
pub use sp_runtime::Perbill;

/// An answer on the wire: a `T` as JSON. The node fills it with JSON it serialized once (and
/// hands out again, from its cache, to every caller reading the same block); a client reads it
/// back as the `T` it is ([`Wire::into_value`]).
#[derive(Clone, Debug)]
pub struct Wire<T> {
	repr: Repr<T>,
}

#[derive(Clone, Debug)]
enum Repr<T> {
	Json(Arc<RawValue>, PhantomData<fn() -> T>),
	Value(T),
}

impl<T: Serialize> Wire<T> {
	/// `value` serialized once, to be sent as it is any number of times.
	pub fn serialize(value: &T) -> Result<Self, serde_json::Error> {
		let raw: Arc<RawValue> = serde_json::value::to_raw_value(value)?.into();
		Ok(Self { repr: Repr::Json(raw, PhantomData) })
	}
}

impl<T> Wire<T> {
	/// JSON already made from a `T` (by [`Wire::serialize`]).
	pub(crate) fn from_json(json: Arc<RawValue>) -> Self {
		Self { repr: Repr::Json(json, PhantomData) }
	}

	/// The JSON text's length in bytes (0 for a value not serialized yet).
	pub fn json_len(&self) -> usize {
		match &self.repr {
			Repr::Json(raw, _) => raw.get().len(),
			Repr::Value(_) => 0,
		}
	}
}

impl<T: DeserializeOwned> Wire<T> {
	/// The `T`. What a client received is one already; JSON held by the node is parsed.
	pub fn into_value(self) -> Result<T, serde_json::Error> {
		match self.repr {
			Repr::Value(value) => Ok(value),
			Repr::Json(raw, _) => serde_json::from_str(raw.get()),
		}
	}
}

impl<T: Serialize> Serialize for Wire<T> {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		match &self.repr {
			Repr::Json(raw, _) => raw.serialize(serializer),
			Repr::Value(value) => value.serialize(serializer),
		}
	}
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Wire<T> {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		T::deserialize(deserializer).map(|value| Self { repr: Repr::Value(value) })
	}
}

/// Which blocks a subscription follows.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[serde(rename_all = "camelCase")]
pub enum Blocks {
	/// Every new best block (the default).
	#[default]
	Best,
	/// Every newly finalized block (when finality moves several blocks at once, its head).
	Finalized,
}

/// One notification of a subscription: the block and the answer at it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Update<Hash, T> {
	/// The block's hash.
	pub hash: Hash,
	/// The block's number.
	pub number: u64,
	/// The answer at that block, as the matching `get` method gives it.
	pub value: T,
}

/// A neuron without its row (`bittensor_getNeuronsLite`, `bittensor_subscribeNeurons`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct NeuronLite {
	/// Its uid.
	pub uid: Uid,
	/// Its account, SS58.
	pub account: String,
	/// Its stake `s_i`, in tokens.
	pub stake: String,
	/// Its registration deposit, in tokens.
	pub deposit: String,
	/// Its rank `R_i` from the block step of the block read, in tokens.
	pub rank: String,
	/// The number of entries of its row as the block step of the block read ranked it: the
	/// length of its row in `bittensor_getRows` there. At genesis, at the block that set
	/// runtime 104's code, and at blocks of runtime 103, it is the stored length instead: there
	/// entries naming a neuron that left count until a block step cleans the row. At blocks of
	/// runtimes 100 to 102 it is the cleaned length, as `getRows` gives it.
	pub entries: u32,
}

/// A neuron's row (`bittensor_getRows`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Row {
	/// The neuron's uid.
	pub uid: Uid,
	/// Its row `w_i`: `[uid, weight]` pairs sorted by uid, the weights summing to one.
	pub weights: Vec<(Uid, String)>,
}

/// A neuron (`bittensor_getNeurons`, `bittensor_getNeuron`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Neuron {
	/// Its uid.
	pub uid: Uid,
	/// Its account, SS58.
	pub account: String,
	/// Its stake `s_i`, in tokens.
	pub stake: String,
	/// Its registration deposit, in tokens.
	pub deposit: String,
	/// Its rank `R_i` from the block step of the block read, in tokens.
	pub rank: String,
	/// Its row `w_i`: `[uid, weight]` pairs sorted by uid, the weights summing to one.
	pub weights: Vec<(Uid, String)>,
}

/// One entry of the ranking (`bittensor_getRanks`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Rank {
	/// The neuron's uid.
	pub uid: Uid,
	/// `R_uid = (1/n) sum_i s_i w_i,uid`, in tokens.
	pub rank: String,
}

/// A neuron's stake (`bittensor_getStake`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Stake {
	/// The neuron's uid.
	pub uid: Uid,
	/// Its account, SS58.
	pub account: String,
	/// Its stake, in tokens.
	pub stake: String,
}

/// How tau evolves.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Mode {
	/// tau stays as set.
	Fixed,
	/// tau follows the sparsity controller of SPEC section 5.
	Adaptive {
		/// The target sparsity (mean self-weight), a fraction.
		target: String,
		/// The controller's gain, a fraction.
		gain: String,
		/// The largest tau, in tokens per block.
		max: String,
	},
}

/// The pallet's parameters and counters (`bittensor_getParams`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Params {
	/// epsilon: the L2 bound on a row's change per block, a fraction.
	pub max_weight_change: String,
	/// tau: tokens minted per block.
	pub inflation_per_block: String,
	/// Fixed or adaptive tau.
	pub inflation_mode: Mode,
	/// The most neurons at once.
	pub max_neurons: u32,
	/// The most entries in a row.
	pub max_weights_per_row: u32,
	/// The deposit the next registration holds, in tokens: `RegistrationDeposit` doubled for
	/// each full sixteenth of `maxNeurons` registered (runtime 105 on; the constant before).
	pub registration_deposit: String,
	/// The number of registered neurons.
	pub neuron_count: u32,
	/// The uid the next registration gets.
	pub next_uid: Uid,
	/// The number of entries in all rows.
	pub total_weight_entries: u64,
	/// Everything minted by the block step since genesis, in tokens.
	pub total_minted: String,
	/// The decimals of the token amounts in these answers.
	pub token_decimals: u8,
}

/// One entry of a mask row (`bittensor_getMask`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MaskEntry {
	/// The column `j`.
	pub uid: Uid,
	/// `w_ij`, a fraction.
	pub weight: String,
	/// `mu_j = R_j`, the block's stored ranking, in tokens.
	pub mu: String,
	/// `sigmoid((s_i w_ij - mu_j) / T)`.
	pub mask: String,
}

/// `amount` base units as tokens with all `decimals` decimals: `1_500_000_000_000` with 12
/// decimals is `"1.500000000000"`.
pub fn tokens(amount: u128, decimals: u8) -> String {
	Tokens(amount, decimals).to_string()
}

/// A `Perbill` as a fraction with nine decimals: `"0.250000000"`, `"1.000000000"`.
pub fn fraction(p: Perbill) -> String {
	Fraction(p).to_string()
}

/// Base units as tokens, written where they go ([`tokens`] is its text; as JSON, a string).
#[derive(Clone, Copy)]
struct Tokens(u128, u8);

impl std::fmt::Display for Tokens {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		let (amount, decimals) = (self.0, u32::from(self.1.min(38)));
		if decimals == 0 {
			return write!(f, "{amount}");
		}
		let unit = 10u128.pow(decimals);
		write!(f, "{}.{:0width$}", amount / unit, amount % unit, width = decimals as usize)
	}
}

impl Serialize for Tokens {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(self)
	}
}

/// A `Perbill` as a fraction, written where it goes ([`fraction`] is its text).
#[derive(Clone, Copy)]
struct Fraction(Perbill);

impl Fraction {
	/// The text `"d.ddddddddd"`, digit by digit into a buffer: the node writes a million of
	/// them for the metagraph at 4,096 neurons and 256 entries a row, and this is several times
	/// faster than `write!` with padding (a `Perbill` has at most 10^9 parts, so one digit
	/// before the point).
	fn digits(self) -> [u8; 11] {
		let parts = self.0.deconstruct();
		let mut text = *b"0.000000000";
		let mut rest = parts % 1_000_000_000;
		for digit in text.iter_mut().rev().take(9) {
			*digit = b'0' + (rest % 10) as u8;
			rest /= 10;
		}
		text[0] = b'0' + (parts / 1_000_000_000).min(9) as u8;
		text
	}
}

impl std::fmt::Display for Fraction {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		let digits = self.digits();
		f.write_str(std::str::from_utf8(&digits).map_err(|_| std::fmt::Error)?)
	}
}

impl Serialize for Fraction {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		let digits = self.digits();
		serializer.serialize_str(std::str::from_utf8(&digits).map_err(serde::ser::Error::custom)?)
	}
}

/// A row as it goes on the wire: `[[uid, "weight"], …]`, written straight from the `Perbill`s.
struct RowOut<'a>(&'a [(Uid, Perbill)]);

impl Serialize for RowOut<'_> {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_seq(self.0.iter().map(|(j, w)| (j, Fraction(*w))))
	}
}

/// A [`Neuron`] as the node writes it: the same JSON, straight from the runtime API's
/// answer, without a string per weight first (the metagraph of 4,096 neurons at 256 entries a
/// row has a million of them).
pub(crate) struct NeuronOut<'a> {
	uid: Uid,
	/// The account in SS58: made for this answer, or kept with the records.
	account: std::borrow::Cow<'a, str>,
	stake: u128,
	deposit: u128,
	rank: u128,
	weights: &'a [(Uid, Perbill)],
	decimals: u8,
}

impl<'a> NeuronOut<'a> {
	/// `info` as the node writes it.
	pub(crate) fn new<AccountId: Ss58Codec>(info: &'a NeuronInfo<AccountId>, decimals: u8) -> Self {
		let NeuronInfo { uid, account, stake, deposit, rank, weights } = info;
		let account = account.to_ss58check().into();
		Self { uid: *uid, account, stake: *stake, deposit: *deposit, rank: *rank, weights, decimals }
	}
}

impl Serialize for NeuronOut<'_> {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		use serde::ser::SerializeStruct;
		let d = self.decimals;
		let mut s = serializer.serialize_struct("Neuron", 6)?;
		s.serialize_field("uid", &self.uid)?;
		s.serialize_field("account", &*self.account)?;
		s.serialize_field("stake", &Tokens(self.stake, d))?;
		s.serialize_field("deposit", &Tokens(self.deposit, d))?;
		s.serialize_field("rank", &Tokens(self.rank, d))?;
		s.serialize_field("weights", &RowOut(self.weights))?;
		s.end()
	}
}

/// A row as the runtime API's `rows` returns it: `None` for a uid not registered.
pub(crate) type RowAnswer = (Uid, Option<Vec<(Uid, Perbill)>>);

/// The records of the neurons (account, deposit) as the node keeps them under their digest,
/// each account already in SS58, by uid: what a [`NeuronLite`] adds to a [`NeuronState`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Records(Vec<(Uid, String, u128)>);

impl Records {
	/// `records`, by uid.
	pub(crate) fn new<AccountId: Ss58Codec>(records: Vec<(Uid, Record<AccountId>)>) -> Self {
		let mut records: Vec<_> =
			records.into_iter().map(|(uid, r)| (uid, r.account.to_ss58check(), r.deposit)).collect();
		records.sort_unstable_by_key(|(uid, _, _)| *uid);
		Self(records)
	}

	/// The SS58 account and the deposit of `uid`.
	fn get(&self, uid: Uid) -> Option<(&str, u128)> {
		let at = self.0.binary_search_by_key(&uid, |(j, _, _)| *j).ok()?;
		self.0.get(at).map(|(_, account, deposit)| (account.as_str(), *deposit))
	}

	/// `states` with their `rows` (both by uid, from the same block) joined with these records:
	/// the whole metagraph as the node writes it; `None` if they do not name the same uids in
	/// the same order, or a state has no record (the records are not those of the block).
	pub(crate) fn full<'a>(
		&'a self,
		states: &'a [NeuronState],
		rows: &'a [RowAnswer],
		decimals: u8,
	) -> Option<Vec<NeuronOut<'a>>> {
		if states.len() != rows.len() || states.len() != self.0.len() {
			return None;
		}
		states
			.iter()
			.zip(rows)
			.map(|(state, (uid, row))| {
				let (account, deposit) = self.get(state.uid).filter(|_| *uid == state.uid)?;
				Some(NeuronOut {
					uid: state.uid,
					account: account.into(),
					stake: state.stake,
					deposit,
					rank: state.rank,
					weights: row.as_deref()?,
					decimals,
				})
			})
			.collect()
	}

	/// `states` joined with these records, as the node writes them; `None` if they do not name
	/// the same uids (the records are not those of the states' block).
	pub(crate) fn lite<'a>(&'a self, states: &'a [NeuronState], decimals: u8) -> Option<Vec<NeuronLiteOut<'a>>> {
		if states.len() != self.0.len() {
			return None;
		}
		states
			.iter()
			.map(|state| {
				let (account, deposit) = self.get(state.uid)?;
				Some(NeuronLiteOut { state, account, deposit, decimals })
			})
			.collect()
	}
}

/// A [`NeuronLite`] as the node writes it: a neuron's state and its kept record.
pub(crate) struct NeuronLiteOut<'a> {
	state: &'a NeuronState,
	account: &'a str,
	deposit: u128,
	decimals: u8,
}

impl Serialize for NeuronLiteOut<'_> {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		use serde::ser::SerializeStruct;
		let (n, d) = (self.state, self.decimals);
		let mut s = serializer.serialize_struct("NeuronLite", 6)?;
		s.serialize_field("uid", &n.uid)?;
		s.serialize_field("account", self.account)?;
		s.serialize_field("stake", &Tokens(n.stake, d))?;
		s.serialize_field("deposit", &Tokens(self.deposit, d))?;
		s.serialize_field("rank", &Tokens(n.rank, d))?;
		s.serialize_field("entries", &n.entries)?;
		s.end()
	}
}

/// A [`Row`] as the node writes it, straight from the `Perbill`s.
pub(crate) struct RowEntryOut<'a>(pub(crate) Uid, pub(crate) &'a [(Uid, Perbill)]);

impl Serialize for RowEntryOut<'_> {
	fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		use serde::ser::SerializeStruct;
		let mut s = serializer.serialize_struct("Row", 2)?;
		s.serialize_field("uid", &self.0)?;
		s.serialize_field("weights", &RowOut(self.1))?;
		s.end()
	}
}

/// Parses tokens as [`tokens`] writes them (`"12"`, `"0.5"`, `"1234.000000000001"`: at most
/// `decimals` decimals) into base units.
pub fn parse_tokens(s: &str, decimals: u8) -> Result<u128, String> {
	parse_decimal(s, usize::from(decimals.min(38)), "token amount")
}

/// Parses a fraction as [`fraction`] writes it (`"0.050000000"`; at most nine decimals, at most
/// one) into a `Perbill`.
pub fn parse_fraction(s: &str) -> Result<Perbill, String> {
	let parts = parse_decimal(s, 9, "fraction")?;
	u32::try_from(parts)
		.ok()
		.filter(|p| *p <= 1_000_000_000)
		.map(Perbill::from_parts)
		.ok_or_else(|| format!("`{s}` is more than one"))
}

/// A row as the RPC writes it, back to `(uid, Perbill)` pairs.
pub fn parse_row(row: &[(Uid, String)]) -> Result<Vec<(Uid, Perbill)>, String> {
	row.iter().map(|(j, w)| Ok((*j, parse_fraction(w)?))).collect()
}

/// A non-negative decimal with at most `decimals` decimals, scaled by `10^decimals`.
fn parse_decimal(s: &str, decimals: usize, what: &str) -> Result<u128, String> {
	let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
	if frac.len() > decimals || whole.is_empty() && frac.is_empty() {
		return Err(format!("`{s}` is not a {what} with at most {decimals} decimals"));
	}
	let digits = |d: &str| d.chars().all(|c| c.is_ascii_digit());
	if !digits(whole) || !digits(frac) {
		return Err(format!("`{s}` is not a {what}"));
	}
	let too_large = || format!("`{s}` is too large");
	let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| too_large())? };
	let frac: u128 = format!("{frac:0<decimals$}").parse().map_err(|_| too_large())?;
	10u128
		.checked_pow(decimals as u32)
		.and_then(|unit| whole.checked_mul(unit))
		.and_then(|w| w.checked_add(frac))
		.ok_or_else(too_large)
}

/// A real number with twelve decimals.
fn real(x: f64) -> String {
	format!("{x:.12}")
}

impl Neuron {
	/// The JSON form of `info`.
	pub fn new<AccountId: Ss58Codec>(info: NeuronInfo<AccountId>, decimals: u8) -> Self {
		Self {
			uid: info.uid,
			account: info.account.to_ss58check(),
			stake: tokens(info.stake, decimals),
			deposit: tokens(info.deposit, decimals),
			rank: tokens(info.rank, decimals),
			weights: row(info.weights),
		}
	}
}

impl NeuronLite {
	/// The JSON form of `info`.
	pub fn new<AccountId: Ss58Codec>(info: NeuronLite_<AccountId>, decimals: u8) -> Self {
		Self {
			uid: info.uid,
			account: info.account.to_ss58check(),
			stake: tokens(info.stake, decimals),
			deposit: tokens(info.deposit, decimals),
			rank: tokens(info.rank, decimals),
			entries: info.entries,
		}
	}

	/// The lite form of a full neuron (for a runtime whose `BittensorApi` is older than
	/// version 2): its row's effective length as `entries`.
	pub fn from_full<AccountId: Ss58Codec>(info: NeuronInfo<AccountId>, decimals: u8) -> Self {
		let entries = u32::try_from(info.weights.len()).unwrap_or(u32::MAX);
		let NeuronInfo { uid, account, stake, deposit, rank, .. } = info;
		Self::new(NeuronLite_ { uid, account, stake, deposit, rank, entries }, decimals)
	}
}

/// A row as `[uid, weight]` pairs.
pub fn row(weights: Vec<(Uid, Perbill)>) -> Vec<(Uid, String)> {
	weights.into_iter().map(|(j, w)| (j, fraction(w))).collect()
}

impl Params {
	/// The JSON form of `p`.
	pub fn new(p: ChainParams, decimals: u8) -> Self {
		Self {
			max_weight_change: fraction(p.max_weight_change),
			inflation_per_block: tokens(p.inflation_per_block, decimals),
			inflation_mode: match p.inflation_mode {
				InflationMode::Fixed => Mode::Fixed,
				InflationMode::Adaptive { target, gain, max } => Mode::Adaptive {
					target: fraction(target),
					gain: fraction(gain),
					max: tokens(max, decimals),
				},
			},
			max_neurons: p.max_neurons,
			max_weights_per_row: p.max_weights_per_row,
			registration_deposit: tokens(p.registration_deposit, decimals),
			neuron_count: p.neuron_count,
			next_uid: p.next_uid,
			total_weight_entries: p.total_weight_entries,
			total_minted: tokens(p.total_minted, decimals),
			token_decimals: decimals,
		}
	}
}

/// Row `i` of the competitive mask (paper eq. 7 and 8, SPEC section 6) over every neuron `j`
/// of the block's ranking: `sigmoid((s_i w_ij - mu_j) / T)` with `mu_j = R_j`, the stored
/// ranking (`ranks`, by uid, base units), `s_i` the neuron's stake now, amounts in tokens, in
/// `f64`; `temperature` must be positive. O(n + |w_i|).
pub fn mask<AccountId>(
	me: &NeuronInfo<AccountId>,
	ranks: &[(Uid, u128)],
	temperature: f64,
	decimals: u8,
) -> Vec<MaskEntry> {
	let scale = 10f64.powi(i32::from(decimals));
	let w = |p: Perbill| f64::from(p.deconstruct()) / 1e9;
	let s_i = me.stake as f64 / scale;
	ranks
		.iter()
		.map(|&(j, r_j)| {
			let w_ij = me
				.weights
				.binary_search_by_key(&j, |(uid, _)| *uid)
				.ok()
				.map_or(Perbill::zero(), |pos| me.weights[pos].1);
			let mu_j = r_j as f64 / scale;
			let x = (s_i * w(w_ij) - mu_j) / temperature;
			MaskEntry {
				uid: j,
				weight: fraction(w_ij),
				mu: real(mu_j),
				mask: real(1.0 / (1.0 + (-x).exp())),
			}
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn tokens_keep_every_decimal() {
		assert_eq!(tokens(0, 12), "0.000000000000");
		assert_eq!(tokens(1_500_000_000_000, 12), "1.500000000000");
		assert_eq!(tokens(4_000_000_000_000_001, 12), "4000.000000000001");
		assert_eq!(tokens(u128::MAX, 12), "340282366920938463463374607.431768211455");
		assert_eq!(tokens(42, 0), "42");
	}

	#[test]
	fn fractions_have_nine_decimals() {
		assert_eq!(fraction(Perbill::zero()), "0.000000000");
		assert_eq!(fraction(Perbill::from_parts(250_000_000)), "0.250000000");
		assert_eq!(fraction(Perbill::from_parts(1)), "0.000000001");
		assert_eq!(fraction(Perbill::one()), "1.000000000");
		// Digit by digit, as `write!` with padding would write it.
		let many = (0..=2_000).chain((0..=1_000_000_000).step_by(999_983)).chain(999_999_000..=1_000_000_000);
		for parts in many {
			let p = Perbill::from_parts(parts);
			assert_eq!(fraction(p), format!("{}.{:09}", parts / 1_000_000_000, parts % 1_000_000_000));
			assert_eq!(serde_json::to_string(&Fraction(p)).unwrap(), format!("\"{}\"", fraction(p)));
		}
	}

	#[test]
	fn amounts_and_fractions_parse_back_exactly() {
		for amount in [0, 1, 1_500_000_000_000, 4_000_000_000_000_001, u128::MAX] {
			assert_eq!(parse_tokens(&tokens(amount, 12), 12), Ok(amount));
		}
		assert_eq!(parse_tokens("12", 12), Ok(12_000_000_000_000));
		assert_eq!(parse_tokens("0.5", 12), Ok(500_000_000_000));
		assert_eq!(parse_tokens(".5", 12), Ok(500_000_000_000));
		for bad in ["", ".", "-1", "1.0000000000001", "1e3", "0x10", "1,5", "340282366920938463463374608"] {
			assert!(parse_tokens(bad, 12).is_err(), "{bad}");
		}
		for parts in [0, 1, 250_000_000, 1_000_000_000] {
			assert_eq!(parse_fraction(&fraction(Perbill::from_parts(parts))), Ok(Perbill::from_parts(parts)));
		}
		assert_eq!(parse_fraction("0.05"), Ok(Perbill::from_parts(50_000_000)));
		for bad in ["1.000000001", "0.0000000001", "x", "2"] {
			assert!(parse_fraction(bad).is_err(), "{bad}");
		}
	}

	fn neuron(uid: Uid, stake_tokens: u128, weights: &[(Uid, u32)]) -> NeuronInfo<u64> {
		NeuronInfo {
			uid,
			account: u64::from(uid),
			stake: stake_tokens * 1_000_000_000_000,
			deposit: 0,
			rank: 0,
			weights: weights.iter().map(|(j, p)| (*j, Perbill::from_parts(*p))).collect(),
		}
	}

	#[test]
	fn mask_matches_a_hand_computation() {
		// Uids 0 and 3, s_0 = 3; row 0 = {0: .5, 3: .5}; the stored ranking R = (1.25, 0.75).
		// Row 0 at T = 0.5: x_0 = (1.5 - 1.25) / .5 = .5, x_3 = (1.5 - .75) / .5 = 1.5.
		let me = neuron(0, 3, &[(0, 500_000_000), (3, 500_000_000)]);
		let ranks = [(0, 1_250_000_000_000), (3, 750_000_000_000)];
		let m = mask(&me, &ranks, 0.5, 12);
		let sig = |x: f64| 1.0 / (1.0 + (-x).exp());
		assert_eq!(m.len(), 2);
		assert_eq!((m[0].uid, m[0].weight.as_str(), m[0].mu.as_str()), (0, "0.500000000", "1.250000000000"));
		assert_eq!(m[0].mask, format!("{:.12}", sig(0.5)));
		assert_eq!((m[1].uid, m[1].mu.as_str()), (3, "0.750000000000"));
		assert_eq!(m[1].mask, format!("{:.12}", sig(1.5)));
		// Row 3 = {0: 1} with s_3 = 1 has no entry for uid 3: w = 0, x = (0 - .75) / .5.
		let m3 = mask(&neuron(3, 1, &[(0, 1_000_000_000)]), &ranks, 0.5, 12);
		assert_eq!(m3[1].weight, "0.000000000");
		assert_eq!(m3[1].mask, format!("{:.12}", sig(-1.5)));
	}

	#[test]
	fn the_node_writes_neurons_and_rows_as_the_wire_types_say() {
		let info = NeuronInfo {
			uid: 7,
			account: sp_runtime::AccountId32::new([1; 32]),
			stake: u128::MAX,
			deposit: 1,
			rank: 7_250_000_000_000,
			weights: vec![(2, Perbill::from_parts(1)), (7, Perbill::from_parts(999_999_999))],
		};
		for d in [0, 9, 12, 38] {
			assert_eq!(
				serde_json::to_string(&NeuronOut::new(&info, d)).unwrap(),
				serde_json::to_string(&Neuron::new(info.clone(), d)).unwrap()
			);
		}
		let row = Row { uid: 7, weights: super::row(info.weights.clone()) };
		assert_eq!(
			serde_json::to_string(&RowEntryOut(7, &info.weights)).unwrap(),
			serde_json::to_string(&row).unwrap()
		);
	}

	#[test]
	fn the_node_writes_lite_neurons_from_states_and_kept_records_as_the_wire_type_says() {
		let account = sp_runtime::AccountId32::new([3; 32]);
		let records = Records::new(vec![
			(9, Record { account: account.clone(), deposit: 5 }),
			(2, Record { account: sp_runtime::AccountId32::new([4; 32]), deposit: 1 }),
		]);
		let states = [
			NeuronState { uid: 2, stake: 0, rank: 0, entries: 1 },
			NeuronState { uid: 9, stake: u128::MAX, rank: 7_250_000_000_000, entries: 64 },
		];
		let lite = NeuronLite::new(
			NeuronLite_ { uid: 9, account, stake: u128::MAX, deposit: 5, rank: 7_250_000_000_000, entries: 64 },
			12,
		);
		let other = NeuronLite::new(
			NeuronLite_ { uid: 2, account: sp_runtime::AccountId32::new([4; 32]), stake: 0, deposit: 1, rank: 0, entries: 1 },
			12,
		);
		let out = records.lite(&states, 12).unwrap();
		assert_eq!(serde_json::to_string(&out).unwrap(), serde_json::to_string(&[other.clone(), lite]).unwrap());
		// States of fewer neurons than the records are refused: they are of another block.
		assert!(records.lite(&states[1..], 12).is_none());
		// A state whose uid has no record is refused, not written with a made-up record.
		let stray = [NeuronState { uid: 3, stake: 0, rank: 0, entries: 1 }];
		assert!(records.lite(&stray, 12).is_none());
		// The whole metagraph from states, rows and records is written as from the runtime's
		// `neurons`; rows of other uids, or fewer rows, are refused.
		let weights = vec![(2, Perbill::from_parts(1)), (9, Perbill::from_parts(999_999_999))];
		let info = NeuronInfo {
			uid: 9,
			account: sp_runtime::AccountId32::new([3; 32]),
			stake: u128::MAX,
			deposit: 5,
			rank: 7_250_000_000_000,
			weights: weights.clone(),
		};
		let other_info = NeuronInfo {
			uid: 2,
			account: sp_runtime::AccountId32::new([4; 32]),
			stake: 0,
			deposit: 1,
			rank: 0,
			weights: vec![(2, Perbill::one())],
		};
		let rows = [(2, Some(other_info.weights.clone())), (9, Some(weights))];
		assert_eq!(
			serde_json::to_string(&records.full(&states, &rows, 12).unwrap()).unwrap(),
			serde_json::to_string(&[Neuron::new(other_info, 12), Neuron::new(info, 12)]).unwrap()
		);
		assert!(records.full(&states, &[rows[1].clone(), rows[0].clone()], 12).is_none());
		assert!(records.full(&states, &rows[..1], 12).is_none());
	}

	#[test]
	fn wire_answers_serialize_once_and_read_back_as_their_value() {
		let ranks = vec![Rank { uid: 1, rank: "2.000000000000".into() }];
		let wire = Wire::serialize(&ranks).unwrap();
		let text = serde_json::to_string(&wire).unwrap();
		assert_eq!(text, r#"[{"uid":1,"rank":"2.000000000000"}]"#);
		assert_eq!(wire.json_len(), text.len());
		let back: Wire<Vec<Rank>> = serde_json::from_str(&text).unwrap();
		assert_eq!(back.into_value().unwrap(), ranks);
		assert_eq!(wire.into_value().unwrap(), ranks);
	}

	#[test]
	fn answers_serialize_as_documented() {
		let info = NeuronInfo {
			uid: 2,
			account: sp_runtime::AccountId32::new([0; 32]),
			stake: 5_000_000_000_000,
			deposit: 1,
			rank: 7_250_000_000_000,
			weights: vec![(2, Perbill::one())],
		};
		assert_eq!(
			serde_json::to_value(Neuron::new(info, 12)).unwrap(),
			serde_json::json!({"uid": 2, "account": "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM",
				"stake": "5.000000000000", "deposit": "0.000000000001", "rank": "7.250000000000",
				"weights": [[2, "1.000000000"]]})
		);
		let mode = Mode::Adaptive { target: "0.5".into(), gain: "0.1".into(), max: "2".into() };
		assert_eq!(
			serde_json::to_value(mode).unwrap(),
			serde_json::json!({"type": "adaptive", "target": "0.5", "gain": "0.1", "max": "2"})
		);
		assert_eq!(serde_json::to_value(Mode::Fixed).unwrap(), serde_json::json!({"type": "fixed"}));
	}
}
