//! `bittensor-cli`: the command line of a BitTensor chain, noun then verb, as btcli's.
//!
//! ```text
//! bittensor-cli neuron list                         # reads need no key
//! bittensor-cli --suri //Eve neuron register        # writes need one: --suri, --key-file or BITTENSOR_SURI
//! bittensor-cli --suri //Eve stake add 500
//! bittensor-cli --suri //Eve weights set --file scores.csv
//! bittensor-cli --suri //Eve//hot --proxy-for eve weights walk --toward target.json
//! bittensor-cli watch
//! ```
//!
//! Exit codes: 0 done; 1 the chain or the node refused or failed (a module error is named, with
//! its doc); 2 a usage error (a bad argument, a value that does not parse, no signing key),
//! found before anything is sent.

mod show;
mod walk;
mod watch;

use bittensor_client::{
	bittensor::{calls, parse_fraction, parse_tao},
	keys, rows,
	subxt_signer::sr25519::Keypair,
	tx::{self, Call},
	AccountId, BittensorApiClient, Client, Error, Hash, Included, Who,
};
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Talk to a BitTensor chain node: neurons, stake, weights, parameters, validators.
///
/// Reads need no key. Writes are signed by the key of --suri, --key-file or the environment
/// variable BITTENSOR_SURI (in that order), and wait until the transaction is in a block.
#[derive(Parser)]
#[command(name = "bittensor-cli", version, about, long_about)]
struct Cli {
	/// The node's WebSocket RPC endpoint.
	#[arg(long, global = true, value_name = "URL", default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// The signing key as a secret URI: a dev name (`alice`), a path of the dev phrase
	/// (`//Bob//hot`), a mnemonic with optional `//hard/soft///password`, or a 0x seed.
	#[arg(long, global = true, value_name = "SURI", value_parser = suri, conflicts_with = "key_file")]
	suri: Option<String>,
	/// The signing key from a file: the JSON of `bittensor-node key generate --output-type
	/// json`, or a text file holding a secret URI. It must not be readable by others.
	#[arg(long, global = true, value_name = "FILE")]
	key_file: Option<PathBuf>,
	/// Send the write as a proxy of ACCOUNT (SS58, 0x public key or dev name): the signer is a
	/// hot key that ACCOUNT (the cold key) named with `proxy add`.
	#[arg(long, global = true, value_name = "ACCOUNT", value_parser = account)]
	proxy_for: Option<AccountId>,
	/// Print reads as JSON (one line; the shapes of the bittensor_* RPC answers).
	#[arg(long, global = true)]
	json: bool,
	/// Read at this block (0x hash) instead of the best block.
	#[arg(long, global = true, value_name = "HASH", value_parser = block_hash)]
	at: Option<Hash>,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Register, unregister and read neurons.
	#[command(subcommand)]
	Neuron(NeuronCmd),
	/// Add, remove, settle and read stake.
	#[command(subcommand)]
	Stake(StakeCmd),
	/// Set, read, and walk a neuron's row of weights.
	#[command(subcommand)]
	Weights(WeightsCmd),
	/// The pallet's parameters (ε, τ, limits, counters).
	#[command(subcommand)]
	Params(ParamsCmd),
	/// A live table of the neurons, refreshed every block: uid, stake, Δstake, rank and
	/// self-weight, sorted by rank. With --json, one line of JSON a block.
	Watch {
		/// Follow finalized blocks instead of best blocks.
		#[arg(long)]
		finalized: bool,
		/// Stop after this many blocks (default: until interrupted).
		#[arg(long, value_name = "N")]
		count: Option<u64>,
		/// Show only the N best-ranked neurons (default: as many as the terminal has rows).
		#[arg(long, value_name = "N")]
		top: Option<usize>,
	},
	/// Hot keys: let another key set your weights.
	#[command(subcommand)]
	Proxy(ProxyCmd),
	/// Free balances and transfers.
	#[command(subcommand)]
	Balance(BalanceCmd),
	/// The validators: session keys and the admin's changes of the set.
	#[command(subcommand)]
	Validator(ValidatorCmd),
	/// The runtime: its version, and upgrades by the admin.
	#[command(subcommand)]
	Runtime(RuntimeCmd),
}

#[derive(Subcommand)]
enum NeuronCmd {
	/// Register the signer as a neuron (holds the registration deposit).
	Register,
	/// Unregister the signer's neuron: its whole stake and its deposit come back (no fee).
	Unregister,
	/// One neuron: account, stake, deposit, rank and row.
	Show {
		/// A uid, or an account (SS58, 0x public key or dev name).
		who: WhoArg,
	},
	/// Every neuron: uid, account, stake, rank and row length.
	List,
}

#[derive(Subcommand)]
enum StakeCmd {
	/// Put TAO of the signer's free balance on hold as stake.
	Add {
		/// TAO, e.g. `250` or `0.5` (at most 12 decimals).
		#[arg(value_parser = positive_tao)]
		amount: u128,
	},
	/// Release TAO of the signer's stake (minted stake included).
	Remove {
		/// TAO, e.g. `100`.
		#[arg(value_parser = positive_tao)]
		amount: u128,
	},
	/// Move a neuron's pending (minted) stake onto its own hold. Anyone may send it.
	Settle {
		/// The neuron's uid.
		uid: u32,
	},
	/// A neuron's whole stake.
	Show {
		/// A uid, or an account (SS58, 0x public key or dev name).
		who: WhoArg,
	},
}

#[derive(Subcommand)]
enum WeightsCmd {
	/// Set the signer's row from scores, normalized on chain. The change from the current row
	/// must be within ε (L2); for a longer way use `weights walk`.
	Set {
		/// Entries `uid:score`, e.g. `0:1 4:3` or `0:0.25 4:0.75`.
		#[arg(value_parser = entry, required_unless_present = "file", conflicts_with = "file")]
		entries: Vec<(u32, f64)>,
		/// The scores from a CSV (`uid,score` lines) or JSON file (`[{"uid": 0, "score": 1.5}]`,
		/// `[[0, 1.5]]` or `{"0": 1.5}`).
		#[arg(long, value_name = "FILE")]
		file: Option<PathBuf>,
	},
	/// A neuron's row as it counts now: `uid weight` pairs summing to one.
	Show {
		/// The neuron's uid.
		uid: u32,
	},
	/// Move the signer's row to the row of FILE, however far, one step within ε per block.
	/// Reads the row and ε from the chain before every step, so it can be stopped and run
	/// again: it goes on from where the chain stands.
	Walk {
		/// The target's scores (CSV or JSON, as `weights set --file`).
		#[arg(long, value_name = "FILE")]
		toward: PathBuf,
		/// Stop after this many blocks even if not there (exit 1; run again to go on).
		#[arg(long, value_name = "N")]
		max_blocks: Option<u32>,
	},
}

#[derive(Subcommand)]
enum ParamsCmd {
	/// ε, τ, the inflation mode, limits and counters.
	Show,
	/// Change parameters as the admin (sent as `Sudo.sudo(Bittensor.set_params(..))`).
	Set {
		/// ε, the L2 bound on a row's change per block, a fraction in [0, 1] (9 decimals).
		#[arg(long, value_parser = fraction)]
		epsilon: Option<u32>,
		/// τ, TAO minted per block.
		#[arg(long, value_parser = tao)]
		tau: Option<u128>,
		/// Keep τ fixed.
		#[arg(long, conflicts_with = "adaptive")]
		fixed: bool,
		/// Adapt τ toward a target sparsity: `TARGET,GAIN,MAX` (fractions, and TAO).
		#[arg(long, value_name = "TARGET,GAIN,MAX", value_parser = adaptive)]
		adaptive: Option<(u32, u32, u128)>,
	},
}

#[derive(Clone, Copy, ValueEnum)]
enum ProxyKind {
	/// Only `Bittensor.set_weights` (alone or in a batch): a hot key.
	Weights,
	/// Anything the account can do.
	Any,
}

impl From<ProxyKind> for tx::ProxyType {
	fn from(k: ProxyKind) -> Self {
		match k {
			ProxyKind::Weights => tx::ProxyType::Weights,
			ProxyKind::Any => tx::ProxyType::Any,
		}
	}
}

#[derive(Subcommand)]
enum ProxyCmd {
	/// Let HOT act for the signer (the cold key), as KIND allows (holds the proxy deposit).
	Add {
		/// The hot key's account.
		#[arg(value_parser = account)]
		hot: AccountId,
		/// What it may do.
		#[arg(long = "type", value_enum, default_value = "weights")]
		kind: ProxyKind,
	},
	/// Undo `proxy add` (the deposit comes back).
	Remove {
		/// The hot key's account.
		#[arg(value_parser = account)]
		hot: AccountId,
		/// The type it was added with.
		#[arg(long = "type", value_enum, default_value = "weights")]
		kind: ProxyKind,
	},
}

#[derive(Subcommand)]
enum BalanceCmd {
	/// An account's free balance.
	Show {
		/// SS58, 0x public key or dev name.
		#[arg(value_parser = account)]
		who: AccountId,
	},
	/// Send TAO, keeping the sender's account alive.
	Transfer {
		/// SS58, 0x public key or dev name.
		#[arg(value_parser = account)]
		to: AccountId,
		/// TAO.
		#[arg(value_parser = positive_tao)]
		amount: u128,
	},
}

#[derive(Subcommand)]
enum ValidatorCmd {
	/// The session's validators with their keys, and the admin's set.
	List,
	/// Register the signer's session keys: those given, or new ones made by the node at --url
	/// (`author_rotateKeysWithOwner`; run it against your validator's own node).
	SetKeys {
		/// The keys (0x, 64 bytes: Aura then GRANDPA), as `author_rotateKeysWithOwner` gives.
		#[arg(requires = "proof")]
		keys: Option<HexBytes>,
		/// The proof of ownership that came with them.
		proof: Option<HexBytes>,
	},
	/// Admin: add a validator (it must have set its keys).
	Add {
		#[arg(value_parser = account)]
		who: AccountId,
	},
	/// Admin: remove a validator.
	Remove {
		#[arg(value_parser = account)]
		who: AccountId,
	},
	/// Admin: replace OLD by NEW in one change.
	Swap {
		#[arg(value_parser = account)]
		old: AccountId,
		#[arg(value_parser = account)]
		new: AccountId,
	},
	/// Admin: rotate the session now, so that changed keys apply within three blocks.
	Rotate,
}

#[derive(Subcommand)]
enum RuntimeCmd {
	/// The running runtime's name and versions.
	Version,
	/// Admin: authorize the blob's blake2-256, then set it (`System.authorize_upgrade` under
	/// sudo, then `System.apply_authorized_upgrade`). The chain refuses a blob whose spec_name
	/// differs or whose spec_version is not higher.
	Upgrade {
		/// The runtime blob (`.compressed.wasm`), e.g. a file of `runtime/releases/`.
		wasm: PathBuf,
	},
}

/// Bytes given as 0x hex.
#[derive(Clone, Debug)]
struct HexBytes(Vec<u8>);

impl std::str::FromStr for HexBytes {
	type Err = String;
	fn from_str(s: &str) -> Result<Self, String> {
		hex_bytes(s).map(Self)
	}
}

/// A neuron named by uid or by account.
#[derive(Clone, Debug)]
enum WhoArg {
	Uid(u32),
	Account(AccountId),
}

impl std::str::FromStr for WhoArg {
	type Err = String;
	fn from_str(s: &str) -> Result<Self, String> {
		match s.parse::<u32>() {
			Ok(uid) => Ok(Self::Uid(uid)),
			Err(_) => keys::account(s).map(Self::Account),
		}
	}
}

impl WhoArg {
	fn rpc(&self) -> Who {
		match self {
			Self::Uid(uid) => Who::Uid(*uid),
			Self::Account(a) => Who::Account(a.to_string()),
		}
	}
}

// The value parsers: a value that does not parse is a usage error (exit 2), before anything
// is sent.
fn suri(s: &str) -> Result<String, String> {
	keys::from_suri(s).map(|_| s.to_owned()).map_err(|e| e.to_string())
}
fn account(s: &str) -> Result<AccountId, String> {
	keys::account(s)
}
fn tao(s: &str) -> Result<u128, String> {
	parse_tao(s)
}
fn positive_tao(s: &str) -> Result<u128, String> {
	match parse_tao(s)? {
		0 => Err("the amount must be above 0".into()),
		a => Ok(a),
	}
}
fn fraction(s: &str) -> Result<u32, String> {
	parse_fraction(s)
}
fn adaptive(s: &str) -> Result<(u32, u32, u128), String> {
	match s.split(',').collect::<Vec<_>>()[..] {
		[target, gain, max] => Ok((parse_fraction(target)?, parse_fraction(gain)?, parse_tao(max)?)),
		_ => Err(format!("`{s}` is not TARGET,GAIN,MAX")),
	}
}
fn entry(s: &str) -> Result<(u32, f64), String> {
	let (uid, score) = s.split_once(':').ok_or_else(|| format!("`{s}` is not `uid:score`"))?;
	let uid = uid.parse().map_err(|e| format!("uid in `{s}`: {e}"))?;
	let score: f64 = score.parse().map_err(|e| format!("score in `{s}`: {e}"))?;
	if !score.is_finite() || score < 0.0 {
		return Err(format!("score in `{s}`: not a finite number >= 0"));
	}
	Ok((uid, score))
}
fn block_hash(s: &str) -> Result<Hash, String> {
	let bytes = s.strip_prefix("0x").map(hex::decode).ok_or("a block hash starts with 0x")?;
	let bytes: [u8; 32] = bytes.map_err(|e| e.to_string())?.try_into().map_err(|_| "a block hash is 32 bytes")?;
	Ok(Hash::from(bytes))
}
fn hex_bytes(s: &str) -> Result<Vec<u8>, String> {
	hex::decode(s.strip_prefix("0x").ok_or("hex starts with 0x")?).map_err(|e| e.to_string())
}

/// Why the command failed: the exit code tells which.
enum Failure {
	/// Exit 2: the command line is wrong (found before anything was sent).
	Usage(String),
	/// Exit 1: the node or the chain refused, or the network failed.
	Chain(String),
}

impl From<Error> for Failure {
	fn from(e: Error) -> Self {
		Self::Chain(e.to_string())
	}
}

impl From<serde_json::Error> for Failure {
	fn from(e: serde_json::Error) -> Self {
		Self::Chain(format!("an answer that does not parse: {e}"))
	}
}

type Outcome = Result<(), Failure>;

/// What a command needs besides its own arguments.
struct Ctx {
	client: Client,
	/// The signing key, read before connecting (for a write command).
	key: Option<Keypair>,
	proxy_for: Option<AccountId>,
	json: bool,
	at: Option<Hash>,
	url: String,
}

impl Ctx {
	/// The signing key of a write command (read by [`signing_key`] before connecting).
	fn signer(&self, what: &str) -> Result<Keypair, Failure> {
		self.key.clone().ok_or_else(|| Failure::Usage(format!("`{what}` needs a signing key")))
	}

	/// The account the write acts for: the proxied account, else the signer's.
	fn acting_for(&self, signer: &Keypair) -> AccountId {
		self.proxy_for.clone().unwrap_or_else(|| signer.public_key().into())
	}

	/// Signs `call` (through the proxy of --proxy-for, if given), waits until it is in a block,
	/// and fails with the module error of the call or of one dispatched inside it (sudo's,
	/// the proxy's, a batch's). Prints `what: in block #n (hash)`.
	async fn send(&self, signer: &Keypair, call: Call, what: &str) -> Result<Included, Failure> {
		let (included, number) = self.submit(signer, call, what).await?;
		println!("{what}: in block #{number} ({:?})", included.block_hash);
		Ok(included)
	}

	/// [`Ctx::send`] without the line: the extrinsic and the number of its block.
	async fn submit(&self, signer: &Keypair, call: Call, what: &str) -> Result<(Included, u64), Failure> {
		let call = match &self.proxy_for {
			Some(real) => call.proxied_for(real),
			None => call,
		};
		let included = self.client.submit(&call.payload(), signer).await.map_err(|e| match e {
			Error::Dispatch(m) => Failure::Chain(format!("{what} failed: {m}")),
			other => other.into(),
		})?;
		if let Some(error) = self.client.inner_errors(&included).await?.into_iter().next() {
			return Err(Failure::Chain(format!("{what} failed: {error}")));
		}
		let number = self.client.header(Some(included.block_hash)).await?.number()?;
		Ok((included, number))
	}

	/// Prints `value` as one line of JSON.
	fn print_json<T: serde::Serialize>(&self, value: &T) -> Outcome {
		println!("{}", serde_json::to_string(value)?);
		Ok(())
	}

	async fn at(&self) -> Result<Hash, Failure> {
		Ok(match self.at {
			Some(h) => h,
			None => self.client.best_hash().await?,
		})
	}
}

/// The signing key for the write command `what`, from --suri, --key-file or BITTENSOR_SURI (in
/// that order); a usage error when none is given.
fn signing_key(suri: Option<&str>, key_file: Option<&std::path::Path>, what: &str) -> Result<Keypair, Failure> {
	let suri = match (suri, key_file) {
		(Some(s), _) => s.to_owned(),
		(None, Some(path)) => keys::suri_from_file(path).map_err(Failure::Usage)?,
		(None, None) => match std::env::var("BITTENSOR_SURI") {
			Ok(s) if !s.trim().is_empty() => s.trim().to_owned(),
			_ =>
				return Err(Failure::Usage(format!(
					"`{what}` signs a transaction, and no key was given: use --suri SURI, --key-file FILE or the environment variable BITTENSOR_SURI"
				))),
		},
	};
	keys::from_suri(&suri).map_err(|e| Failure::Usage(format!("the signing key: {e}")))
}

impl Command {
	/// The name of a command that signs a transaction; `None` for a read.
	fn write_name(&self) -> Option<&'static str> {
		Some(match self {
			Command::Neuron(NeuronCmd::Register) => "neuron register",
			Command::Neuron(NeuronCmd::Unregister) => "neuron unregister",
			Command::Stake(StakeCmd::Add { .. }) => "stake add",
			Command::Stake(StakeCmd::Remove { .. }) => "stake remove",
			Command::Stake(StakeCmd::Settle { .. }) => "stake settle",
			Command::Weights(WeightsCmd::Set { .. }) => "weights set",
			Command::Weights(WeightsCmd::Walk { .. }) => "weights walk",
			Command::Params(ParamsCmd::Set { .. }) => "params set",
			Command::Proxy(ProxyCmd::Add { .. }) => "proxy add",
			Command::Proxy(ProxyCmd::Remove { .. }) => "proxy remove",
			Command::Balance(BalanceCmd::Transfer { .. }) => "balance transfer",
			Command::Validator(ValidatorCmd::SetKeys { .. }) => "validator set-keys",
			Command::Validator(ValidatorCmd::Add { .. }) => "validator add",
			Command::Validator(ValidatorCmd::Remove { .. }) => "validator remove",
			Command::Validator(ValidatorCmd::Swap { .. }) => "validator swap",
			Command::Validator(ValidatorCmd::Rotate) => "validator rotate",
			Command::Runtime(RuntimeCmd::Upgrade { .. }) => "runtime upgrade",
			Command::Neuron(_) |
			Command::Stake(_) |
			Command::Weights(_) |
			Command::Params(_) |
			Command::Watch { .. } |
			Command::Balance(_) |
			Command::Validator(_) |
			Command::Runtime(_) => return None,
		})
	}
}

async fn run(cli: Cli) -> Outcome {
	// A write without a key is a usage error before anything else, the node's address included.
	let key = match cli.command.write_name() {
		Some(what) => Some(signing_key(cli.suri.as_deref(), cli.key_file.as_deref(), what)?),
		None => None,
	};
	let client = Client::connect(&cli.url).await?;
	let ctx = Ctx {
		client,
		key,
		proxy_for: cli.proxy_for,
		json: cli.json,
		at: cli.at,
		url: cli.url,
	};
	let rpc = ctx.client.bittensor();
	match cli.command {
		Command::Neuron(cmd) => match cmd {
			NeuronCmd::Register => {
				let signer = ctx.signer("neuron register")?;
				let inc = ctx.send(&signer, calls::register(), "neuron register").await?;
				let who = ctx.acting_for(&signer);
				if let Some(uid) = ctx.client.uid_of(&who, Some(inc.block_hash)).await? {
					println!("{who} is neuron {uid}");
				}
			},
			NeuronCmd::Unregister => {
				let signer = ctx.signer("neuron unregister")?;
				ctx.send(&signer, calls::unregister(), "neuron unregister").await?;
			},
			NeuronCmd::Show { who } => {
				let at = Some(ctx.at().await?);
				let uid = match who {
					WhoArg::Uid(uid) => uid,
					other => rpc.get_stake(other.rpc(), at).await.map_err(Error::from)?.uid,
				};
				let neuron = rpc.get_neuron(uid.into(), at).await.map_err(Error::from)?;
				if ctx.json { ctx.print_json(&neuron)? } else { show::neuron(&neuron) }
			},
			NeuronCmd::List => {
				let neurons = rpc.get_neurons_lite(Some(ctx.at().await?)).await.map_err(Error::from)?.into_value()?;
				if ctx.json { ctx.print_json(&neurons)? } else { show::neurons(&neurons) }
			},
		},
		Command::Stake(cmd) => match cmd {
			StakeCmd::Add { amount } => {
				let signer = ctx.signer("stake add")?;
				ctx.send(&signer, calls::add_stake(amount), "stake add").await?;
			},
			StakeCmd::Remove { amount } => {
				let signer = ctx.signer("stake remove")?;
				ctx.send(&signer, calls::remove_stake(amount), "stake remove").await?;
			},
			StakeCmd::Settle { uid } => {
				let signer = ctx.signer("stake settle")?;
				ctx.send(&signer, calls::settle_stake(uid), "stake settle").await?;
			},
			StakeCmd::Show { who } => {
				let stake = rpc.get_stake(who.rpc(), Some(ctx.at().await?)).await.map_err(Error::from)?;
				if ctx.json {
					ctx.print_json(&stake)?
				} else {
					println!("neuron {}  {}  {} TAO", stake.uid, stake.account, show::trim(&stake.stake));
				}
			},
		},
		Command::Weights(cmd) => match cmd {
			WeightsCmd::Set { entries, file } => {
				let scores = match file {
					Some(path) => read_scores(&path)?,
					None => rows::parse_scores(
						&entries.iter().map(|(u, s)| format!("{u},{s}\n")).collect::<String>(),
						Some(false),
					)
					.map_err(Failure::Usage)?,
				};
				let signer = ctx.signer("weights set")?;
				let who = ctx.acting_for(&signer);
				let target = walk::check_target(&ctx, &scores).await?;
				let (uid, current, eps) = walk::position(&ctx, &who).await?;
				if !rows::within_l2_bound(&current, &target, eps) {
					return Err(Failure::Chain(format!(
						"the new row is {:.9} from neuron {uid}'s current row, more than epsilon = {} allows in one block (the chain would refuse it with Bittensor::WeightChangeTooLarge); use `weights walk --toward FILE` to get there in steps",
						rows::distance(&current, &target),
						show::fraction_parts(eps.deconstruct()),
					)));
				}
				ctx.send(&signer, calls::set_weights(&rows::raw_scores(&scores)), "weights set").await?;
			},
			WeightsCmd::Show { uid } => {
				let row = rpc.get_weights(uid.into(), Some(ctx.at().await?)).await.map_err(Error::from)?;
				if ctx.json { ctx.print_json(&row)? } else { show::row(&row) }
			},
			WeightsCmd::Walk { toward, max_blocks } => {
				let scores = read_scores(&toward)?;
				let signer = ctx.signer("weights walk")?;
				walk::run(&ctx, &signer, &scores, max_blocks).await?;
			},
		},
		Command::Params(cmd) => match cmd {
			ParamsCmd::Show => {
				let params = rpc.get_params(Some(ctx.at().await?)).await.map_err(Error::from)?;
				if ctx.json { ctx.print_json(&params)? } else { show::params(&params) }
			},
			ParamsCmd::Set { epsilon, tau, fixed, adaptive } => {
				let mode = if fixed { Some(None) } else { adaptive.map(Some) };
				if epsilon.is_none() && tau.is_none() && mode.is_none() {
					return Err(Failure::Usage(
						"`params set` changes nothing: give --epsilon, --tau, --fixed or --adaptive".into(),
					));
				}
				let signer = ctx.signer("params set")?;
				ctx.send(&signer, calls::set_params(epsilon, tau, mode).sudo(), "params set").await?;
			},
		},
		Command::Watch { finalized, count, top } => watch::run(&ctx, finalized, count, top).await?,
		Command::Proxy(cmd) => {
			let (call, what) = match cmd {
				ProxyCmd::Add { hot, kind } => (proxy_call("add_proxy", &hot, kind), "proxy add"),
				ProxyCmd::Remove { hot, kind } => (proxy_call("remove_proxy", &hot, kind), "proxy remove"),
			};
			let signer = ctx.signer(what)?;
			ctx.send(&signer, call, what).await?;
		},
		Command::Balance(cmd) => match cmd {
			BalanceCmd::Show { who } => {
				let free = ctx.client.free_balance(&who, Some(ctx.at().await?)).await?;
				let free = bittensor_client::bittensor::format_tao(free);
				if ctx.json {
					ctx.print_json(&serde_json::json!({ "account": who.to_string(), "free": free }))?
				} else {
					println!("{who}  {} TAO free", show::trim(&free));
				}
			},
			BalanceCmd::Transfer { to, amount } => {
				let signer = ctx.signer("balance transfer")?;
				ctx.send(&signer, tx::transfer(&to, amount), "balance transfer").await?;
			},
		},
		Command::Validator(cmd) => validator(&ctx, cmd).await?,
		Command::Runtime(cmd) => runtime(&ctx, cmd).await?,
	}
	Ok(())
}

/// The scores of a row file; a usage error when the file cannot be read or parsed.
fn read_scores(path: &std::path::Path) -> Result<rows::Scores, Failure> {
	let text = std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
	let json = path.extension().map(|e| e.eq_ignore_ascii_case("json"));
	rows::parse_scores(&text, json).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}

fn proxy_call(name: &'static str, hot: &AccountId, kind: ProxyKind) -> Call {
	match name {
		"add_proxy" => tx::add_proxy_call(hot, kind.into()),
		_ => tx::remove_proxy_call(hot, kind.into()),
	}
}

async fn validator(ctx: &Ctx, cmd: ValidatorCmd) -> Outcome {
	use tx::ValidatorSetCall as V;
	let (admin, what) = match cmd {
		ValidatorCmd::List => return show::validators(ctx).await,
		ValidatorCmd::SetKeys { keys, proof } => {
			let signer = ctx.signer("validator set-keys")?;
			let (keys, proof) = match (keys, proof) {
				(Some(HexBytes(k)), Some(HexBytes(p))) => (k, p),
				_ => {
					let owner = format!("0x{}", hex::encode(signer.public_key().0));
					let made: serde_json::Value =
						ctx.client.call("author_rotateKeysWithOwner", vec![serde_json::json!(owner)]).await?;
					let field = |k: &str| -> Result<Vec<u8>, Failure> {
						made[k].as_str().ok_or_else(|| Failure::Chain(format!("author_rotateKeysWithOwner gave no `{k}`")))
							.and_then(|h| hex_bytes(h).map_err(Failure::Chain))
					};
					let (k, p) = (field("keys")?, field("proof")?);
					println!("new session keys from {}: 0x{}", ctx.url, hex::encode(&k));
					(k, p)
				},
			};
			let call = tx::set_keys(&keys, proof).map_err(|e| Failure::Usage(e.to_string()))?;
			ctx.send(&signer, call, "validator set-keys").await?;
			return Ok(())
		},
		ValidatorCmd::Add { who } => (V::Add(who), "validator add"),
		ValidatorCmd::Remove { who } => (V::Remove(who), "validator remove"),
		ValidatorCmd::Swap { old, new } => (V::Swap(old, new), "validator swap"),
		ValidatorCmd::Rotate => (V::ForceRotation, "validator rotate"),
	};
	let signer = ctx.signer(what)?;
	ctx.send(&signer, admin.call().sudo(), what).await?;
	Ok(())
}

async fn runtime(ctx: &Ctx, cmd: RuntimeCmd) -> Outcome {
	let version = |v: &serde_json::Value| format!("{} {}", v["specName"].as_str().unwrap_or("?"), v["specVersion"]);
	let params = |at: Option<Hash>| at.map(|h| vec![serde_json::json!(h)]).unwrap_or_default();
	match cmd {
		RuntimeCmd::Version => {
			let v: serde_json::Value = ctx.client.call("state_getRuntimeVersion", params(ctx.at)).await?;
			if ctx.json {
				ctx.print_json(&v)?
			} else {
				println!("{} (spec_version {}, transaction_version {})", v["specName"].as_str().unwrap_or("?"), v["specVersion"], v["transactionVersion"]);
			}
		},
		RuntimeCmd::Upgrade { wasm } => {
			let code = std::fs::read(&wasm).map_err(|e| Failure::Usage(format!("{}: {e}", wasm.display())))?;
			let signer = ctx.signer("runtime upgrade")?;
			let hash = sp_crypto_hashing::blake2_256(&code);
			println!("runtime {}: {} bytes, blake2-256 0x{}", wasm.display(), code.len(), hex::encode(hash));
			let running: serde_json::Value = ctx.client.call("state_getRuntimeVersion", vec![]).await?;
			ctx.send(&signer, Call::new("System", "authorize_upgrade", vec![("code_hash", tx::Value::from_bytes(hash))]).sudo(), "upgrade authorized").await?;
			// The block that sets the code holds the old runtime's events: tell success by the
			// version the block leaves, and read the events only of a refusal (same runtime).
			let block = ctx.client.submit_until_included(&tx::apply_authorized_upgrade(code), &signer).await?;
			let new: serde_json::Value = ctx.client.call("state_getRuntimeVersion", params(Some(block))).await?;
			if new == running {
				let events = ctx.client.block_events(block).await?;
				let why = events.errors.into_iter().map(|(_, _, e)| e).collect::<Vec<_>>().join(", ");
				return Err(Failure::Chain(format!("the chain refused the runtime ({why}); it runs {}", version(&running))));
			}
			println!("runtime set: in block {block:?}");
			println!("{} -> {}, from the next block on", version(&running), version(&new));
		},
	}
	Ok(())
}

#[tokio::main]
async fn main() {
	let code = match run(Cli::parse()).await {
		Ok(()) => 0,
		Err(Failure::Usage(m)) => {
			eprintln!("error: {m}");
			2
		},
		Err(Failure::Chain(m)) => {
			eprintln!("error: {m}");
			1
		},
	};
	std::process::exit(code);
}
