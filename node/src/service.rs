//! The node's services: client, import queue, network, RPC, and block production, either by
//! Aura + GRANDPA (the default) or by on-demand sealing (`--sealing`, dev chains).

use std::{sync::Arc, time::Duration};

use bittensor_runtime::{apis::RuntimeApi, opaque::Block, Hash};
use futures::{channel::mpsc, FutureExt, StreamExt};
use sc_client_api::{Backend, BlockBackend};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_consensus_manual_seal::{consensus::aura::AuraConsensusDataProvider, EngineCommand};
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::{OffchainTransactionPoolFactory, TransactionPool};
use sp_consensus_aura::sr25519::{AuthorityPair as AuraPair, AuthoritySignature as AuraSignature};
use sp_runtime::traits::Block as BlockT;

use crate::cli::Sealing;

/// The host functions the runtime may call.
type HostFunctions = sp_io::SubstrateHostFunctions;

/// The full client: wasm executor only (no native runtime).
pub(crate) type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;
type FullPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;
type GrandpaBlockImport =
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>;
type GrandpaLinkHalf = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;

/// Blocks between two GRANDPA justifications that are stored.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// How the node makes and finalizes blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consensus {
	/// Aura authors a block a slot (on an authority) and GRANDPA finalizes: a network.
	AuraGrandpa,
	/// Blocks are sealed on demand and finalized at once (`--sealing`, dev chains only).
	Sealing(Sealing),
}

/// What [`new_partial`] makes for its consensus beyond the import queue.
pub enum Engine {
	/// GRANDPA's block import (over the client) and its link, for Aura, the voter and warp
	/// sync.
	AuraGrandpa { block_import: GrandpaBlockImport, link: GrandpaLinkHalf },
	/// Nothing more: the sealing engine imports into the client itself.
	Sealing(Sealing),
}

/// The parts of the service that the chain-operation subcommands need too.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	FullPool,
	(Engine, Option<Telemetry>),
>;

/// Builds the client, the pool and the import queue of `consensus`: Aura's, over GRANDPA's
/// block import, or the sealing engine's (which takes blocks without an Aura seal to check).
pub fn new_partial(config: &Configuration, consensus: Consensus) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (import_queue, engine) = match consensus {
		Consensus::Sealing(sealing) => {
			let queue = sc_consensus_manual_seal::import_queue(
				Box::new(client.clone()),
				&task_manager.spawn_essential_handle(),
				config.prometheus_registry(),
			);
			(queue, Engine::Sealing(sealing))
		},
		Consensus::AuraGrandpa => {
			let (block_import, link) = sc_consensus_grandpa::block_import(
				client.clone(),
				GRANDPA_JUSTIFICATION_PERIOD,
				&client,
				select_chain.clone(),
				telemetry.as_ref().map(|x| x.handle()),
			)?;
			let cidp_client = client.clone();
			let queue = sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
				block_import: block_import.clone(),
				justification_import: Some(Box::new(block_import.clone())),
				client: client.clone(),
				create_inherent_data_providers: move |parent_hash, _| {
					let cidp_client = cidp_client.clone();
					async move {
						let slot_duration =
							sc_consensus_aura::standalone::slot_duration_at(&*cidp_client, parent_hash)?;
						Ok(slot_and_timestamp(slot_duration))
					}
				},
				spawner: &task_manager.spawn_essential_handle(),
				registry: config.prometheus_registry(),
				check_for_equivocation: Default::default(),
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			})?;
			(queue, Engine::AuraGrandpa { block_import, link })
		},
	};

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (engine, telemetry),
	})
}

/// Aura's inherent data for a block made now: the wall clock's timestamp and its slot.
fn slot_and_timestamp(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (sp_consensus_aura::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	(slot, timestamp)
}

/// Builds and starts the full node with `consensus`.
pub fn new_full<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	consensus: Consensus,
	cache_limits: pallet_bittensor_rpc::CacheLimits,
) -> Result<TaskManager, ServiceError> {
	let (node, engine) = Node::<N>::new(&config, new_partial(&config, consensus)?);
	match engine {
		Engine::Sealing(sealing) => start_sealing(config, node, sealing, cache_limits),
		Engine::AuraGrandpa { block_import, link } =>
			start_aura_grandpa(config, node, block_import, link, cache_limits),
	}
}

/// The services both modes run, started: network, offchain workers, RPC and the rest of
/// `sc_service::spawn_tasks`.
struct Started {
	task_manager: TaskManager,
	network: Arc<dyn sc_network::service::traits::NetworkService>,
	sync_service: Arc<sc_network_sync::SyncingService<Block>>,
	proposer_factory:
		sc_basic_authorship::ProposerFactory<FullPool, FullClient>,
}

/// The parts of [`Service`] the modes use after [`start_services`].
struct Parts {
	client: Arc<FullClient>,
	backend: Arc<FullBackend>,
	keystore_container: sc_service::KeystoreContainer,
	select_chain: FullSelectChain,
	transaction_pool: Arc<FullPool>,
	telemetry: Option<Telemetry>,
}

/// A node being started: the parts of its [`Service`], and the network configuration its mode
/// completes before the network starts.
struct Node<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>> {
	parts: Parts,
	task_manager: TaskManager,
	import_queue: sc_consensus::DefaultImportQueue<Block>,
	net_config: sc_network::config::FullNetworkConfiguration<Block, <Block as BlockT>::Hash, N>,
	metrics: sc_network::NotificationMetrics,
}

impl<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>> Node<N> {
	/// The node of `partial`, and the consensus parts it was built with.
	fn new(config: &Configuration, partial: Service) -> (Self, Engine) {
		let sc_service::PartialComponents {
			client,
			backend,
			task_manager,
			import_queue,
			keystore_container,
			select_chain,
			transaction_pool,
			other: (engine, telemetry),
		} = partial;
		let net_config = sc_network::config::FullNetworkConfiguration::new(
			&config.network,
			config.prometheus_registry().cloned(),
		);
		let metrics = N::register_notification_metrics(config.prometheus_registry());
		let parts = Parts { client, backend, keystore_container, select_chain, transaction_pool, telemetry };
		(Self { parts, task_manager, import_queue, net_config, metrics }, engine)
	}

	/// Starts the services both modes run: the network (with `warp_sync` when the mode
	/// serves it), offchain workers, RPC (with the sealing engine's command channel when
	/// sealing) and the rest of `sc_service::spawn_tasks`.
	fn start_services(
		self,
		config: Configuration,
		warp_sync_config: Option<WarpSyncConfig<Block>>,
		seal_sink: Option<mpsc::Sender<EngineCommand<Hash>>>,
		cache_limits: pallet_bittensor_rpc::CacheLimits,
	) -> Result<(Parts, Started), ServiceError> {
		let Self { mut parts, mut task_manager, import_queue, net_config, metrics } = self;
		let (client, pool) = (parts.client.clone(), parts.transaction_pool.clone());
		let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
			sc_service::build_network(sc_service::BuildNetworkParams {
				config: &config,
				net_config,
				client: client.clone(),
				transaction_pool: pool.clone(),
				spawn_handle: task_manager.spawn_handle(),
				spawn_essential_handle: task_manager.spawn_essential_handle(),
				import_queue,
				block_announce_validator_builder: None,
				warp_sync_config,
				block_relay: None,
				metrics,
				gap_sync_body_policy: None,
			})?;

		if config.offchain_worker.enabled {
			let offchain_workers =
				sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
					runtime_api_provider: client.clone(),
					is_validator: config.role.is_authority(),
					keystore: Some(parts.keystore_container.keystore()),
					offchain_db: parts.backend.offchain_storage(),
					transaction_pool: Some(OffchainTransactionPoolFactory::new(pool.clone())),
					network_provider: Arc::new(network.clone()),
					enable_http_requests: true,
					custom_extensions: |_| vec![],
				})?;
			task_manager.spawn_handle().spawn(
				"offchain-workers-runner",
				"offchain-worker",
				offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
			);
		}

		let rpc_extensions_builder = {
			let (client, pool) = (client.clone(), pool.clone());
			// One instance for the node: sc-service may call the builder more than once.
			let decimals = u8::try_from(bittensor_runtime::TOKEN_DECIMALS)
				.map_err(|e| ServiceError::Other(format!("TOKEN_DECIMALS: {e}")))?;
			let bittensor = pallet_bittensor_rpc::Bittensor::new(
				client.clone(),
				decimals,
				cache_limits,
				Arc::new(task_manager.spawn_handle()),
			);
			Box::new(move |_| {
				let deps = crate::rpc::FullDeps {
					client: client.clone(),
					pool: pool.clone(),
					manual_seal: seal_sink.clone(),
					bittensor: bittensor.clone(),
				};
				crate::rpc::create_full(deps).map_err(Into::into)
			})
		};

		let prometheus_registry = config.prometheus_registry().cloned();
		let _rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
			network: network.clone(),
			client: client.clone(),
			keystore: parts.keystore_container.keystore(),
			task_manager: &mut task_manager,
			transaction_pool: pool.clone(),
			rpc_builder: rpc_extensions_builder,
			backend: parts.backend.clone(),
			system_rpc_tx,
			tx_handler_controller,
			sync_service: sync_service.clone(),
			config,
			telemetry: parts.telemetry.as_mut(),
			tracing_execute_block: None,
		})?;

		// The chain's own figures beside Substrate's metrics (src/metrics.rs).
		if let Some(registry) = prometheus_registry.as_ref() {
			let metrics = crate::metrics::Metrics::register(registry)?;
			task_manager.spawn_handle().spawn_blocking(
				"bittensor-metrics",
				None,
				crate::metrics::run(client.clone(), metrics),
			);
		}

		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client,
			pool,
			prometheus_registry.as_ref(),
			parts.telemetry.as_ref().map(|x| x.handle()),
		);
		Ok((parts, Started { task_manager, network, sync_service, proposer_factory }))
	}
}

/// A dev node sealing blocks on demand: `engine_createBlock` over RPC, and for `instant` and
/// interval sealing the pool or a timer; every block finalized at once. No GRANDPA, no Aura
/// authoring (blocks still carry an Aura slot, so that the runtime's Aura pallet accepts them).
fn start_sealing<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	node: Node<N>,
	sealing: Sealing,
	cache_limits: pallet_bittensor_rpc::CacheLimits,
) -> Result<TaskManager, ServiceError> {
	let name = config.network.node_name.clone();
	let (mut sink, commands) = mpsc::channel::<EngineCommand<Hash>>(1024);
	let (parts, started) = node.start_services(config, None, Some(sink.clone()), cache_limits)?;
	let Parts { client, select_chain, transaction_pool, .. } = parts;

	let commands: std::pin::Pin<Box<dyn futures::Stream<Item = _> + Send>> = match sealing {
		Sealing::Manual => Box::pin(commands),
		Sealing::Instant => {
			// A first block gives the fork-aware pool a view to validate against, so that the
			// first transaction is not held back.
			let _ = sink.try_send(seal_command(true));
			let from_pool = transaction_pool.import_notification_stream().map(|_| seal_command(false));
			Box::pin(futures::stream::select(commands, from_pool))
		},
		Sealing::Interval(ms) => {
			let ticks = futures::stream::unfold(
				tokio::time::interval(Duration::from_millis(ms)),
				|mut interval| async move {
					interval.tick().await;
					Some((seal_command(true), interval))
				},
			);
			Box::pin(futures::stream::select(commands, ticks))
		},
	};

	let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
	let cidp_client = client.clone();
	let params = sc_consensus_manual_seal::ManualSealParams {
		block_import: client.clone(),
		env: started.proposer_factory,
		client: client.clone(),
		pool: transaction_pool,
		commands_stream: commands,
		select_chain,
		consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::new(client))),
		create_inherent_data_providers: move |parent_hash: Hash, ()| {
			let client = cidp_client.clone();
			async move { Ok(sealed_block_timestamp(parent_slot(&client, parent_hash), slot_duration.as_millis())) }
		},
	};
	started.task_manager.spawn_essential_handle().spawn_blocking(
		"manual-seal",
		Some("block-authoring"),
		sc_consensus_manual_seal::run_manual_seal(params),
	);
	log::info!("🔨 {name}: blocks are sealed on demand ({sealing:?}); Aura and GRANDPA are off");
	Ok(started.task_manager)
}

/// A node of a network: Aura authoring on an authority, and GRANDPA (a voter on an authority,
/// an observer of finality otherwise, unless `--no-grandpa`), with GRANDPA's warp sync.
fn start_aura_grandpa<N: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	mut node: Node<N>,
	block_import: GrandpaBlockImport,
	link: GrandpaLinkHalf,
	cache_limits: pallet_bittensor_rpc::CacheLimits,
) -> Result<TaskManager, ServiceError> {
	let (role, force_authoring, name) =
		(config.role, config.force_authoring, config.network.node_name.clone());
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let genesis_hash = node
		.parts
		.client
		.block_hash(0)
		.ok()
		.flatten()
		.ok_or_else(|| ServiceError::Other("the database has no genesis block".into()))?;
	let protocol_name = sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			protocol_name.clone(),
			node.metrics.clone(),
			node.net_config.peer_store_handle(),
		);
	node.net_config.add_notification_protocol(grandpa_protocol_config);
	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		node.parts.backend.clone(),
		link.shared_authority_set().clone(),
		Vec::default(),
	));
	let (parts, started) =
		node.start_services(config, Some(WarpSyncConfig::WithProvider(warp_sync)), None, cache_limits)?;
	let Parts { client, keystore_container, select_chain, transaction_pool, telemetry, .. } = parts;
	let Started { task_manager, network, sync_service, proposer_factory, .. } = started;

	if role.is_authority() {
		let slot_duration = sc_consensus_aura::slot_duration(&*client)?;
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move { Ok(slot_and_timestamp(slot_duration)) },
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;
		// Block authoring is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only authorities vote; other nodes run the voter without keys to follow finality.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };
		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name,
		};
		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link,
			network,
			sync: sync_service,
			notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};
		// The voter is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}

/// The command that seals one block: finalized at once, empty only when asked for.
fn seal_command(create_empty: bool) -> EngineCommand<Hash> {
	EngineCommand::SealNewBlock { create_empty, finalize: true, parent_hash: None, sender: None }
}

/// The Aura slot of block `at`, from its header's pre-runtime digest (`None` at genesis, which
/// has no author).
fn parent_slot(client: &FullClient, at: Hash) -> Option<u64> {
	let header = client.header(at).ok().flatten()?;
	sc_consensus_aura::find_pre_digest::<Block, AuraSignature>(&header).ok().map(u64::from)
}

/// The timestamp of a block sealed on demand: the wall clock, but within the slot after the
/// parent's at the earliest (at its middle), so that every sealed block has a new Aura slot and
/// is at least `MinimumPeriod` (half a slot) after its parent however fast blocks are made.
/// The parent's timestamp lies within its slot, `[slot, slot + 1)` slot durations.
fn sealed_block_timestamp(parent_slot: Option<u64>, slot_ms: u64) -> sp_timestamp::InherentDataProvider {
	let now = (*sp_timestamp::InherentDataProvider::from_system_time()).as_millis();
	let earliest = parent_slot.map_or(0, |slot| {
		slot.saturating_add(1).saturating_mul(slot_ms).saturating_add(slot_ms / 2)
	});
	sp_timestamp::InherentDataProvider::new(now.max(earliest).into())
}
