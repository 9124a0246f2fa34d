//! The `bittensor_*` JSON-RPC methods: the server the node runs, and the typed client.
//!
//! A layer over the runtime API `BittensorApi` (crate `pallet-bittensor-runtime-api`), in the
//! shape of `pallet-transaction-payment-rpc`: each method resolves the block (`at`, the best
//! block when absent), calls the runtime API there and formats the answer as plain JSON (the
//! [`json`] module: token amounts and fractions as decimal strings, accounts as SS58).
//!
//! The trait is declared `#[rpc(client, server)]`: the node implements [`BittensorApiServer`]
//! ([`Bittensor`]), and every jsonrpsee client gets the typed methods of
//! [`BittensorApiClient`] (the `bittensor-client` crate connects one).
//!
//! | method | params | answer |
//! |---|---|---|
//! | `bittensor_getNeurons` | `[at?]` | `[Neuron]` by uid |
//! | `bittensor_getNeuronsLite` | `[at?]` | `[NeuronLite]` by uid: no rows |
//! | `bittensor_getRows` | `[uids?, at?]` | `[Row]`: of `uids` in that order, or of all by uid |
//! | `bittensor_getNeuron` | `[uid, at?]` | `Neuron` |
//! | `bittensor_getRanks` | `[at?]` | `[{uid, rank}]` by uid |
//! | `bittensor_getStake` | `[uid or SS58, at?]` | `{uid, account, stake}` |
//! | `bittensor_getWeights` | `[uid, at?]` | `[[uid, weight]]` |
//! | `bittensor_getParams` | `[at?]` | `Params` |
//! | `bittensor_getMask` | `[uid, temperature, at?]` | `[{uid, weight, mu, mask}]` |
//! | `bittensor_subscribeRanks` | `["best" or "finalized"?]` | `{hash, number, value: [Rank]}` each block |
//! | `bittensor_subscribeNeurons` | `["best" or "finalized"?]` | `{hash, number, value: [NeuronLite]}` each block |
//!
//! The large answers (neurons, lite neurons, all rows, ranks) are kept by block in a bounded
//! [`cache`]. A subscription's answer is made once per block for all its subscribers. A
//! subscriber is never waited for: one whose connection's message buffer is full (it does not
//! read) is closed with an error notification saying so, and the node goes on. Errors have distinct codes, in
//! [`error_code`]; parameters are size-checked as they are decoded ([`params`]).

#![deny(missing_docs)]

use std::{
	collections::{HashMap, VecDeque},
	marker::PhantomData,
	sync::{Arc, Mutex},
};

use codec::Codec;
use futures::{FutureExt, StreamExt};
use jsonrpsee::{
	core::{RpcResult, SubscriptionResult},
	proc_macros::rpc,
	types::ErrorObjectOwned,
	PendingSubscriptionSink, SubscriptionMessage,
};
use pallet_bittensor_runtime_api::Uid;
use sc_client_api::BlockchainEvents;
use serde_json::value::RawValue;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::Ss58Codec, traits::SpawnNamed};
use sp_runtime::traits::{Block as BlockT, Header as HeaderT, UniqueSaturatedInto};
use tokio::sync::broadcast;

pub mod cache;
pub mod json;
pub mod params;

pub use cache::{CacheLimits, CacheStats};
pub use json::{Blocks, Update, Wire};
pub use pallet_bittensor_runtime_api::BittensorApi as BittensorRuntimeApi;
pub use params::{Temperature, UidParam, Uids, Who};

/// How many updates a feed keeps for a subscriber whose task has not taken them yet (the task
/// only moves them into the connection's buffer, without waiting).
pub const FEED_LAG_BLOCKS: usize = 16;

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

/// The chain's block hash (BlakeTwo256): the type of every `at` and of a subscription's
/// `hash`. Concrete, so that a client's `None` needs no annotation.
pub type BlockHash = sp_core::H256;

/// The `bittensor_*` methods.
#[rpc(client, server)]
pub trait BittensorApi {
	/// Every registered neuron with its row, by uid.
	#[method(name = "bittensor_getNeurons", blocking)]
	fn get_neurons(&self, at: Option<BlockHash>) -> RpcResult<Wire<Vec<json::Neuron>>>;

	/// Every registered neuron without its row (the lite metagraph), by uid.
	#[method(name = "bittensor_getNeuronsLite", blocking)]
	fn get_neurons_lite(&self, at: Option<BlockHash>) -> RpcResult<Wire<Vec<json::NeuronLite>>>;

	/// The rows of `uids` in the order given (at most [`params::MAX_UIDS`]), or every row by
	/// uid when `uids` is absent or null.
	#[method(name = "bittensor_getRows", blocking)]
	fn get_rows(&self, uids: Option<Uids>, at: Option<BlockHash>) -> RpcResult<Wire<Vec<json::Row>>>;

	/// Neuron `uid`.
	#[method(name = "bittensor_getNeuron", blocking)]
	fn get_neuron(&self, uid: UidParam, at: Option<BlockHash>) -> RpcResult<json::Neuron>;

	/// The ranking of the block step of the block read, by uid.
	#[method(name = "bittensor_getRanks", blocking)]
	fn get_ranks(&self, at: Option<BlockHash>) -> RpcResult<Wire<Vec<json::Rank>>>;

	/// The stake of a neuron, named by uid or SS58 account.
	#[method(name = "bittensor_getStake", blocking)]
	fn get_stake(&self, who: Who, at: Option<BlockHash>) -> RpcResult<json::Stake>;

	/// Row `uid` of the weight matrix: `[uid, weight]` pairs.
	#[method(name = "bittensor_getWeights", blocking)]
	fn get_weights(&self, uid: UidParam, at: Option<BlockHash>) -> RpcResult<Vec<(Uid, String)>>;

	/// Parameters, limits and counters.
	#[method(name = "bittensor_getParams", blocking)]
	fn get_params(&self, at: Option<BlockHash>) -> RpcResult<json::Params>;

	/// Row `uid` of the competitive mask at temperature `temperature` (in tokens), with
	/// `mu_j = R_j`, the block's stored ranking (SPEC section 6).
	#[method(name = "bittensor_getMask", blocking)]
	fn get_mask(
		&self,
		uid: UidParam,
		temperature: Temperature,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<json::MaskEntry>>;

	/// The ranking at every new best (or finalized) block.
	#[subscription(
		name = "bittensor_subscribeRanks" => "bittensor_ranks",
		unsubscribe = "bittensor_unsubscribeRanks",
		item = Update<BlockHash, Wire<Vec<json::Rank>>>
	)]
	async fn subscribe_ranks(&self, blocks: Option<Blocks>) -> SubscriptionResult;

	/// The lite metagraph at every new best (or finalized) block.
	#[subscription(
		name = "bittensor_subscribeNeurons" => "bittensor_neurons",
		unsubscribe = "bittensor_unsubscribeNeurons",
		item = Update<BlockHash, Wire<Vec<json::NeuronLite>>>
	)]
	async fn subscribe_neurons(&self, blocks: Option<Blocks>) -> SubscriptionResult;
}

/// The views kept in the cache and pushed by subscriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum View {
	Neurons,
	Lite,
	Rows,
	Ranks,
}

/// A subscription feed: a view, on best or finalized blocks.
type Feed = (View, Blocks);

/// The `bittensor_*` methods over a client whose runtime has `BittensorApi`. Clones share one
/// cache and one set of feeds: make it once per node and clone it into the RPC builder.
pub struct Bittensor<C, Block: BlockT, AccountId> {
	inner: Arc<Inner<C, Block, AccountId>>,
}

impl<C, Block: BlockT, AccountId> Clone for Bittensor<C, Block, AccountId> {
	fn clone(&self) -> Self {
		Self { inner: self.inner.clone() }
	}
}

struct Inner<C, Block: BlockT, AccountId> {
	client: Arc<C>,
	decimals: u8,
	cache: cache::Cache<(Block::Hash, View)>,
	feeds: Mutex<HashMap<Feed, broadcast::Sender<SubscriptionMessage>>>,
	spawner: Arc<dyn SpawnNamed>,
	/// The neurons' records read last, under their digest (`NeuronsDigest`), newest last: at
	/// most [`KEPT_RECORDS`] sets, one a fork the node answers on.
	records: Mutex<VecDeque<([u8; 32], Arc<json::Records>)>>,
	_marker: PhantomData<fn() -> AccountId>,
}

/// How many sets of neuron records the node keeps by digest (each at most `MaxNeurons`
/// accounts and deposits: about 0.4 MB at 4,096 neurons).
const KEPT_RECORDS: usize = 4;

impl<C, Block: BlockT, AccountId> Bittensor<C, Block, AccountId> {
	/// The methods over `client`, with token amounts formatted with `decimals` decimals,
	/// answers cached within `limits`, and subscription feeds run by `spawner`.
	pub fn new(client: Arc<C>, decimals: u8, limits: CacheLimits, spawner: Arc<dyn SpawnNamed>) -> Self {
		let inner = Inner {
			client,
			decimals,
			cache: cache::Cache::new(limits),
			feeds: Mutex::new(HashMap::new()),
			spawner,
			records: Mutex::new(VecDeque::new()),
			_marker: PhantomData,
		};
		Self { inner: Arc::new(inner) }
	}

	/// The cache's counters.
	pub fn cache_stats(&self) -> CacheStats {
		self.inner.cache.stats()
	}
}

fn runtime_error(e: impl std::fmt::Display) -> Error {
	Error::Runtime(e.to_string())
}

/// The version of `BittensorApi` that added `neurons_lite` and `rows`.
const LITE_API_VERSION: u32 = 2;

/// The version of `BittensorApi` that added `neuron_records` and `neuron_states`.
const RECORDS_API_VERSION: u32 = 3;

fn to_json<T: serde::Serialize>(value: &T) -> Result<Arc<RawValue>, Error> {
	serde_json::value::to_raw_value(value).map(Into::into).map_err(runtime_error)
}

impl<C, Block, AccountId> Inner<C, Block, AccountId>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: BittensorRuntimeApi<Block, AccountId>,
	AccountId: Codec + Ss58Codec + Send + Sync + 'static,
{
	/// The block to read (`at`, or the best block when `None`; an unknown `at` is an error) and
	/// the version of its runtime's `BittensorApi` (an error if it has none).
	fn block(&self, at: Option<Block::Hash>) -> Result<(Block::Hash, u32), Error> {
		let hash = match at {
			None => self.client.info().best_hash,
			Some(hash) => match self.client.header(hash).map_err(runtime_error)? {
				Some(_) => hash,
				None => return Err(Error::UnknownBlock(format!("{hash:?}"))),
			},
		};
		let version = self
			.client
			.runtime_api()
			.api_version::<dyn BittensorRuntimeApi<Block, AccountId>>(hash)
			.map_err(runtime_error)?
			.ok_or_else(|| Error::Runtime(format!("the runtime at {hash:?} has no BittensorApi")))?;
		Ok((hash, version))
	}

	/// The JSON of `view` at `at`, from the cache or made now.
	fn view(&self, at: Block::Hash, version: u32, view: View) -> Result<Arc<RawValue>, Error> {
		self.cache.get_or_compute((at, view), || {
			let api = self.client.runtime_api();
			let d = self.decimals;
			let full = || api.neurons(at).map_err(runtime_error);
			match view {
				View::Neurons if version >= RECORDS_API_VERSION => {
					// The states and the rows of this block, and the records kept by digest:
					// no pass over the records in the runtime, no SS58 encoding, on most blocks.
					let (digest, states) = api.neuron_states(at).map_err(runtime_error)?;
					let rows = api.rows(at, None).map_err(runtime_error)?;
					let records = self.records(at, digest)?;
					let neurons = records.full(&states, &rows, d).ok_or_else(|| {
						Error::Runtime(format!("the neuron records and rows at {at:?} are not those of its states"))
					})?;
					to_json(&neurons)
				},
				View::Neurons => {
					let neurons = full()?;
					to_json(&neurons.iter().map(|n| json::NeuronOut::new(n, d)).collect::<Vec<_>>())
				},
				View::Lite if version >= RECORDS_API_VERSION => {
					let (digest, states) = api.neuron_states(at).map_err(runtime_error)?;
					let records = self.records(at, digest)?;
					let lite = records.lite(&states, d).ok_or_else(|| {
						Error::Runtime(format!("the neuron records at {at:?} are not those of its states"))
					})?;
					to_json(&lite)
				},
				View::Lite if version >= LITE_API_VERSION => {
					let lite = api.neurons_lite(at).map_err(runtime_error)?;
					to_json(&lite.into_iter().map(|n| json::NeuronLite::new(n, d)).collect::<Vec<_>>())
				},
				View::Lite =>
					to_json(&full()?.into_iter().map(|n| json::NeuronLite::from_full(n, d)).collect::<Vec<_>>()),
				View::Rows => {
					let rows: Vec<(Uid, Vec<_>)> = if version >= LITE_API_VERSION {
						let rows = api.rows(at, None).map_err(runtime_error)?;
						rows.into_iter().map(|(uid, row)| (uid, row.unwrap_or_default())).collect()
					} else {
						full()?.into_iter().map(|n| (n.uid, n.weights)).collect()
					};
					to_json(&rows.iter().map(|(uid, row)| json::RowEntryOut(*uid, row)).collect::<Vec<_>>())
				},
				View::Ranks => {
					let ranks = api.ranks(at).map_err(runtime_error)?;
					to_json(
						&ranks
							.into_iter()
							.map(|(uid, r)| json::Rank { uid, rank: json::tokens(r, d) })
							.collect::<Vec<_>>(),
					)
				},
			}
		})
	}

	/// The neurons' records with `digest`, kept or read at `at` (a block whose records have
	/// that digest). Equal digests mean equal records on any fork, so the records read at one
	/// block serve every block with the same digest.
	fn records(&self, at: Block::Hash, digest: [u8; 32]) -> Result<Arc<json::Records>, Error> {
		// The set found moves to the back: the least recently used set goes first.
		let take = |kept: &mut VecDeque<([u8; 32], Arc<json::Records>)>| {
			let at = kept.iter().position(|(d, _)| *d == digest)?;
			let found = kept.remove(at)?;
			let records = found.1.clone();
			kept.push_back(found);
			Some(records)
		};
		if let Some(records) = take(&mut self.records.lock().unwrap_or_else(|e| e.into_inner())) {
			return Ok(records);
		}
		// Read at the same block as the states, so under the same digest.
		let (_, records) = self.client.runtime_api().neuron_records(at).map_err(runtime_error)?;
		let records = Arc::new(json::Records::new(records));
		let mut kept = self.records.lock().unwrap_or_else(|e| e.into_inner());
		if take(&mut kept).is_none() {
			if kept.len() >= KEPT_RECORDS {
				kept.pop_front();
			}
			kept.push_back((digest, records.clone()));
		}
		Ok(records)
	}

	fn wire<T>(&self, at: Option<Block::Hash>, view: View) -> RpcResult<Wire<T>> {
		let (at, version) = self.block(at)?;
		Ok(Wire::from_json(self.view(at, version, view)?))
	}

	/// The JSON of the rows of `uids` at `at`, in the order asked, written as the cached
	/// all-rows view is: an unknown uid is an error.
	fn rows_of(&self, uids: Vec<Uid>, at: Option<Block::Hash>) -> Result<Arc<RawValue>, Error> {
		let (at, version) = self.block(at)?;
		let api = self.client.runtime_api();
		let rows: Vec<(Uid, Option<Vec<_>>)> = if version >= LITE_API_VERSION {
			api.rows(at, Some(uids)).map_err(runtime_error)?
		} else {
			let mut rows = Vec::with_capacity(uids.len());
			for uid in uids {
				rows.push((uid, api.weights(at, uid).map_err(runtime_error)?));
			}
			rows
		};
		let rows = rows
			.iter()
			.map(|(uid, row)| row.as_deref().map(|row| json::RowEntryOut(*uid, row)).ok_or(Error::UnknownUid(*uid)))
			.collect::<Result<Vec<_>, _>>()?;
		to_json(&rows)
	}
}

impl<C, Block, AccountId> Bittensor<C, Block, AccountId>
where
	Block: BlockT,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockchainEvents<Block> + Send + Sync + 'static,
	C::Api: BittensorRuntimeApi<Block, AccountId>,
	AccountId: Codec + Ss58Codec + Send + Sync + 'static,
{
	/// A receiver of `feed`, starting the feed's task on its first subscriber. The task makes
	/// the feed's answer once per block, only while someone listens.
	fn feed(&self, feed: Feed) -> broadcast::Receiver<SubscriptionMessage> {
		let mut feeds = self.inner.feeds.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if let Some(sender) = feeds.get(&feed) {
			return sender.subscribe();
		}
		let (sender, receiver) = broadcast::channel(FEED_LAG_BLOCKS);
		feeds.insert(feed, sender.clone());
		let inner = self.inner.clone();
		let client = self.inner.client.clone();
		let heads = match feed.1 {
			Blocks::Best => client
				.import_notification_stream()
				.filter_map(|n| async move { n.is_new_best.then(|| (n.hash, *n.header.number())) })
				.boxed(),
			Blocks::Finalized => client
				.finality_notification_stream()
				.map(|n| (n.hash, *n.header.number()))
				.boxed(),
		};
		// Only the newest of the heads that came while the last one was being made: a feed
		// that falls behind skips blocks rather than queueing them.
		let heads = heads.ready_chunks(64).filter_map(|mut batch| async move { batch.pop() });
		let task = heads.for_each(move |(hash, number)| {
			let (inner, sender) = (inner.clone(), sender.clone());
			async move {
				if sender.receiver_count() == 0 {
					return;
				}
				let made = tokio::task::spawn_blocking(move || {
					let (at, version) = inner.block(Some(hash))?;
					inner.view(at, version, feed.0)
				})
				.await;
				let json = match made {
					Ok(Ok(json)) => json,
					Ok(Err(e)) => return log::warn!(target: "rpc", "bittensor feed {feed:?} at {hash:?}: {e:?}"),
					Err(e) => return log::warn!(target: "rpc", "bittensor feed {feed:?} at {hash:?}: {e}"),
				};
				let update = Update { hash, number: number.unique_saturated_into(), value: &*json };
				match SubscriptionMessage::from_json(&update) {
					// No receiver left is not an error: the next block checks again.
					Ok(message) => drop(sender.send(message)),
					Err(e) => log::warn!(target: "rpc", "bittensor feed {feed:?}: {e}"),
				}
			}
		});
		self.inner.spawner.spawn("bittensor-rpc-feed", Some("rpc"), task.boxed());
		receiver
	}

	/// Accepts `pending` and forwards `feed` to it until the subscriber leaves, or its
	/// connection's buffer is full, or it lags.
	async fn forward(&self, pending: PendingSubscriptionSink, feed: Feed) -> SubscriptionResult {
		let mut updates = self.feed(feed);
		let mut sink = pending.accept().await?;
		loop {
			let update = futures::select! {
				_ = sink.closed().fuse() => return Ok(()),
				update = updates.recv().fuse() => update,
			};
			match update {
				Ok(message) => match sink.try_send(message) {
					Ok(()) => {},
					Err(jsonrpsee::core::server::TrySendError::Closed(_)) => return Ok(()),
					Err(jsonrpsee::core::server::TrySendError::Full(_)) => {
						log::info!(
							target: "rpc",
							"bittensor: closing a {feed:?} subscription whose connection does not read (its buffer is full)"
						);
						return Err("this subscriber's connection buffer is full (it does not read its \
							notifications) and it is closed; subscribe again"
							.to_string()
							.into());
					},
				},
				Err(broadcast::error::RecvError::Lagged(missed)) => {
					log::info!(
						target: "rpc",
						"bittensor: closing a {feed:?} subscription that fell {missed} blocks behind"
					);
					return Err(format!(
						"this subscriber fell behind by {missed} blocks (at most {FEED_LAG_BLOCKS} are kept for it) \
						 and is closed; subscribe again"
					)
					.into());
				},
				Err(broadcast::error::RecvError::Closed) =>
					return Err("the node stopped this feed".to_string().into()),
			}
		}
	}
}

#[jsonrpsee::core::async_trait]
impl<C, Block, AccountId> BittensorApiServer for Bittensor<C, Block, AccountId>
where
	Block: BlockT<Hash = BlockHash>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockchainEvents<Block> + Send + Sync + 'static,
	C::Api: BittensorRuntimeApi<Block, AccountId>,
	AccountId: Codec + Ss58Codec + Send + Sync + 'static,
{
	fn get_neurons(&self, at: Option<Block::Hash>) -> RpcResult<Wire<Vec<json::Neuron>>> {
		self.inner.wire(at, View::Neurons)
	}

	fn get_neurons_lite(&self, at: Option<Block::Hash>) -> RpcResult<Wire<Vec<json::NeuronLite>>> {
		self.inner.wire(at, View::Lite)
	}

	fn get_rows(&self, uids: Option<Uids>, at: Option<Block::Hash>) -> RpcResult<Wire<Vec<json::Row>>> {
		match uids {
			None => self.inner.wire(at, View::Rows),
			Some(Uids(uids)) => Ok(Wire::from_json(self.inner.rows_of(uids, at)?)),
		}
	}

	fn get_neuron(&self, UidParam(uid): UidParam, at: Option<Block::Hash>) -> RpcResult<json::Neuron> {
		let (at, _) = self.inner.block(at)?;
		let info = self.inner.client.runtime_api().neuron(at, uid).map_err(runtime_error)?;
		let info = info.ok_or(Error::UnknownUid(uid))?;
		Ok(json::Neuron::new(info, self.inner.decimals))
	}

	fn get_ranks(&self, at: Option<Block::Hash>) -> RpcResult<Wire<Vec<json::Rank>>> {
		self.inner.wire(at, View::Ranks)
	}

	fn get_stake(&self, who: Who, at: Option<Block::Hash>) -> RpcResult<json::Stake> {
		let (at, _) = self.inner.block(at)?;
		let api = self.inner.client.runtime_api();
		let uid = match who {
			Who::Uid(uid) => uid,
			Who::Account(address) => {
				// `Who` has checked the length: at most `params::MAX_SS58_LEN` characters.
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
			stake: json::tokens(info.stake, self.inner.decimals),
		})
	}

	fn get_weights(&self, UidParam(uid): UidParam, at: Option<Block::Hash>) -> RpcResult<Vec<(Uid, String)>> {
		let (at, _) = self.inner.block(at)?;
		let row = self.inner.client.runtime_api().weights(at, uid).map_err(runtime_error)?;
		Ok(json::row(row.ok_or(Error::UnknownUid(uid))?))
	}

	fn get_params(&self, at: Option<Block::Hash>) -> RpcResult<json::Params> {
		let (at, _) = self.inner.block(at)?;
		let params = self.inner.client.runtime_api().params(at).map_err(runtime_error)?;
		Ok(json::Params::new(params, self.inner.decimals))
	}

	fn get_mask(
		&self,
		UidParam(uid): UidParam,
		Temperature(temperature): Temperature,
		at: Option<Block::Hash>,
	) -> RpcResult<Vec<json::MaskEntry>> {
		// `Temperature` has checked that it is positive and finite.
		let (at, _) = self.inner.block(at)?;
		let api = self.inner.client.runtime_api();
		let me = api.neuron(at, uid).map_err(runtime_error)?.ok_or(Error::UnknownUid(uid))?;
		let ranks = api.ranks(at).map_err(runtime_error)?;
		Ok(json::mask(&me, &ranks, temperature, self.inner.decimals))
	}

	async fn subscribe_ranks(&self, pending: PendingSubscriptionSink, blocks: Option<Blocks>) -> SubscriptionResult {
		self.forward(pending, (View::Ranks, blocks.unwrap_or_default())).await
	}

	async fn subscribe_neurons(&self, pending: PendingSubscriptionSink, blocks: Option<Blocks>) -> SubscriptionResult {
		self.forward(pending, (View::Lite, blocks.unwrap_or_default())).await
	}
}
