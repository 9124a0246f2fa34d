//! The chain's own Prometheus metrics, served beside Substrate's on `--prometheus-port`: the
//! pallet's figures at the best and at the finalized block (label `status`, as
//! `substrate_block_height` has it), read through the runtime API (`BittensorApi::params`) each
//! time a block becomes best or finalized.
//!
//! | metric | what |
//! |---|---|
//! | `bittensor_neurons` | `n`, the neurons registered |
//! | `bittensor_weight_entries` | the entries of all rows (the non-zeros of `W`) |
//! | `bittensor_inflation_per_block_tao` | τ, in TAO |
//! | `bittensor_block_minted_tao` | what that block's step minted (eq. 6: τ‖R‖₁/‖R‖₂, floored per neuron), in TAO |
//! | `bittensor_minted_total_tao` | everything minted since genesis, in TAO |
//!
//! Amounts are floats in TAO, as Prometheus stores every value (an `f64`); the exact base
//! units are read by RPC (`bittensor_getParams`). Substrate sends no block notifications
//! during the initial sync: the gauges move once the node follows the head.

use std::sync::Arc;

use bittensor_runtime::{Hash, UNIT};
use futures::StreamExt;
use pallet_bittensor_runtime_api::{BittensorApi, ChainParams};
use prometheus_endpoint::{register, GaugeVec, Opts, PrometheusError, Registry, F64, U64};
use sc_client_api::{BlockchainEvents, HeaderBackend};
use sp_api::ProvideRuntimeApi;
use sp_runtime::traits::Header as _;

use crate::service::FullClient;

/// The label values of `status`.
const BEST: &str = "best";
const FINALIZED: &str = "finalized";

/// The gauges, each with the label `status` (`best` or `finalized`).
#[derive(Clone)]
pub struct Metrics {
	neurons: GaugeVec<U64>,
	weight_entries: GaugeVec<U64>,
	inflation_per_block: GaugeVec<F64>,
	block_minted: GaugeVec<F64>,
	minted_total: GaugeVec<F64>,
}

impl Metrics {
	/// Registers the gauges in the node's registry.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		fn gauge<P: prometheus_endpoint::prometheus::core::Atomic + 'static>(
			registry: &Registry,
			name: &str,
			help: &str,
		) -> Result<GaugeVec<P>, PrometheusError> {
			register(GaugeVec::new(Opts::new(name, help), &["status"])?, registry)
		}
		Ok(Self {
			neurons: gauge(registry, "bittensor_neurons", "Neurons registered (n)")?,
			weight_entries: gauge(
				registry,
				"bittensor_weight_entries",
				"Entries of all weight rows (the non-zeros of W)",
			)?,
			inflation_per_block: gauge(
				registry,
				"bittensor_inflation_per_block_tao",
				"Inflation per block (tau), in TAO",
			)?,
			block_minted: gauge(
				registry,
				"bittensor_block_minted_tao",
				"What the block's step minted (eq. 6), in TAO",
			)?,
			minted_total: gauge(
				registry,
				"bittensor_minted_total_tao",
				"Everything minted since genesis, in TAO",
			)?,
		})
	}

	/// Sets the `status` gauges from the chain at `hash`. A block whose state the node does
	/// not hold (pruned, or below a warp sync's target) leaves them as they were.
	fn update(&self, client: &FullClient, status: &str, hash: Hash) {
		let params = |at: Hash| client.runtime_api().params(at);
		let now = match params(hash) {
			Ok(p) => p,
			Err(e) => {
				log::debug!(target: "bittensor", "metrics: no params at {hash:?}: {e}");
				return
			},
		};
		// The block's minting: its total less its parent's (0 for genesis).
		let minted = match client.header(hash) {
			Ok(Some(header)) if *header.number() > 0 => params(*header.parent_hash())
				.map(|parent| now.total_minted.saturating_sub(parent.total_minted))
				.ok(),
			Ok(Some(_)) => Some(0),
			_ => None,
		};
		self.set(status, &now, minted);
	}

	fn set(&self, status: &str, p: &ChainParams, minted: Option<u128>) {
		self.neurons.with_label_values(&[status]).set(u64::from(p.neuron_count));
		self.weight_entries.with_label_values(&[status]).set(p.total_weight_entries);
		self.inflation_per_block.with_label_values(&[status]).set(tao(p.inflation_per_block));
		self.minted_total.with_label_values(&[status]).set(tao(p.total_minted));
		match minted {
			Some(minted) => self.block_minted.with_label_values(&[status]).set(tao(minted)),
			// Unknown (the parent's state is not held): no sample rather than a stale one.
			None => {
				let _ = self.block_minted.remove_label_values(&[status]);
			},
		}
	}
}

/// Base units as TAO (nearest `f64`).
fn tao(base_units: u128) -> f64 {
	base_units as f64 / UNIT as f64
}

/// Keeps the gauges current: at start, then at every new best and every newly finalized block.
pub async fn run(client: Arc<FullClient>, metrics: Metrics) {
	// Subscribed before the first read, so that no block falls between the two.
	let best = client
		.import_notification_stream()
		.filter(|n| futures::future::ready(n.is_new_best))
		.map(|n| (BEST, n.hash));
	let finalized = client.finality_notification_stream().map(|n| (FINALIZED, n.hash));
	let mut blocks = futures::stream::select(best, finalized);
	let info = client.info();
	metrics.update(&client, BEST, info.best_hash);
	metrics.update(&client, FINALIZED, info.finalized_hash);
	while let Some((status, hash)) = blocks.next().await {
		metrics.update(&client, status, hash);
	}
}
