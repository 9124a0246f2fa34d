//! Command line of the node.

use std::str::FromStr;

/// How a dev node makes blocks when `--sealing` is given (instead of Aura + GRANDPA).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sealing {
	/// A block as soon as a transaction enters the pool, finalized at once.
	Instant,
	/// A block only when `engine_createBlock` is called over RPC.
	Manual,
	/// A block (finalized) every this many milliseconds.
	Interval(u64),
}

impl FromStr for Sealing {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		match s {
			"instant" => Ok(Self::Instant),
			"manual" => Ok(Self::Manual),
			ms => match ms.parse::<u64>() {
				Ok(0) => Err("the sealing interval must be at least 1 ms".into()),
				Ok(ms) => Ok(Self::Interval(ms)),
				Err(_) => Err(format!(
					"unknown sealing mode `{s}`: expected `instant`, `manual` or a block interval in milliseconds"
				)),
			},
		}
	}
}

/// The node's command line: a subcommand, or the options to run the node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one, the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options of the running node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Make blocks on demand instead of by Aura + GRANDPA (dev chains only):
	/// `instant` (a finalized block per transaction), `manual` (a block per
	/// `engine_createBlock` RPC call) or a number of milliseconds (a finalized block at that
	/// interval). In every mode `engine_createBlock` and `engine_finalizeBlock` are served.
	#[arg(long, value_name = "instant|manual|MILLISECONDS")]
	pub sealing: Option<Sealing>,

	/// The most `bittensor_*` answers (metagraph, lite metagraph, rows, ranks by block) the
	/// node keeps to serve again.
	#[arg(long, value_name = "COUNT", default_value_t = 64)]
	pub bittensor_rpc_cache_entries: usize,

	/// The most megabytes (MiB) of JSON those kept answers may take.
	#[arg(long, value_name = "MIB", default_value_t = 256)]
	pub bittensor_rpc_cache_mib: usize,
}

impl Cli {
	/// The bounds of the `bittensor_*` answer cache.
	pub fn cache_limits(&self) -> pallet_bittensor_rpc::CacheLimits {
		pallet_bittensor_rpc::CacheLimits {
			entries: self.bittensor_rpc_cache_entries,
			bytes: self.bittensor_rpc_cache_mib.saturating_mul(1 << 20),
		}
	}
}

/// The subcommands of the node.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management (generate, inspect, insert into the keystore).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Write a chain spec (JSON, or raw with `--raw`) of a built-in chain or of a file.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks of the runtime (node built with `--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Print the version and blake2-256 hash of the built-in runtime, or of a `--wasm` file.
	RuntimeInfo(crate::runtime_info::RuntimeInfoCmd),
}
