//! Typed calls of the standard node RPC methods the tests and tools use.

use crate::{Client, Error, Hash};
use serde::{de::DeserializeOwned, Deserialize};
use subxt::rpcs::client::RpcParams;

/// `system_health`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
	/// Connected peers.
	pub peers: u64,
	/// Whether the node is syncing.
	pub is_syncing: bool,
	/// Whether the node expects peers (false for `--dev`).
	pub should_have_peers: bool,
}

/// A block header as `chain_getHeader` returns it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
	/// The parent's hash.
	pub parent_hash: Hash,
	/// The block number, as a `0x` hex string.
	pub number: String,
	/// The state root.
	pub state_root: Hash,
}

impl Header {
	/// The block number.
	pub fn number(&self) -> Result<u64, Error> {
		u64::from_str_radix(self.number.trim_start_matches("0x"), 16)
			.map_err(|e| Error::Decode(format!("block number `{}`: {e}", self.number)))
	}
}

/// What `engine_createBlock` returns.
#[derive(Debug, Clone, Deserialize)]
pub struct CreatedBlock {
	/// The new block's hash.
	pub hash: Hash,
}

impl Client {
	/// Calls the JSON-RPC method `method` with positional `params` and decodes the answer.
	pub async fn call<T: DeserializeOwned>(
		&self,
		method: &str,
		params: Vec<serde_json::Value>,
	) -> Result<T, Error> {
		let mut p = RpcParams::new();
		for param in params {
			p.push(param).map_err(Error::rpc)?;
		}
		self.rpc_client().request(method, p).await.map_err(Error::rpc_call)
	}

	/// `system_health`.
	pub async fn system_health(&self) -> Result<Health, Error> {
		self.call("system_health", vec![]).await
	}

	/// `chain_getHeader` of `at` (the best block when `None`).
	pub async fn header(&self, at: Option<Hash>) -> Result<Header, Error> {
		let params = at.map(|h| vec![serde_json::json!(h)]).unwrap_or_default();
		self.call("chain_getHeader", params).await
	}

	/// `chain_getBlockHash` without a number: the best block's hash.
	pub async fn best_hash(&self) -> Result<Hash, Error> {
		self.call("chain_getBlockHash", vec![]).await
	}

	/// `chain_getBlockHash` of block `number` on the best chain (`None` past its head).
	pub async fn block_hash(&self, number: u64) -> Result<Option<Hash>, Error> {
		self.call("chain_getBlockHash", vec![serde_json::json!(number)]).await
	}

	/// `chain_getFinalizedHead`.
	pub async fn finalized_head(&self) -> Result<Hash, Error> {
		self.call("chain_getFinalizedHead", vec![]).await
	}

	/// The number of the best block.
	pub async fn best_number(&self) -> Result<u64, Error> {
		self.header(None).await?.number()
	}

	/// The number of the finalized block.
	pub async fn finalized_number(&self) -> Result<u64, Error> {
		let head = self.finalized_head().await?;
		self.header(Some(head)).await?.number()
	}

	/// `engine_createBlock(create_empty, finalize)` on a node run with `--sealing`.
	pub async fn create_block(
		&self,
		create_empty: bool,
		finalize: bool,
	) -> Result<CreatedBlock, Error> {
		self.call(
			"engine_createBlock",
			vec![serde_json::json!(create_empty), serde_json::json!(finalize), serde_json::Value::Null],
		)
		.await
	}
}
