//! The `bittensor_*` JSON-RPC methods.
//!
//! A thin layer over the runtime API `BittensorApi` (crate `pallet-bittensor-runtime-api`), in
//! the shape of `pallet-transaction-payment-rpc`: each method resolves the block (`at`, the best
//! block when absent), calls the runtime API there and formats the answer as plain JSON: token
//! amounts and fractions as decimal strings, accounts as SS58. `bittensor_getMask` is computed
//! here from the runtime API's neurons; it is a view, not consensus code.
//!
//! | method | params | answer |
//! |---|---|---|
//! | `bittensor_getNeurons` | `[at?]` | `[Neuron]` by uid |
//! | `bittensor_getNeuron` | `[uid, at?]` | `Neuron` |
//! | `bittensor_getRanks` | `[at?]` | `[{uid, rank}]` by uid |
//! | `bittensor_getStake` | `[uid or SS58, at?]` | `{uid, account, stake}` |
//! | `bittensor_getWeights` | `[uid, at?]` | `[[uid, weight]]` |
//! | `bittensor_getParams` | `[at?]` | `Params` |
//! | `bittensor_getMask` | `[uid, temperature, at?]` | `[{uid, weight, mu, mask}]` |
//!
//! Errors have distinct codes, in [`error_code`].

#![deny(missing_docs)]

use std::{marker::PhantomData, sync::Arc};

use codec::Codec;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use pallet_bittensor_runtime_api::Uid;
use serde::Deserialize;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::crypto::Ss58Codec;
use sp_runtime::traits::Block as BlockT;

pub mod json;

pub use pallet_bittensor_runtime_api::BittensorApi as BittensorRuntimeApi;

/// The JSON-RPC error codes of the `bittensor_*` methods.
pub mod error_code {
	/// No neuron has the uid given.
	pub const UNKNOWN_UID: i32 = 7001;
	/// The account given is not registered.
	pub const UNKNOWN_ACCOUNT: i32 = 7002;
	/// The node does not know the block hash given as `at`.
	pub const UNKNOWN_BLOCK: i32 = 7003;
	/// The runtime API call failed (for example, the state of `at` was pruned, or the runtime at
	/// `at` has no `BittensorApi`).
	pub const RUNTIME_ERROR: i32 = 7004;
	/// A parameter is malformed: not an SS58 address, a temperature that is not a positive
	/// finite number, a negative uid (the standard JSON-RPC "invalid params" code, also used by
	/// the server when a parameter does not parse).
	pub const INVALID_PARAMS: i32 = -32602;
}

/// Why a `bittensor_*` call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
	/// No neuron has this uid.
	UnknownUid(Uid),
	/// This account (SS58) is not registered.
	UnknownAccount(String),
	/// The node does not know this block.
	UnknownBlock(String),
	/// The runtime API call failed.
	Runtime(String),
	/// A parameter is malformed.
	InvalidParams(String),
}

impl From<Error> for ErrorObjectOwned {
	fn from(e: Error) -> Self {
		use error_code::*;
		let (code, message, data) = match e {
			Error::UnknownUid(uid) => (UNKNOWN_UID, "Unknown uid", uid.to_string()),
			Error::UnknownAccount(who) => (UNKNOWN_ACCOUNT, "Account not registered", who),
			Error::UnknownBlock(hash) => (UNKNOWN_BLOCK, "Unknown block", hash),
			Error::Runtime(why) => (RUNTIME_ERROR, "Runtime API call failed", why),
			Error::InvalidParams(why) => (INVALID_PARAMS, "Invalid params", why),
		};
		ErrorObjectOwned::owned(code, message, Some(data))
	}
}

/// A neuron named by uid (a JSON number) or by account (an SS58 string).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Who {
	/// A uid.
	Uid(Uid),
	/// An SS58 address.
	Account(String),
}

/// The `bittensor_*` methods.
#[rpc(server)]
pub trait BittensorApi<BlockHash> {
	/// Every registered neuron, by uid.
	#[method(name = "bittensor_getNeurons", blocking)]
	fn get_neurons(&self, at: Option<BlockHash>) -> RpcResult<Vec<json::Neuron>>;

	/// Neuron `uid`.
	#[method(name = "bittensor_getNeuron", blocking)]
	fn get_neuron(&self, uid: Uid, at: Option<BlockHash>) -> RpcResult<json::Neuron>;

	/// The ranking of the block step of the block read, by uid.
	#[method(name = "bittensor_getRanks", blocking)]
	fn get_ranks(&self, at: Option<BlockHash>) -> RpcResult<Vec<json::Rank>>;

	/// The stake of a neuron, named by uid or SS58 account.
	#[method(name = "bittensor_getStake", blocking)]
	fn get_stake(&self, who: Who, at: Option<BlockHash>) -> RpcResult<json::Stake>;

	/// Row `uid` of the weight matrix: `[uid, weight]` pairs.
	#[method(name = "bittensor_getWeights", blocking)]
	fn get_weights(&self, uid: Uid, at: Option<BlockHash>) -> RpcResult<Vec<(Uid, String)>>;

	/// Parameters, limits and counters.
	#[method(name = "bittensor_getParams", blocking)]
	fn get_params(&self, at: Option<BlockHash>) -> RpcResult<json::Params>;

	/// Row `uid` of the competitive mask at temperature `temperature` (in tokens).
	#[method(name = "bittensor_getMask", blocking)]
	fn get_mask(
		&self,
		uid: Uid,
		temperature: f64,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<json::MaskEntry>>;
}

/// The `bittensor_*` methods over a client whose runtime has `BittensorApi`.
pub struct Bittensor<C, Block, AccountId> {
	client: Arc<C>,
	decimals: u8,
	_marker: PhantomData<fn() -> (Block, AccountId)>,
}

impl<C, Block, AccountId> Bittensor<C, Block, AccountId> {
	/// The methods over `client`, with token amounts formatted with `decimals` decimals.
	pub fn new(client: Arc<C>, decimals: u8) -> Self {
		Self { client, decimals, _marker: PhantomData }
	}
}

fn runtime_error(e: impl std::fmt::Display) -> Error {
	Error::Runtime(e.to_string())
}

impl<C, Block, AccountId> Bittensor<C, Block, AccountId>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: BittensorRuntimeApi<Block, AccountId>,
	AccountId: Codec + Ss58Codec + Send + Sync + 'static,
{
	/// The block to read: `at` if the node knows it and its runtime has `BittensorApi`, else
	/// the best block.
	fn block(&self, at: Option<Block::Hash>) -> Result<Block::Hash, Error> {
		let hash = match at {
			None => self.client.info().best_hash,
			Some(hash) => match self.client.header(hash).map_err(runtime_error)? {
				Some(_) => hash,
				None => return Err(Error::UnknownBlock(format!("{hash:?}"))),
			},
		};
		let has_api = self
			.client
			.runtime_api()
			.has_api::<dyn BittensorRuntimeApi<Block, AccountId>>(hash)
			.map_err(runtime_error)?;
		if !has_api {
			return Err(Error::Runtime(format!("the runtime at {hash:?} has no BittensorApi")));
		}
		Ok(hash)
	}

	fn neurons(&self, at: Block::Hash) -> Result<Vec<pallet_bittensor_runtime_api::NeuronInfo<AccountId>>, Error> {
		self.client.runtime_api().neurons(at).map_err(runtime_error)
	}
}

impl<C, Block, AccountId> BittensorApiServer<Block::Hash> for Bittensor<C, Block, AccountId>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: BittensorRuntimeApi<Block, AccountId>,
	AccountId: Codec + Ss58Codec + Send + Sync + 'static,
{
	fn get_neurons(&self, at: Option<Block::Hash>) -> RpcResult<Vec<json::Neuron>> {
		let at = self.block(at)?;
		let neurons = self.neurons(at)?;
		Ok(neurons.into_iter().map(|n| json::Neuron::new(n, self.decimals)).collect())
	}

	fn get_neuron(&self, uid: Uid, at: Option<Block::Hash>) -> RpcResult<json::Neuron> {
		let at = self.block(at)?;
		let info = self.client.runtime_api().neuron(at, uid).map_err(runtime_error)?;
		let info = info.ok_or(Error::UnknownUid(uid))?;
		Ok(json::Neuron::new(info, self.decimals))
	}

	fn get_ranks(&self, at: Option<Block::Hash>) -> RpcResult<Vec<json::Rank>> {
		let at = self.block(at)?;
		let ranks = self.client.runtime_api().ranks(at).map_err(runtime_error)?;
		Ok(ranks
			.into_iter()
			.map(|(uid, r)| json::Rank { uid, rank: json::tokens(r, self.decimals) })
			.collect())
	}

	fn get_stake(&self, who: Who, at: Option<Block::Hash>) -> RpcResult<json::Stake> {
		let at = self.block(at)?;
		let api = self.client.runtime_api();
		let uid = match who {
			Who::Uid(uid) => uid,
			Who::Account(address) => {
				let account = AccountId::from_ss58check(&address).map_err(|e| {
					Error::InvalidParams(format!("`{address}` is not an SS58 address: {e:?}"))
				})?;
				api.uid_of(at, account)
					.map_err(runtime_error)?
					.ok_or(Error::UnknownAccount(address))?
			},
		};
		let info = api.neuron(at, uid).map_err(runtime_error)?.ok_or(Error::UnknownUid(uid))?;
		Ok(json::Stake {
			uid,
			account: info.account.to_ss58check(),
			stake: json::tokens(info.stake, self.decimals),
		})
	}

	fn get_weights(&self, uid: Uid, at: Option<Block::Hash>) -> RpcResult<Vec<(Uid, String)>> {
		let at = self.block(at)?;
		let row = self.client.runtime_api().weights(at, uid).map_err(runtime_error)?;
		Ok(json::row(row.ok_or(Error::UnknownUid(uid))?))
	}

	fn get_params(&self, at: Option<Block::Hash>) -> RpcResult<json::Params> {
		let at = self.block(at)?;
		let params = self.client.runtime_api().params(at).map_err(runtime_error)?;
		Ok(json::Params::new(params, self.decimals))
	}

	fn get_mask(
		&self,
		uid: Uid,
		temperature: f64,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<json::MaskEntry>> {
		if !(temperature.is_finite() && temperature > 0.0) {
			return Err(Error::InvalidParams(format!(
				"temperature must be a positive finite number, got {temperature}"
			))
			.into());
		}
		let at = self.block(at)?;
		let neurons = self.neurons(at)?;
		Ok(json::mask(&neurons, uid, temperature, self.decimals).ok_or(Error::UnknownUid(uid))?)
	}
}
