//! `bittensor-cli`: register, stake, set weights and read ranks and stakes on a BitTensor
//! chain, signing with a dev key.
//!
//! ```text
//! bittensor-cli --signer bob register
//! bittensor-cli --signer bob add-stake 250
//! bittensor-cli --signer bob set-weights 0:1 4:3
//! bittensor-cli neurons
//! bittensor-cli subscribe ranks --count 2
//! bittensor-cli --signer alice sudo-upgrade-runtime runtime/releases/bittensor_runtime-v101.compressed.wasm
//! ```

use bittensor_client::{
	bittensor::{self, format_tao, parse_tao},
	dev, json, tx, BittensorApiClient, Blocks, Client, Error,
};
use clap::{Parser, Subcommand};

/// Talk to a BitTensor chain node.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
	/// The node's WebSocket RPC endpoint.
	#[arg(long, default_value = "ws://127.0.0.1:9944", global = true)]
	url: String,
	/// The dev account that signs (alice, bob, charlie, dave, eve, ferdie).
	#[arg(long, default_value = "alice", global = true)]
	signer: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Register the signer as a neuron (holds the registration deposit).
	Register,
	/// Unregister the signer's neuron (releases its stake and deposit).
	Unregister,
	/// Put TAO of the signer's free balance on hold as stake.
	AddStake {
		/// Amount in TAO, e.g. `250` or `0.5`.
		amount: String,
	},
	/// Release TAO of the signer's stake.
	RemoveStake {
		/// Amount in TAO.
		amount: String,
	},
	/// Move a neuron's pending stake (minted since its stake was last touched) onto its own
	/// hold, so that wallets show it as held. Anyone may send it.
	SettleStake {
		/// The neuron's uid.
		uid: u32,
	},
	/// Set the signer's weight row from raw scores, `uid:score` each (normalized on chain).
	SetWeights {
		/// Entries `uid:score`, e.g. `0:1 4:3`.
		#[arg(required = true)]
		entries: Vec<String>,
	},
	/// Set the pallet's parameters, signed by the sudo key (Alice on dev chains).
	SudoSetParams {
		/// epsilon, the per-block L2 bound on a row's change, as a fraction (e.g. `0.1`).
		#[arg(long)]
		epsilon: Option<f64>,
		/// tau, TAO minted per block.
		#[arg(long)]
		tau: Option<String>,
	},
	/// Upgrade the runtime, signed by the sudo key: authorize the blob's blake2-256, then set
	/// it (`System.authorize_upgrade` under sudo, then `System.apply_authorized_upgrade`). The
	/// chain refuses a blob whose spec_name differs or whose spec_version is not higher.
	SudoUpgradeRuntime {
		/// The runtime blob (`.compressed.wasm`), e.g. a file of `runtime/releases/`.
		wasm: std::path::PathBuf,
	},
	/// Every neuron: uid, account, stake and last rank.
	Neurons,
	/// One neuron's row of weights.
	Weights {
		/// The neuron's uid.
		uid: u32,
	},
	/// The ranking of the last block.
	Ranks,
	/// The pallet's parameters.
	Params,
	/// Follow the node's `bittensor_subscribe*` feed: print each new block's answer as one line
	/// of JSON (`{"hash", "number", "value"}`), as it comes.
	Subscribe {
		/// `ranks` (the ranking) or `neurons` (the lite metagraph).
		#[arg(value_parser = ["ranks", "neurons"])]
		feed: String,
		/// Follow finalized blocks instead of best blocks.
		#[arg(long)]
		finalized: bool,
		/// Stop after this many blocks (default: run until interrupted).
		#[arg(long)]
		count: Option<usize>,
	},
}

/// Prints `count` (or every) update of `sub` as a JSON line.
async fn follow<T: json::serde::Serialize + json::serde::de::DeserializeOwned>(
	mut sub: bittensor_client::jsonrpsee::core::client::Subscription<T>,
	count: Option<usize>,
) -> Result<(), Box<dyn std::error::Error>> {
	let mut seen = 0;
	while count.map_or(true, |c| seen < c) {
		match sub.next().await {
			Some(update) => println!("{}", serde_json::to_string(&update?)?),
			None => return Err("the node closed the subscription".into()),
		}
		seen += 1;
	}
	Ok(())
}

fn parse_entry(s: &str) -> Result<(u32, u32), String> {
	let (uid, score) = s.split_once(':').ok_or_else(|| format!("`{s}` is not `uid:score`"))?;
	Ok((
		uid.parse().map_err(|e| format!("uid in `{s}`: {e}"))?,
		score.parse().map_err(|e| format!("score in `{s}`: {e}"))?,
	))
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
	let client = Client::connect(&cli.url).await?;
	let signer = || dev::signer(&cli.signer);
	let report = |what: &str, inc: bittensor_client::Included| {
		println!("{what}: in block {:?}", inc.block_hash);
	};
	match cli.command {
		Command::Register => report("registered", client.submit(&bittensor::register(), &signer()?).await?),
		Command::Unregister =>
			report("unregistered", client.submit(&bittensor::unregister(), &signer()?).await?),
		Command::AddStake { amount } => {
			let amount = parse_tao(&amount)?;
			report("stake added", client.submit(&bittensor::add_stake(amount), &signer()?).await?)
		},
		Command::RemoveStake { amount } => {
			let amount = parse_tao(&amount)?;
			report("stake removed", client.submit(&bittensor::remove_stake(amount), &signer()?).await?)
		},
		Command::SettleStake { uid } =>
			report("stake settled", client.submit(&bittensor::settle_stake(uid), &signer()?).await?),
		Command::SetWeights { entries } => {
			let entries = entries.iter().map(|e| parse_entry(e)).collect::<Result<Vec<_>, _>>()?;
			report("weights set", client.submit(&bittensor::set_weights(entries), &signer()?).await?)
		},
		Command::SudoSetParams { epsilon, tau } => {
			let epsilon = match epsilon {
				Some(e) if (0.0..=1.0).contains(&e) => Some((e * 1e9).round() as u32),
				Some(e) => return Err(format!("epsilon {e} is not in [0, 1]").into()),
				None => None,
			};
			let tau = tau.map(|t| parse_tao(&t)).transpose()?;
			let call = bittensor::sudo_set_params(epsilon, tau, None);
			report("parameters set", client.submit(&call, &signer()?).await?)
		},
		Command::SudoUpgradeRuntime { wasm } => {
			let code = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
			let hash = sp_crypto_hashing::blake2_256(&code);
			println!("runtime {}: {} bytes, blake2-256 0x{}", wasm.display(), code.len(), hex::encode(hash));
			let version = |v: &serde_json::Value| format!("{} {}", v["specName"].as_str().unwrap_or("?"), v["specVersion"]);
			let running: serde_json::Value = client.call("state_getRuntimeVersion", vec![]).await?;
			// The dispatch errors that a block's events carry, for a refusal's message.
			let events_of = &client;
			let why = |block| async move {
				let events = events_of.block_events(block).await?;
				Ok::<_, Error>(events.errors.into_iter().map(|(_, _, e)| e).collect::<Vec<_>>().join(", "))
			};
			let authorized = client.submit(&tx::sudo_authorize_upgrade(hash), &signer()?).await?;
			if !authorized.has_event("System", "UpgradeAuthorized") {
				let why = why(authorized.block_hash).await?;
				return Err(format!("sudo could not authorize the upgrade ({why})").into());
			}
			report("upgrade authorized", authorized);
			// The block that sets the code holds the old runtime's events: tell success by the
			// version the block leaves, and read the events only of a refusal (same runtime).
			let block = client.submit_until_included(&tx::apply_authorized_upgrade(code), &signer()?).await?;
			let new: serde_json::Value =
				client.call("state_getRuntimeVersion", vec![serde_json::json!(block)]).await?;
			if new == running {
				let why = why(block).await?;
				return Err(format!("the chain refused the runtime ({why}); it runs {}", version(&running)).into());
			}
			println!("runtime set: in block {block:?}");
			println!("{} -> {}, from the next block on", version(&running), version(&new));
		},
		Command::Neurons => {
			// Stakes and ranks from the same (best) block.
			let at = Some(client.best_hash().await?);
			let ranks = client.ranks(at).await?;
			println!("{:>5}  {:<48}  {:>24}  {:>24}", "uid", "account", "stake (TAO)", "rank (TAO)");
			for n in client.neurons(at).await? {
				let rank = ranks.iter().find(|(u, _)| *u == n.uid).map(|(_, r)| *r).unwrap_or(0);
				println!(
					"{:>5}  {:<48}  {:>24}  {:>24}",
					n.uid,
					n.account.to_string(),
					format_tao(n.stake),
					format_tao(rank)
				);
			}
		},
		Command::Weights { uid } => match client.weights(uid, None).await? {
			Some(row) =>
				for (j, parts) in row {
					println!("{j:>5}  {}", json::fraction(json::Perbill::from_parts(parts)));
				},
			None => return Err(Error::Missing(format!("neuron {uid}")).into()),
		},
		Command::Ranks =>
			for (uid, r) in client.ranks(None).await? {
				println!("{uid:>5}  {}", format_tao(r));
			},
		Command::Params => {
			let p = client.params(None).await?;
			let fraction = |parts: u32| json::fraction(json::Perbill::from_parts(parts));
			println!("max_weight_change  {}", fraction(p.max_weight_change));
			println!("inflation_per_block  {} TAO", format_tao(p.inflation_per_block));
			match p.adaptive {
				None => println!("inflation_mode  fixed"),
				Some((t, g, m)) => println!(
					"inflation_mode  adaptive (target {}, gain {}, max {} TAO)",
					fraction(t),
					fraction(g),
					format_tao(m)
				),
			}
		},
		Command::Subscribe { feed, finalized, count } => {
			let blocks = Some(if finalized { Blocks::Finalized } else { Blocks::Best });
			let rpc = client.bittensor();
			match feed.as_str() {
				"ranks" => follow(rpc.subscribe_ranks(blocks).await?, count).await?,
				_ => follow(rpc.subscribe_neurons(blocks).await?, count).await?,
			}
		},
	}
	Ok(())
}

#[tokio::main]
async fn main() {
	if let Err(e) = run(Cli::parse()).await {
		eprintln!("error: {e}");
		std::process::exit(1);
	}
}
