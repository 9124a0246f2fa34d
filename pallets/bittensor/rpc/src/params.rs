//! Parameters of the `bittensor_*` methods that can carry more than a number: each checks its
//! size while it is decoded, before any work is done on it, and refuses with a short message
//! that does not echo the input back (the server answers `-32602 Invalid params` with it).

use std::fmt;

use pallet_bittensor_runtime_api::Uid;
use serde::{
	de::{self, SeqAccess, Visitor},
	Deserialize, Deserializer, Serialize,
};
use serde_json::Value;

/// The longest SS58 address taken, in characters. A 32-byte account with the longest (two-byte)
/// network prefix is 49 characters; base58 decoding costs time quadratic in the length, so a
/// longer string is refused before it is decoded.
pub const MAX_SS58_LEN: usize = 64;

/// The most uids one call may name (`bittensor_getRows`): the runtime's `MaxNeurons`. To read
/// every row, pass no list.
pub const MAX_UIDS: usize = 4096;

/// What a JSON value is, for errors: never the value itself (serde's own messages quote a
/// string back in full).
fn describe(value: &Value) -> String {
	match value {
		Value::Null => "null".into(),
		Value::Bool(_) => "a boolean".into(),
		Value::Number(_) => "a number".into(),
		Value::String(s) => format!("a string ({} bytes)", s.len()),
		Value::Array(a) => format!("a list ({} elements)", a.len()),
		Value::Object(_) => "an object".into(),
	}
}

/// The parameter as a JSON value. Read as a `Value` rather than through `deserialize_any`, so
/// that numbers read the same whether or not serde_json's `arbitrary_precision` is on.
fn value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
	Value::deserialize(deserializer)
}

fn uid_of<E: de::Error>(n: &serde_json::Number) -> Result<Uid, E> {
	if let Some(v) = n.as_u64() {
		return Uid::try_from(v).map_err(|_| E::custom(format!("uid {v} is larger than 4294967295")));
	}
	if n.as_i64().is_some() {
		return Err(E::custom("a uid is not negative"));
	}
	Err(E::custom("a uid is an integer from 0 to 4294967295"))
}

/// A uid parameter: a JSON integer from 0 to 4294967295. Anything else is refused with a
/// message that says what it was, without quoting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct UidParam(pub Uid);

impl From<Uid> for UidParam {
	fn from(uid: Uid) -> Self {
		Self(uid)
	}
}

impl<'de> Deserialize<'de> for UidParam {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		match value(deserializer)? {
			Value::Number(n) => uid_of(&n).map(UidParam),
			other => Err(de::Error::custom(format!("a uid is a JSON number, not {}", describe(&other)))),
		}
	}
}

/// The mask's temperature `T`, in tokens: a positive, finite JSON number. `0`, `-0`, a
/// negative number, a number past `f64` (`1e309`) and anything that is not a number (`"NaN"`)
/// are refused.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Temperature(pub f64);

impl From<f64> for Temperature {
	fn from(t: f64) -> Self {
		Self(t)
	}
}

impl<'de> Deserialize<'de> for Temperature {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		match value(deserializer)? {
			Value::Number(n) => match n.as_f64() {
				Some(t) if t.is_finite() && t > 0.0 => Ok(Temperature(t)),
				Some(t) if t == 0.0 => Err(de::Error::custom("the temperature must be positive, not 0")),
				Some(t) if t < 0.0 => Err(de::Error::custom("the temperature must be positive, not negative")),
				_ => Err(de::Error::custom("the temperature must be a finite number")),
			},
			other => Err(de::Error::custom(format!(
				"the temperature is a JSON number, not {}",
				describe(&other)
			))),
		}
	}
}

/// A neuron named by uid (a JSON number) or by account (an SS58 string of at most
/// [`MAX_SS58_LEN`] characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Who {
	/// A uid.
	Uid(Uid),
	/// An SS58 address.
	Account(String),
}

impl From<Uid> for Who {
	fn from(uid: Uid) -> Self {
		Who::Uid(uid)
	}
}

impl<'de> Deserialize<'de> for Who {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		match value(deserializer)? {
			Value::Number(n) => uid_of(&n).map(Who::Uid),
			Value::String(s) if s.len() > MAX_SS58_LEN => Err(de::Error::custom(format!(
				"an SS58 address has at most {MAX_SS58_LEN} characters; this string has {}",
				s.len()
			))),
			Value::String(s) => Ok(Who::Account(s)),
			other => Err(de::Error::custom(format!(
				"a neuron is named by a uid or an SS58 address, not {}",
				describe(&other)
			))),
		}
	}
}

/// A list of at most [`MAX_UIDS`] distinct uids. A longer list is refused at its first element
/// past the limit, before the rest is read; a uid listed twice is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Uids(pub Vec<Uid>);

impl<'de> Deserialize<'de> for Uids {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		struct UidsVisitor;
		impl<'de> Visitor<'de> for UidsVisitor {
			type Value = Uids;

			fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
				write!(f, "a list of at most {MAX_UIDS} uids")
			}

			fn visit_str<E: de::Error>(self, v: &str) -> Result<Uids, E> {
				Err(E::custom(format!("a list of uids, not a string ({} bytes)", v.len())))
			}

			fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Uids, A::Error> {
				let mut uids = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MAX_UIDS));
				let mut seen = std::collections::HashSet::new();
				while let Some(UidParam(uid)) = seq.next_element::<UidParam>()? {
					if uids.len() == MAX_UIDS {
						return Err(de::Error::custom(format!("more than {MAX_UIDS} uids")));
					}
					if !seen.insert(uid) {
						return Err(de::Error::custom(format!("uid {uid} is listed twice")));
					}
					uids.push(uid);
				}
				Ok(Uids(uids))
			}
		}
		deserializer.deserialize_seq(UidsVisitor)
	}
}

/// Which blocks a subscription follows: `"best"` (also when absent) or `"finalized"`.
impl<'de> Deserialize<'de> for crate::json::Blocks {
	fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		match value(deserializer)? {
			Value::String(s) if s == "best" => Ok(Self::Best),
			Value::String(s) if s == "finalized" => Ok(Self::Finalized),
			other => Err(de::Error::custom(format!(
				"the blocks to follow are \"best\" or \"finalized\", not {}",
				describe(&other)
			))),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn who(json: &str) -> Result<Who, String> {
		serde_json::from_str(json).map_err(|e| e.to_string())
	}

	#[test]
	fn who_takes_uids_and_short_strings_and_refuses_the_rest_without_echo() {
		assert_eq!(who("7"), Ok(Who::Uid(7)));
		assert_eq!(who("\"5Grw\""), Ok(Who::Account("5Grw".into())));
		for bad in ["-1", "1.5", "4294967296", "null", "[1]", "{}"] {
			assert!(who(bad).is_err(), "{bad}");
		}
		let long = format!("\"{}\"", "x".repeat(1 << 20));
		let err = who(&long).unwrap_err();
		assert!(err.contains("at most 64 characters") && err.len() < 200, "{err}");
	}

	#[test]
	fn uids_and_temperatures_refuse_what_they_are_not_in_a_few_words() {
		let uid = |json: &str| serde_json::from_str::<UidParam>(json).map_err(|e| e.to_string());
		assert_eq!(uid("4294967295"), Ok(UidParam(u32::MAX)));
		for bad in ["-1", "1.5", "4294967296", "null", "true", "[0]", "{}", "\"7\""] {
			assert!(uid(bad).is_err(), "{bad}");
		}
		let err = uid(&format!("\"{}\"", "7".repeat(1 << 20))).unwrap_err();
		assert!(err.contains("not a string (1048576 bytes)") && err.len() < 200, "{err}");
		let t = |json: &str| serde_json::from_str::<Temperature>(json).map_err(|e| e.to_string());
		assert_eq!(t("0.5"), Ok(Temperature(0.5)));
		assert_eq!(t("2"), Ok(Temperature(2.0)));
		for bad in ["0", "-0", "-1", "1e309", "\"NaN\"", "null", "[1]"] {
			assert!(t(bad).is_err(), "{bad}");
		}
		let list = serde_json::from_str::<Uids>(&format!("[\"{}\"]", "x".repeat(1 << 20))).unwrap_err().to_string();
		assert!(list.len() < 200, "{list}");
	}

	#[test]
	fn blocks_are_best_or_finalized() {
		use crate::json::Blocks;
		assert_eq!(serde_json::from_str::<Blocks>("\"best\"").unwrap(), Blocks::Best);
		assert_eq!(serde_json::from_str::<Blocks>("\"finalized\"").unwrap(), Blocks::Finalized);
		assert_eq!(serde_json::to_string(&Blocks::Finalized).unwrap(), "\"finalized\"");
		let err = serde_json::from_str::<Blocks>(&format!("\"{}\"", "x".repeat(1 << 20))).unwrap_err().to_string();
		assert!(err.contains("not a string (1048576 bytes)") && err.len() < 200, "{err}");
	}

	#[test]
	fn uid_lists_stop_at_the_limit() {
		let ok: Uids = serde_json::from_str("[3, 1, 2]").unwrap();
		assert_eq!(ok, Uids(vec![3, 1, 2]));
		let at_limit = serde_json::to_string(&(0..MAX_UIDS as u32).collect::<Vec<_>>()).unwrap();
		assert_eq!(serde_json::from_str::<Uids>(&at_limit).unwrap().0.len(), MAX_UIDS);
		let over = serde_json::to_string(&(0..=MAX_UIDS as u32).collect::<Vec<_>>()).unwrap();
		let err = serde_json::from_str::<Uids>(&over).unwrap_err().to_string();
		assert!(err.contains("more than 4096 uids"), "{err}");
		assert!(serde_json::from_str::<Uids>("[-1]").is_err());
		let twice = serde_json::from_str::<Uids>("[1, 2, 1]").unwrap_err().to_string();
		assert!(twice.contains("uid 1 is listed twice"), "{twice}");
		assert!(serde_json::from_str::<Uids>("\"0\"").is_err());
	}
}
