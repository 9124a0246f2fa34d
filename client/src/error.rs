//! The client's error type.

use std::fmt::Display;

/// What can go wrong talking to a node.
#[derive(Debug)]
pub enum Error {
	/// The JSON-RPC call failed (connection, or an error answer); the text is the node's.
	Rpc(String),
	/// The node answered a JSON-RPC call with an error object.
	RpcCall {
		/// The JSON-RPC error code.
		code: i32,
		/// The error message.
		message: String,
		/// The error's `data`, as JSON text, if any.
		data: Option<String>,
	},
	/// The transaction pool refused or dropped the transaction (e.g. bad signature, stale
	/// nonce, cannot pay fees); the text is the pool's reason.
	Pool(String),
	/// The extrinsic was included but failed; the text names the module error
	/// (e.g. `Balances::InsufficientBalance`).
	Dispatch(String),
	/// A value could not be decoded against the runtime metadata.
	Decode(String),
	/// Something else inside subxt.
	Subxt(String),
	/// An expected item (event, storage entry) was absent.
	Missing(String),
	/// A dev account name that the keyring does not know.
	UnknownDevAccount(String),
	/// A secret URI or key that makes no key pair; the text says why (never the secret).
	BadKey(String),
	/// Waiting for a condition ran out of time.
	Timeout(String),
}

impl Error {
	/// The JSON-RPC error code, if the node answered with an error object.
	pub fn rpc_code(&self) -> Option<i32> {
		match self {
			Self::RpcCall { code, .. } => Some(*code),
			_ => None,
		}
	}
	pub(crate) fn rpc_call(e: subxt::rpcs::Error) -> Self {
		match e {
			subxt::rpcs::Error::User(u) =>
				Self::RpcCall { code: u.code, message: u.message, data: u.data.map(|d| d.get().to_owned()) },
			other => Self::rpc(other),
		}
	}
	pub(crate) fn rpc(e: impl Display) -> Self {
		Self::Rpc(e.to_string())
	}
	pub(crate) fn pool(e: impl Display) -> Self {
		Self::Pool(e.to_string())
	}
	pub(crate) fn dispatch(e: impl Display) -> Self {
		Self::Dispatch(e.to_string())
	}
	pub(crate) fn decode(e: impl Display) -> Self {
		Self::Decode(e.to_string())
	}
	pub(crate) fn subxt(e: impl Display) -> Self {
		Self::Subxt(e.to_string())
	}
}

impl Display for Error {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Rpc(m) => write!(f, "RPC error: {m}"),
			Self::RpcCall { code, message, data } => match data {
				Some(d) => write!(f, "RPC error {code}: {message}: {d}"),
				None => write!(f, "RPC error {code}: {message}"),
			},
			Self::Pool(m) => write!(f, "transaction refused by the pool: {m}"),
			Self::Dispatch(m) => write!(f, "extrinsic failed: {m}"),
			Self::Decode(m) => write!(f, "decode error: {m}"),
			Self::Subxt(m) => write!(f, "client error: {m}"),
			Self::Missing(m) => write!(f, "missing: {m}"),
			Self::UnknownDevAccount(m) => write!(f, "unknown dev account `{m}`"),
			Self::BadKey(m) => write!(f, "{m}"),
			Self::Timeout(m) => write!(f, "timed out: {m}"),
		}
	}
}

impl std::error::Error for Error {}

/// An error of the typed `bittensor_*` client: an error answer keeps its code.
impl From<jsonrpsee::core::client::Error> for Error {
	fn from(e: jsonrpsee::core::client::Error) -> Self {
		match e {
			jsonrpsee::core::client::Error::Call(call) => Self::RpcCall {
				code: call.code(),
				message: call.message().to_owned(),
				data: call.data().map(|d| d.get().to_owned()),
			},
			other => Self::rpc(other),
		}
	}
}

/// A `bittensor_*` answer that does not parse as its type.
impl From<serde_json::Error> for Error {
	fn from(e: serde_json::Error) -> Self {
		Self::decode(e)
	}
}
