//! Client side of the BitTensor chain.
//!
//! Connect to a node, sign with the well-known dev keys, submit an extrinsic and wait until it
//! is in a block (with its events, or the reason it failed), and call the node's `bittensor_*`
//! methods through their typed client ([`BittensorApiClient`], generated from the same trait
//! the node serves; the wire types are [`json`]). Built on [`subxt`], with dynamic
//! (metadata-driven) calls, so it follows the runtime's metadata without generated code.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use bittensor_client::{dev, BittensorApiClient, Client};
//! let client = Client::connect("ws://127.0.0.1:9944").await?;
//! let bob = dev::account_id("bob")?;
//! let tx = bittensor_client::tx::transfer_keep_alive(&bob, 1_000_000_000_000);
//! let included = client.submit(&tx, &dev::signer("alice")?).await?;
//! println!("in block {:?}", included.block_hash);
//! let ranks = client.bittensor().get_ranks(None).await?.into_value()?;
//! println!("{} ranks, the first {:?}", ranks.len(), ranks.first());
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod bittensor;
pub mod dev;
mod error;
pub mod keys;
pub mod rows;
pub mod rpc;
pub mod tx;

use std::time::Duration;

pub use error::Error;
pub use pallet_bittensor_rpc::{
	error_code, json, params::Who, BittensorApiClient, Blocks, Update, Uids, Wire,
};
pub use jsonrpsee;
pub use subxt;
pub use subxt_signer;

use subxt::{
	dynamic,
	ext::scale_decode,
	transactions::{Payload, TransactionStatus},
	OnlineClient,
};

/// The subxt configuration of this chain: AccountId32, `MultiAddress<AccountId32, ()>`,
/// `MultiSignature`, BlakeTwo256, u32 block numbers (the same shapes as Polkadot's).
pub type ChainConfig = subxt::PolkadotConfig;
/// A block hash.
pub type Hash = subxt::config::polkadot::H256;
/// An account id.
pub type AccountId = subxt::utils::AccountId32;
/// The events a submitted extrinsic emitted.
pub type ExtrinsicEvents = subxt::extrinsics::ExtrinsicEvents<ChainConfig>;

/// What [`Client::block_events`] reads from a block.
#[derive(Debug, Clone, Default)]
pub struct BlockEvents {
	/// Every event as `(pallet, event)`, in order.
	pub names: Vec<(String, String)>,
	/// The fees (plus tips) paid by the block's extrinsics, base units.
	pub fees: u128,
	/// How many extrinsics failed.
	pub failed: usize,
	/// The dispatch errors the block's events carry, as `(pallet, event, error)`: those of
	/// failed extrinsics (`System.ExtrinsicFailed`), of sudo's call (`Sudo.Sudid`), of a
	/// proxy's call (`Proxy.ProxyExecuted`), of a batch's call (`Utility.BatchInterrupted`,
	/// `Utility.ItemFailed`) and of a refused authorized upgrade (`System.RejectedInvalidAuthorizedUpgrade`); the error as the
	/// metadata names it (e.g. `Pallet error: System::SpecVersionNeedsToIncrease`).
	pub errors: Vec<(String, String, String)>,
	/// The block step's summary (`Bittensor.Ranked`), if the block has one.
	pub ranked: Option<Ranked>,
}

/// `Bittensor.Ranked`: the block step's summary event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale_decode::DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
pub struct Ranked {
	/// The neurons ranked.
	pub n: u32,
	/// Base units minted.
	pub minted: u128,
	/// The tau used, base units.
	pub tau: u128,
}

impl BlockEvents {
	/// How many `pallet.name` events the block has.
	pub fn count(&self, pallet: &str, name: &str) -> usize {
		self.names.iter().filter(|(p, n)| p == pallet && n == name).count()
	}
}

/// A connection to one node: the subxt client, the raw JSON-RPC client beside it, and the
/// typed `bittensor_*` client.
#[derive(Clone)]
pub struct Client {
	api: OnlineClient<ChainConfig>,
	rpc: subxt::rpcs::RpcClient,
	bittensor: std::sync::Arc<jsonrpsee::ws_client::WsClient>,
	url: String,
}

/// An extrinsic that made it into a block and succeeded there.
pub struct Included {
	/// The block it is in.
	pub block_hash: Hash,
	/// The extrinsic's hash.
	pub extrinsic_hash: Hash,
	/// The events it emitted, ending with `System.ExtrinsicSuccess`.
	pub events: ExtrinsicEvents,
}

impl Included {
	/// Whether the extrinsic emitted the event `pallet.name`.
	pub fn has_event(&self, pallet: &str, name: &str) -> bool {
		self.events
			.iter()
			.flatten()
			.any(|e| e.pallet_name() == pallet && e.event_name() == name)
	}

	/// The fee the extrinsic paid (`TransactionPayment.TransactionFeePaid.actual_fee`).
	pub fn fee_paid(&self) -> Result<u128, Error> {
		#[derive(scale_decode::DecodeAsType)]
		#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
		struct FeePaid {
			actual_fee: u128,
			tip: u128,
		}
		for event in self.events.iter() {
			let event = event.map_err(Error::decode)?;
			if event.pallet_name() == "TransactionPayment" &&
				event.event_name() == "TransactionFeePaid"
			{
				let fee: FeePaid = event.decode_fields_unchecked_as().map_err(Error::decode)?;
				return Ok(fee.actual_fee.saturating_add(fee.tip))
			}
		}
		Err(Error::Missing("TransactionPayment.TransactionFeePaid event".into()))
	}
}

/// Where the fields of the event `pallet.name` hold a `DispatchError`: at the start
/// (`System.ExtrinsicFailed` when `failed`, `Utility.ItemFailed`), after a `Result`'s `Err`
/// byte (`Sudo.Sudid`, `Proxy.ProxyExecuted`), after an item index (`Utility.BatchInterrupted`)
/// or after a 32-byte hash (`System.RejectedInvalidAuthorizedUpgrade`). `None` for any other
/// event, and for a call that succeeded.
fn dispatch_error_bytes<'a>(pallet: &str, name: &str, bytes: &'a [u8], failed: bool) -> Option<&'a [u8]> {
	match (pallet, name) {
		("System", "ExtrinsicFailed") => failed.then_some(bytes),
		("Sudo", "Sudid") | ("Proxy", "ProxyExecuted") => bytes.strip_prefix(&[1u8][..]),
		("Utility", "BatchInterrupted") => bytes.get(4..),
		("Utility", "ItemFailed") => Some(bytes),
		("System", "RejectedInvalidAuthorizedUpgrade") => bytes.get(32..),
		_ => None,
	}
}

/// A dispatch error as people read it: a module error by its name and its doc, from the
/// metadata (`Bittensor::WeightChangeTooLarge: The new row is farther than …`), any other
/// by its text (`Bad origin.`).
pub fn describe_dispatch_error(error: &subxt::error::DispatchError) -> String {
	if let subxt::error::DispatchError::Module(module) = error {
		if let Ok(details) = module.details() {
			let doc = details.variant.docs.iter().map(|line| line.trim()).collect::<Vec<_>>().join(" ");
			let name = format!("{}::{}", details.pallet.name(), details.variant.name);
			return if doc.is_empty() { name } else { format!("{name}: {doc}") }
		}
	}
	error.to_string()
}

/// The largest answer the client accepts, in bytes: a whole metagraph of the scale network
/// (4,096 neurons, 256 entries a row) is about 22 MB of JSON, past jsonrpsee's 10 MB default.
pub const MAX_RESPONSE_BYTES: u32 = 256 * 1024 * 1024;

/// subxt's WebSocket RPC client, as `RpcClient::from_insecure_url` builds it, but taking
/// answers up to [`MAX_RESPONSE_BYTES`].
async fn ws_client(url: &str) -> Result<subxt::rpcs::RpcClient, String> {
	use jsonrpsee_ws::{
		client_transport::ws::{Url, WsTransportClientBuilder},
		core::client::Client as WsClient,
	};
	let url = Url::parse(url).map_err(|e| e.to_string())?;
	let (sender, receiver) = WsTransportClientBuilder::default()
		.max_response_size(MAX_RESPONSE_BYTES)
		.build(url)
		.await
		.map_err(|e| e.to_string())?;
	let client: WsClient =
		WsClient::builder().max_buffer_capacity_per_subscription(4096).build_with_tokio(sender, receiver);
	Ok(subxt::rpcs::RpcClient::new(client))
}

/// The typed `bittensor_*` client: a WebSocket connection of the jsonrpsee version the node
/// serves (the node's RPC crate generates the client of that version), with the same answer
/// size as [`ws_client`].
pub async fn bittensor_client(url: &str) -> Result<jsonrpsee::ws_client::WsClient, Error> {
	jsonrpsee::ws_client::WsClientBuilder::default()
		.max_response_size(MAX_RESPONSE_BYTES)
		.max_buffer_capacity_per_subscription(1024)
		.build(url)
		.await
		.map_err(|e| Error::Rpc(format!("cannot connect to {url}: {e}")))
}

impl Client {
	/// Connects to a node's WebSocket RPC endpoint (`ws://` is accepted, for local nodes).
	pub async fn connect(url: &str) -> Result<Self, Error> {
		let rpc = ws_client(url).await.map_err(|e| Error::Rpc(format!("cannot connect to {url}: {e}")))?;
		let config = ChainConfig::builder().use_historic_types(false).build();
		let api = OnlineClient::from_rpc_client_with_config(config, rpc.clone())
			.await
			.map_err(Error::subxt)?;
		let bittensor = std::sync::Arc::new(bittensor_client(url).await?);
		Ok(Self { api, rpc, bittensor, url: url.to_string() })
	}

	/// The typed `bittensor_*` methods (bring [`BittensorApiClient`] into scope):
	/// `client.bittensor().get_neurons_lite(None).await?.into_value()?`.
	pub fn bittensor(&self) -> &jsonrpsee::ws_client::WsClient {
		&self.bittensor
	}

	/// Connects, retrying until the node answers or `timeout` passes.
	pub async fn connect_with_retry(url: &str, timeout: Duration) -> Result<Self, Error> {
		let deadline = std::time::Instant::now() + timeout;
		loop {
			match Self::connect(url).await {
				Ok(client) => return Ok(client),
				Err(e) if std::time::Instant::now() >= deadline =>
					return Err(Error::Timeout(format!("connecting to {url}: {e}"))),
				Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
			}
		}
	}

	/// The URL this client is connected to.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The subxt client, for anything this crate does not wrap.
	pub fn api(&self) -> &OnlineClient<ChainConfig> {
		&self.api
	}

	/// The raw JSON-RPC client.
	pub fn rpc_client(&self) -> &subxt::rpcs::RpcClient {
		&self.rpc
	}

	/// The nonce `who`'s next transaction must carry, counting the ones already in the pool
	/// (`system_accountNextIndex`), so that transactions can follow each other before the
	/// previous one is finalized.
	pub async fn next_nonce(&self, who: &AccountId) -> Result<u64, Error> {
		self.call("system_accountNextIndex", vec![serde_json::json!(who.to_string())]).await
	}

	async fn signed_params(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
	) -> Result<subxt::config::DefaultExtrinsicParams<ChainConfig>, Error> {
		let nonce = self.next_nonce(&signer.public_key().into()).await?;
		Ok(subxt::config::DefaultExtrinsicParamsBuilder::<ChainConfig>::new().nonce(nonce).build())
	}

	/// Signs `payload` with `signer`, submits it and waits until it is in a best block. Returns
	/// its events when it succeeded; [`Error::Dispatch`] with the module error when it failed
	/// in the block; [`Error::Pool`] when the pool refused or dropped it.
	pub async fn submit<P: Payload>(
		&self,
		payload: &P,
		signer: &subxt_signer::sr25519::Keypair,
	) -> Result<Included, Error> {
		let in_block = self.watch_until_in_block(payload, signer).await?;
		let events = in_block.wait_for_success().await.map_err(|e| match e {
			subxt::error::TransactionEventsError::ExtrinsicFailed(error) =>
				Error::Dispatch(describe_dispatch_error(&error)),
			other => Error::dispatch(other),
		})?;
		Ok(Included { block_hash: in_block.block_hash(), extrinsic_hash: in_block.extrinsic_hash(), events })
	}

	/// Signs and submits `payload`, and follows it until it is in a best (or finalized) block.
	async fn watch_until_in_block<P: Payload>(
		&self,
		payload: &P,
		signer: &subxt_signer::sr25519::Keypair,
	) -> Result<subxt::transactions::TransactionInBlock<ChainConfig, subxt::client::OnlineClientAtBlockImpl<ChainConfig>>, Error> {
		let params = self.signed_params(signer).await?;
		let at = self.current_block().await?;
		let mut progress = at
			.transactions()
			.sign_and_submit_then_watch(payload, signer, params)
			.await
			.map_err(Error::pool)?;
		while let Some(status) = progress.next().await {
			match status.map_err(Error::subxt)? {
				TransactionStatus::InBestBlock(in_block) |
				TransactionStatus::InFinalizedBlock(in_block) => return Ok(in_block),
				TransactionStatus::Invalid { message } |
				TransactionStatus::Dropped { message } |
				TransactionStatus::Error { message } => return Err(Error::Pool(message)),
				TransactionStatus::Validated |
				TransactionStatus::Broadcasted |
				TransactionStatus::NoLongerInBestBlock => {},
			}
		}
		Err(Error::Pool("the transaction status subscription ended".into()))
	}

	/// Signs `payload` with `signer`, submits it and waits until it is in a best block, without
	/// reading its events; returns that block. For a runtime upgrade: the block that sets the
	/// code holds events of the old runtime, which the block's own (new) metadata cannot
	/// decode; read them with [`Client::block_events`] only once the version says it stayed.
	pub async fn submit_until_included<P: Payload>(
		&self,
		payload: &P,
		signer: &subxt_signer::sr25519::Keypair,
	) -> Result<Hash, Error> {
		Ok(self.watch_until_in_block(payload, signer).await?.block_hash())
	}

	/// Signs `payload` with `signer` and submits it without waiting. Returns its hash.
	pub async fn submit_no_wait<P: Payload>(
		&self,
		payload: &P,
		signer: &subxt_signer::sr25519::Keypair,
	) -> Result<Hash, Error> {
		let params = self.signed_params(signer).await?;
		let at = self.current_block().await?;
		at.transactions().sign_and_submit(payload, signer, params).await.map_err(Error::pool)
	}

	/// Signs `payload` with `signer` (nonce from the pool) and returns the extrinsic's bytes
	/// without submitting it.
	pub async fn signed_bytes<P: Payload>(
		&self,
		payload: &P,
		signer: &subxt_signer::sr25519::Keypair,
	) -> Result<Vec<u8>, Error> {
		let params = self.signed_params(signer).await?;
		let at = self.current_block().await?;
		let tx = at.transactions().create_signed(payload, signer, params).await.map_err(Error::subxt)?;
		Ok(tx.into_encoded())
	}

	/// The bytes of `payload` as an unsigned (bare) extrinsic.
	pub async fn unsigned_bytes<P: Payload>(&self, payload: &P) -> Result<Vec<u8>, Error> {
		let at = self.current_block().await?;
		let tx = at.transactions().create_unsigned(payload).map_err(Error::subxt)?;
		Ok(tx.into_encoded())
	}

	/// Submits extrinsic bytes as they are (`author_submitExtrinsic`). A refusal comes back as
	/// [`Error::RpcCall`] with the pool's code (1010 invalid, 1011 unknown validity, 1002
	/// verification / decoding error, …).
	pub async fn submit_raw(&self, bytes: &[u8]) -> Result<Hash, Error> {
		self.call("author_submitExtrinsic", vec![serde_json::json!(format!("0x{}", hex::encode(bytes)))]).await
	}

	/// The errors of the calls that `included` dispatched inside it, which fail without failing
	/// the extrinsic: sudo's call (`Sudo.Sudid`), a proxy's (`Proxy.ProxyExecuted`), a batch's
	/// (`Utility.BatchInterrupted`, `Utility.ItemFailed`); each as [`describe_dispatch_error`]
	/// gives it. Empty when every inner call succeeded.
	pub async fn inner_errors(&self, included: &Included) -> Result<Vec<String>, Error> {
		let at = self.at(Some(included.block_hash)).await?;
		let mut out = Vec::new();
		for event in included.events.iter() {
			let event = event.map_err(Error::decode)?;
			if let Some(bytes) = dispatch_error_bytes(event.pallet_name(), event.event_name(), event.field_bytes(), false) {
				out.push(match subxt::error::DispatchError::decode_from(bytes, at.metadata()) {
					Ok(error) => describe_dispatch_error(&error),
					Err(e) => format!("a DispatchError that does not decode: {e}"),
				});
			}
		}
		Ok(out)
	}

	/// The events of block `at`: `(pallet, event)` names in order, the fees paid in it
	/// (`TransactionPayment.TransactionFeePaid`, fee plus tip), the number of failed
	/// extrinsics (`System.ExtrinsicFailed`), and the block step's `Bittensor.Ranked`.
	pub async fn block_events(&self, at: Hash) -> Result<BlockEvents, Error> {
		#[derive(scale_decode::DecodeAsType)]
		#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
		struct FeePaid {
			actual_fee: u128,
			tip: u128,
		}
		let at = self.at(Some(at)).await?;
		let events = at.events().fetch().await.map_err(Error::subxt)?;
		let mut out = BlockEvents::default();
		for event in events.iter() {
			let event = event.map_err(Error::decode)?;
			let (pallet, name) = (event.pallet_name().to_owned(), event.event_name().to_owned());
			if pallet == "TransactionPayment" && name == "TransactionFeePaid" {
				let fee: FeePaid = event.decode_fields_unchecked_as().map_err(Error::decode)?;
				out.fees = out.fees.saturating_add(fee.actual_fee).saturating_add(fee.tip);
			}
			if pallet == "System" && name == "ExtrinsicFailed" {
				out.failed += 1;
			}
			if pallet == "Bittensor" && name == "Ranked" {
				out.ranked = Some(event.decode_fields_unchecked_as().map_err(Error::decode)?);
			}
			let failed = pallet == "System" && name == "ExtrinsicFailed";
			if let Some(error_bytes) = dispatch_error_bytes(&pallet, &name, event.field_bytes(), failed) {
				let error = match subxt::error::DispatchError::decode_from(error_bytes, at.metadata()) {
					Ok(error) => error.to_string(),
					Err(e) => format!("a DispatchError that does not decode: {e}"),
				};
				out.errors.push((pallet.clone(), name.clone(), error));
			}
			out.names.push((pallet, name));
		}
		Ok(out)
	}

	/// The free balance of `who` at block `at` (the best block when `None`), in base units.
	pub async fn free_balance(&self, who: &AccountId, at: Option<Hash>) -> Result<u128, Error> {
		#[derive(scale_decode::DecodeAsType)]
		#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
		struct AccountInfo {
			data: AccountData,
		}
		#[derive(scale_decode::DecodeAsType)]
		#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
		struct AccountData {
			free: u128,
		}
		let at = self.at(at).await?;
		let address = dynamic::storage::<([u8; 32],), AccountInfo>("System", "Account");
		let value = at.storage().try_fetch(address, (who.0,)).await.map_err(Error::subxt)?;
		match value {
			Some(value) => Ok(value.decode().map_err(Error::decode)?.data.free),
			None => Ok(0),
		}
	}

	/// The total issuance of the native token at `at` (best block when `None`).
	pub async fn total_issuance(&self, at: Option<Hash>) -> Result<u128, Error> {
		let at = self.at(at).await?;
		let address = dynamic::storage::<(), u128>("Balances", "TotalIssuance");
		let value = at.storage().fetch(address, ()).await.map_err(Error::subxt)?;
		value.decode().map_err(Error::decode)
	}

	/// The current block, to build a transaction on. subxt reads the best hash and then its
	/// header; on a node sealing blocks quickly, the hash it read can be replaced before the
	/// header is fetched, so this tries again (five times, 100 ms apart) before giving up.
	async fn current_block(
		&self,
	) -> Result<
		subxt::client::ClientAtBlock<ChainConfig, subxt::client::OnlineClientAtBlockImpl<ChainConfig>>,
		Error,
	> {
		let mut tries = 0;
		loop {
			match self.api.at_current_block().await {
				Ok(at) => return Ok(at),
				Err(_) if tries < 4 => {
					tries += 1;
					tokio::time::sleep(std::time::Duration::from_millis(100)).await;
				},
				Err(e) => return Err(Error::subxt(e)),
			}
		}
	}

	pub(crate) async fn at(
		&self,
		at: Option<Hash>,
	) -> Result<
		subxt::client::ClientAtBlock<ChainConfig, subxt::client::OnlineClientAtBlockImpl<ChainConfig>>,
		Error,
	> {
		// `None` is the best block: what a transaction just included is visible at once.
		let hash = match at {
			Some(hash) => hash,
			None => self.best_hash().await?,
		};
		self.api.at_block(hash).await.map_err(Error::subxt)
	}
}
