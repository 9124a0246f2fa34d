//! Harness of the end-to-end tests: starts the real `bittensor-node` binary on free loopback
//! ports with a temporary base path, waits for its RPC, and kills it when dropped.
//!
//! The binary is `$BITTENSOR_NODE_BIN` when set, otherwise `bittensor-node` in the cargo
//! target directory that built the test (build it first: `cargo build --release`).

use std::{
	io::{BufRead, BufReader, Write},
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

pub use bittensor_client::{self as client, Client};

pub mod authorities;
pub mod reference;
pub mod releases;

use client::{json, BittensorApiClient};

/// The pallet's state at a block as the typed `bittensor_*` RPC reads it, and the total
/// issuance: what a test compares before and after, or feeds to the reference model.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
	/// Every neuron, with its row, by uid.
	pub neurons: Vec<json::Neuron>,
	/// The block's ranking, by uid.
	pub ranks: Vec<json::Rank>,
	/// The parameters and counters.
	pub params: json::Params,
	/// The total issuance, base units.
	pub issuance: u128,
}

impl State {
	/// The state at `at`.
	pub async fn at(api: &Client, at: client::Hash) -> Self {
		let rpc = api.bittensor();
		Self {
			neurons: rpc.get_neurons(Some(at)).await.unwrap().into_value().unwrap(),
			ranks: rpc.get_ranks(Some(at)).await.unwrap().into_value().unwrap(),
			params: rpc.get_params(Some(at)).await.unwrap(),
			issuance: api.total_issuance(Some(at)).await.unwrap(),
		}
	}

	/// The stakes, base units, by uid; the uids must be `0..n`.
	pub fn stakes(&self) -> Vec<u128> {
		self.dense_uids();
		self.neurons.iter().map(|n| client::bittensor::parse_tao(&n.stake).unwrap()).collect()
	}

	/// The rows as dense `n x n` fractions (the exact `Perbill`s the RPC writes with 9
	/// decimals), by uid; the uids must be `0..n`.
	pub fn rows(&self) -> Vec<Vec<f64>> {
		self.dense_uids();
		let n = self.neurons.len();
		self.neurons
			.iter()
			.map(|neuron| {
				let mut row = vec![0.0; n];
				for (j, w) in &neuron.weights {
					row[*j as usize] = reference::fraction(w);
				}
				row
			})
			.collect()
	}

	/// The ranks, base units, by uid.
	pub fn rank_values(&self) -> Vec<u128> {
		self.ranks.iter().map(|r| client::bittensor::parse_tao(&r.rank).unwrap()).collect()
	}

	fn dense_uids(&self) {
		for (i, n) in self.neurons.iter().enumerate() {
			assert_eq!(n.uid as usize, i, "the uids are 0..n");
		}
	}
}

/// Bytes as the node's RPC writes them: `0x`-prefixed hex.
pub fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Bytes from the node's `0x`-prefixed hex.
pub fn unhex(s: &str) -> Vec<u8> {
	hex::decode(s.trim_start_matches("0x")).expect("the node answers 0x-prefixed hex")
}

/// `payment_queryInfo`'s fee (`partialFee`) for the signed extrinsic `bytes` at block `at`, base
/// units: what a wallet shows before sending it.
pub async fn fee_estimate(api: &Client, bytes: &[u8], at: client::Hash) -> u128 {
	let info: serde_json::Value = api
		.call("payment_queryInfo", vec![serde_json::json!(hex0x(bytes)), serde_json::json!(at)])
		.await
		.unwrap();
	info["partialFee"].as_str().expect("partialFee as a decimal string").parse().unwrap()
}

/// One base unit of the native token times 10^12: one TAO.
pub const UNIT: u128 = 1_000_000_000_000;

/// The node binary under test (`BITTENSOR_NODE_BIN`, else the build's).
pub fn node_binary() -> PathBuf {
	binary("bittensor-node", "BITTENSOR_NODE_BIN")
}

/// The command line under test (`BITTENSOR_CLI_BIN`, else the build's).
pub fn cli_binary() -> PathBuf {
	binary("bittensor-cli", "BITTENSOR_CLI_BIN")
}

/// The binary `name` of this build, or the path in the environment variable `env`.
fn binary(name: &str, env: &str) -> PathBuf {
	if let Some(path) = std::env::var_os(env) {
		return PathBuf::from(path)
	}
	// A test executable lives in `<target>/<profile>/deps/`, a tool of this crate in
	// `<target>/<profile>/`; the binaries in `<target>/<profile>/`.
	let exe = std::env::current_exe().expect("the test binary knows its own path");
	let dir = exe.parent().expect("an executable is in a directory");
	let bin = std::iter::successors(Some(dir), |d| d.parent())
		.take(2)
		.map(|d| d.join(name))
		.find(|b| b.exists())
		.unwrap_or_else(|| dir.join(name));
	assert!(
		bin.exists(),
		"{} not found: build the workspace first (`cargo build --release`) or set {env}",
		bin.display()
	);
	bin
}

/// The path of a file in the repository's `chain-specs/` folder.
pub fn chain_spec(name: &str) -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("chain-specs").join(name)
}

/// A free TCP port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|l| l.local_addr())
		.map(|a| a.port())
		.expect("the loopback interface has free ports")
}

/// A running node process. Killed (SIGKILL) and reaped when dropped.
pub struct Node {
	name: String,
	child: Mutex<Option<Child>>,
	args: Vec<String>,
	base_path: PathBuf,
	/// The JSON-RPC port on 127.0.0.1.
	pub rpc_port: u16,
	/// The libp2p port on 127.0.0.1.
	pub p2p_port: u16,
	log: Arc<Mutex<Vec<String>>>,
}

impl Node {
	/// Starts the node with `args` plus the harness's own: `--base-path`, free RPC and p2p
	/// ports on loopback, a fixed `--node-key` (validators on non-dev chains need one), no
	/// Prometheus (unless `args` give `--prometheus-port`), no telemetry, no mDNS, up to 1,000
	/// RPC connections unless `args` say.
	pub fn start(name: &str, args: &[&str], base_path: &Path) -> Self {
		let rpc_port = free_port();
		let p2p_port = free_port();
		let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
		if !args.iter().any(|a| a == "--node-key") {
			// Unique per node in a run: derived from its ports.
			let key = format!("{:0>60}{:04x}", format!("{rpc_port:x}{p2p_port:x}"), 1);
			args.extend(["--node-key".to_string(), key]);
		}
		let mut node = Self {
			name: name.to_string(),
			child: Mutex::new(None),
			args,
			base_path: base_path.to_path_buf(),
			rpc_port,
			p2p_port,
			log: Arc::new(Mutex::new(Vec::new())),
		};
		node.spawn();
		node
	}

	fn spawn(&mut self) {
		let mut cmd = Command::new(node_binary());
		cmd.args(&self.args)
			.arg("--base-path")
			.arg(&self.base_path)
			.args(["--rpc-port", &self.rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", self.p2p_port)])
			.args(if self.args.iter().any(|a| a == "--prometheus-port") {
				&["--no-telemetry", "--no-mdns"][..]
			} else {
				&["--no-prometheus", "--no-telemetry", "--no-mdns"][..]
			})
			.args(if self.args.iter().any(|a| a == "--rpc-max-connections") {
				&[][..]
			} else {
				&["--rpc-max-connections", "1000"][..]
			})
			.stdin(Stdio::null())
			.stdout(Stdio::null())
			.stderr(Stdio::piped());
		let mut child = cmd.spawn().unwrap_or_else(|e| panic!("starting {}: {e}", self.name));
		let stderr = child.stderr.take().expect("stderr is piped");
		let log = self.log.clone();
		let log_file = self.base_path.join(format!("{}.log", self.name));
		std::thread::spawn(move || {
			let mut file = std::fs::OpenOptions::new().create(true).append(true).open(log_file).ok();
			for line in BufReader::new(stderr).lines().map_while(Result::ok) {
				if let Some(f) = file.as_mut() {
					let _ = writeln!(f, "{line}");
				}
				log.lock().expect("log lock").push(line);
			}
		});
		*self.child.lock().expect("child lock") = Some(child);
	}

	/// The node's name in the test (used in messages and its log file name).
	pub fn name(&self) -> &str {
		&self.name
	}

	/// `ws://127.0.0.1:<rpc_port>`.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// Waits until the node logs that its RPC server runs, then connects a client.
	pub async fn client(&self) -> Client {
		self.wait_for_log("Running JSON-RPC server", Duration::from_secs(120)).await;
		Client::connect_with_retry(&self.ws_url(), Duration::from_secs(30))
			.await
			.unwrap_or_else(|e| panic!("{}: {e}\n{}", self.name, self.log_tail(40)))
	}

	/// Waits until a log line contains `needle`, and returns that line.
	pub async fn wait_for_log(&self, needle: &str, timeout: Duration) -> String {
		let deadline = Instant::now() + timeout;
		loop {
			if let Some(line) = self.log.lock().expect("log lock").iter().find(|l| l.contains(needle))
			{
				return line.clone()
			}
			if let Some(status) = self.exit_status() {
				panic!("{} exited ({status}) before logging `{needle}`:\n{}", self.name, self.log_tail(60));
			}
			if Instant::now() >= deadline {
				panic!("{} did not log `{needle}` in {timeout:?}:\n{}", self.name, self.log_tail(60));
			}
			tokio::time::sleep(Duration::from_millis(100)).await;
		}
	}

	/// The libp2p peer id the node logged at start-up.
	pub async fn peer_id(&self) -> String {
		let line = self.wait_for_log("Local node identity is: ", Duration::from_secs(60)).await;
		line.rsplit("Local node identity is: ")
			.next()
			.map(|s| s.trim().to_string())
			.expect("the identity line has a peer id")
	}

	/// The multiaddress other nodes can boot from.
	pub async fn multiaddr(&self) -> String {
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{}", self.p2p_port, self.peer_id().await)
	}

	/// The process's exit status, if it has exited.
	pub fn exit_status(&self) -> Option<std::process::ExitStatus> {
		self.child.lock().expect("child lock").as_mut()?.try_wait().ok().flatten()
	}

	/// The last `n` lines the node logged.
	pub fn log_tail(&self, n: usize) -> String {
		let log = self.log.lock().expect("log lock");
		let start = log.len().saturating_sub(n);
		log[start..].join("\n")
	}

	/// Kills the node with SIGKILL (a crash) and reaps it.
	pub fn kill(&mut self) {
		if let Some(mut child) = self.child.lock().expect("child lock").take() {
			let _ = child.kill();
			let _ = child.wait();
		}
	}

	/// Starts the node again with the same arguments, base path and ports.
	pub fn restart(&mut self) {
		self.kill();
		self.log.lock().expect("log lock").clear();
		self.spawn();
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.kill();
	}
}

/// Polls `f` every 250 ms until it returns `Some`, or panics with `what` after `timeout`.
pub async fn wait_until<T, F, Fut>(what: &str, timeout: Duration, mut f: F) -> T
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(v) = f().await {
			return v
		}
		assert!(Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// The four validators of `chain-specs/local4.raw.json`, Alice, Bob, Charlie and Dave in that
/// order, each with its base path under `dir`, all booting from Alice; and Alice's multiaddress,
/// for other nodes to boot from.
pub async fn local4_validators(dir: &Path) -> (Vec<Node>, String) {
	let spec = chain_spec("local4.raw.json");
	let spec = spec.to_str().expect("the repository path is UTF-8");
	let base = |who: &str| {
		let path = dir.join(who);
		std::fs::create_dir_all(&path).expect("the test directory is writable");
		path
	};
	let alice = Node::start("alice", &["--chain", spec, "--alice"], &base("alice"));
	let boot = alice.multiaddr().await;
	let mut nodes = vec![alice];
	for who in ["bob", "charlie", "dave"] {
		let flag = format!("--{who}");
		nodes.push(Node::start(who, &["--chain", spec, &flag, "--bootnodes", &boot], &base(who)));
	}
	(nodes, boot)
}

/// A fresh `--dev --sealing manual` chain in `dir` with one block sealed: the node, a client
/// of it, and that first block's hash.
pub async fn manual_dev_chain(dir: &Path) -> (Node, Client, client::Hash) {
	let node = Node::start("dev", &["--dev", "--sealing", "manual"], dir);
	let api = node.client().await;
	let first = seal(&api).await;
	(node, api, first)
}

/// How many transactions the node's pool holds (`author_pendingExtrinsics`). Panics if the node
/// does not answer, so that a dead node never passes for an empty pool.
pub async fn pool_len(api: &Client) -> usize {
	match api.call::<Vec<String>>("author_pendingExtrinsics", vec![]).await {
		Ok(pending) => pending.len(),
		Err(e) => panic!("author_pendingExtrinsics failed: {e}"),
	}
}

/// Waits (30 s at most) until the pool holds `n` transactions.
pub async fn wait_for_pool(api: &Client, n: usize) {
	wait_until(&format!("{n} transactions in the pool"), Duration::from_secs(30), || async {
		(pool_len(api).await == n).then_some(())
	})
	.await
}

/// Seals a block on a manual-seal node (empty if the pool is) and returns its hash once the
/// pool has dropped what the block included. The pool does that when it processes the import,
/// a moment after `engine_createBlock` answers; anything still there after 30 s fails the test.
pub async fn seal(api: &Client) -> client::Hash {
	seal_block(api, true).await
}

async fn seal_block(api: &Client, create_empty: bool) -> client::Hash {
	let hash = api.create_block(create_empty, true).await.unwrap().hash;
	wait_for_pool(api, 0).await;
	hash
}

/// Submits `payload` signed by the dev account `who` on a manual-seal node with an empty
/// pool, waits until the pool holds it, seals a block and returns that block's hash.
pub async fn submit_and_seal<P: client::subxt::transactions::Payload>(
	api: &Client,
	payload: &P,
	who: &str,
) -> client::Hash {
	submit_and_seal_by(api, payload, &client::dev::signer(who).unwrap()).await
}

/// [`submit_and_seal`] signed by any key pair (a derived key, say).
pub async fn submit_and_seal_by<P: client::subxt::transactions::Payload>(
	api: &Client,
	payload: &P,
	signer: &client::subxt_signer::sr25519::Keypair,
) -> client::Hash {
	api.submit_no_wait(payload, signer).await.unwrap();
	wait_for_pool(api, 1).await;
	seal_block(api, false).await
}

/// Submits `payload` signed by `signer` and watches it while a block is sealed; returns how
/// it ended and the sealed block.
pub async fn submit_in_block<P>(
	api: &Client,
	payload: P,
	signer: &client::subxt_signer::sr25519::Keypair,
) -> (Result<(), client::Error>, client::Hash)
where
	P: client::subxt::transactions::Payload + Send + Sync + 'static,
{
	let task = {
		let (api, signer) = (api.clone(), signer.clone());
		tokio::spawn(async move { api.submit(&payload, &signer).await.map(|_| ()) })
	};
	wait_until("the transaction in the pool, or refused", Duration::from_secs(10), || async {
		(task.is_finished() || pool_len(api).await > 0).then_some(())
	})
	.await;
	let block = seal(api).await;
	(task.await.unwrap(), block)
}
