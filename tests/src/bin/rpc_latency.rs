//! Measures the `bittensor_*` reads on a real node whose state holds `n` neurons with `entries`
//! weights a row, side by side in one run: the full metagraph, the lite one and every row, each
//! on a block the node has not answered for yet (cold) and again on the same block (cached);
//! the bare runtime API calls (`state_call`: `neurons`, the metagraph in one call; `neuron_states`
//! and `rows`, the two the node makes for it; `neuron_records`, which it adds at a block whose
//! records it does not hold); the client's JSON parse; and
//! the delay from a block's import to its subscribers receiving it, for 1 and for 100
//! subscribers on their own connections.
//!
//! Usage: `rpc-latency [--calls 10] [--entries 64,256] [--blocks 5] [N ...]` (default N: 256
//! 1024 4096); run by `scripts/rpc-latency.sh`, which builds the node first.
//!
//! How the state is made: the node's `--chain scale-<n>x<entries>` (the runtime's scale
//! generator, `genesis_config_presets::scale_genesis_config`): `n` registered neurons, uid `i`
//! with stake `1000 + i mod 1000` TAO and a row of `entries` uids spread over all neurons,
//! everything held and counted as registration and `set_weights` would have. The node makes
//! blocks on `engine_createBlock` (manual seal): each block runs the full block step.
//!
//! Timing: every read is one HTTP request on loopback (jsonrpsee's HTTP client, keeping its
//! connection), from the request to the whole answer received as raw JSON, as a polling client
//! makes it; parsing it into the typed answer is timed apart. Subscriptions are WebSocket
//! connections (the `bittensor-client` crate's). Printed: medians over `--calls`
//! samples (and the p90 of the cold full read). A subscriber's delay is from
//! `engine_createBlock` answering (the block is imported by then) to the notification's
//! arrival at its subscriber's task (0 when it came before that answer), the largest over all
//! subscribers, median over `--blocks` blocks; read at the socket (each WebSocket message as it
//! arrives whole) and through jsonrpsee's JSON-RPC client (which parses each notification into a
//! `serde_json::Value` first), each subscriber on its own connection.

use std::time::{Duration, Instant};

use bittensor_e2e::{
	client::{self, json, Hash},
	node_binary, Node,
};
use jsonrpsee::{
	core::client::{ClientT, SubscriptionClientT},
	http_client::{HttpClient, HttpClientBuilder},
	rpc_params,
};
use serde_json::value::RawValue;

/// The chain's target block time (Aura slot), against which a subscriber's delay is judged.
const BLOCK_TIME_MS: f64 = 2000.0;

fn median(mut ms: Vec<f64>) -> f64 {
	quantile(&mut ms, 0.5)
}

fn quantile(ms: &mut [f64], q: f64) -> f64 {
	ms.sort_by(f64::total_cmp);
	ms.get(((ms.len().saturating_sub(1)) as f64 * q).round() as usize).copied().unwrap_or(f64::NAN)
}

fn ms(d: Duration) -> f64 {
	d.as_secs_f64() * 1e3
}

/// `method` at `at`, timed to the last byte: (milliseconds, raw answer).
async fn timed(rpc: &HttpClient, method: &str, params: jsonrpsee::core::params::ArrayParams) -> (f64, Box<RawValue>) {
	let t = Instant::now();
	let raw: Box<RawValue> = rpc.request(method, params).await.unwrap_or_else(|e| panic!("{method}: {e}"));
	(ms(t.elapsed()), raw)
}

async fn seal(rpc: &HttpClient) -> Hash {
	#[derive(serde::Deserialize)]
	struct Created {
		hash: Hash,
	}
	let created: Created = rpc.request("engine_createBlock", rpc_params![true, true, None::<Hash>]).await.expect("a block");
	created.hash
}

/// One view's samples: cold (first read of a block) and cached (the same block again).
#[derive(Default)]
struct View {
	cold: Vec<f64>,
	cached: Vec<f64>,
	parse: Vec<f64>,
	bytes: usize,
}

async fn measure_view<T: serde::de::DeserializeOwned>(rpc: &HttpClient, method: &str, params: impl Fn(Hash) -> jsonrpsee::core::params::ArrayParams, calls: usize, n: usize) -> View {
	let mut v = View::default();
	for _ in 0..calls {
		let at = seal(rpc).await;
		let (cold, raw) = timed(rpc, method, params(at)).await;
		let (cached, again) = timed(rpc, method, params(at)).await;
		assert_eq!(raw.get(), again.get(), "{method}: a cached answer is the same answer");
		let t = Instant::now();
		let parsed: Vec<T> = serde_json::from_str(raw.get()).expect("the typed answer parses");
		v.parse.push(ms(t.elapsed()));
		assert_eq!(parsed.len(), n, "{method}: every neuron");
		v.cold.push(cold);
		v.cached.push(cached);
		v.bytes = raw.get().len();
	}
	v
}

/// How a subscriber reads its notifications.
#[derive(Clone, Copy, Debug)]
enum Reader {
	/// Each WebSocket message as it arrives whole (jsonrpsee's WebSocket transport, with no
	/// JSON-RPC client over it): when the node's notification has reached the subscriber.
	Socket,
	/// jsonrpsee's JSON-RPC client (what the `bittensor-client` crate connects), which parses
	/// each notification into a `serde_json::Value` before it hands it over.
	Client,
}

/// One subscriber of `feed` on its own connection, read by its own task, which stamps each
/// notification the moment it has it and then sends it on with its block's hash.
async fn subscriber(url: &str, feed: &str, reader: Reader, arrivals: tokio::sync::mpsc::UnboundedSender<(Instant, String)>) -> Box<dyn std::any::Any + Send> {
	use jsonrpsee::{
		client_transport::ws::{Url, WsTransportClientBuilder},
		core::client::{ReceivedMessage, TransportReceiverT, TransportSenderT},
	};
	let method = format!("bittensor_subscribe{feed}");
	match reader {
		Reader::Socket => {
			let (mut sender, mut receiver) = WsTransportClientBuilder::default()
				.max_response_size(client::MAX_RESPONSE_BYTES)
				.build(Url::parse(url).expect("a WebSocket URL"))
				.await
				.expect("a connection");
			let request = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":["best"]}}"#);
			sender.send(request).await.expect("the subscription request is sent");
			match receiver.receive().await.expect("an answer") {
				ReceivedMessage::Text(t) => assert!(t.contains(r#""result""#), "subscribed: {t}"),
				other => panic!("not a text answer: {other:?}"),
			}
			tokio::spawn(async move {
				while let Ok(message) = receiver.receive().await {
					let arrived = Instant::now();
					let text = match message {
						ReceivedMessage::Text(t) => t,
						ReceivedMessage::Bytes(b) => String::from_utf8(b).expect("UTF-8"),
						ReceivedMessage::Pong => continue,
					};
					if arrivals.send((arrived, text)).is_err() {
						break;
					}
				}
			});
			Box::new(sender)
		},
		Reader::Client => {
			let c = client::bittensor_client(url).await.expect("a connection");
			let unsubscribe = method.replace("subscribe", "unsubscribe");
			let mut s = c
				.subscribe::<Box<RawValue>, _>(&method, rpc_params!["best"], &unsubscribe)
				.await
				.expect("a subscription");
			tokio::spawn(async move {
				while let Some(Ok(raw)) = s.next().await {
					let arrived = Instant::now();
					if arrivals.send((arrived, raw.get().to_owned())).is_err() {
						break;
					}
				}
			});
			Box::new(c)
		},
	}
}

/// The block hash a notification (as `reader` hands it over) is of.
fn hash_of(reader: Reader, text: &str) -> Hash {
	#[derive(serde::Deserialize)]
	struct Head {
		hash: Hash,
	}
	#[derive(serde::Deserialize)]
	struct Params {
		result: Head,
	}
	#[derive(serde::Deserialize)]
	struct Notification {
		params: Params,
	}
	match reader {
		Reader::Socket => serde_json::from_str::<Notification>(text).expect("a notification").params.result.hash,
		Reader::Client => serde_json::from_str::<Head>(text).expect("an update").hash,
	}
}

/// The delay from import to arrival for `subs` subscribers of `feed` (`Ranks` or `Neurons`,
/// the lite metagraph) read by `reader`: the median, over `blocks` blocks, of the slowest
/// subscriber's delay.
async fn subscriber_delay(url: &str, rpc: &HttpClient, feed: &str, subs: usize, reader: Reader, blocks: usize) -> f64 {
	let (tx, mut arrivals) = tokio::sync::mpsc::unbounded_channel::<(Instant, String)>();
	let mut connections = Vec::new();
	for _ in 0..subs {
		connections.push(subscriber(url, feed, reader, tx.clone()).await);
	}
	let mut slowest = Vec::new();
	for _ in 0..blocks {
		let hash = seal(rpc).await;
		let imported = Instant::now();
		// Every subscriber's notification first, then their checks, so that checking one
		// does not take the cores from the others still receiving.
		let mut got = Vec::with_capacity(subs);
		for _ in 0..subs {
			let arrival = tokio::time::timeout(Duration::from_secs(30), arrivals.recv())
				.await
				.expect("a notification within 30 s")
				.expect("the subscribers are running");
			got.push(arrival);
		}
		let mut worst: f64 = 0.0;
		for (arrived, text) in got {
			assert_eq!(hash_of(reader, &text), hash, "the notification is of the block just made");
			worst = worst.max(ms(arrived.saturating_duration_since(imported)));
		}
		slowest.push(worst);
	}
	drop(connections);
	median(slowest)
}

/// Measures the `bittensor_*` reads and subscriptions on nodes of the scale chain.
#[derive(clap::Parser)]
struct Args {
	/// Samples of each read.
	#[arg(long, default_value_t = 10)]
	calls: usize,
	/// Blocks timed for each subscriber count.
	#[arg(long, default_value_t = 5)]
	blocks: usize,
	/// Entries a row, comma-separated.
	#[arg(long, value_delimiter = ',', default_values_t = [64u32, 256])]
	entries: Vec<u32>,
	/// Neuron counts.
	#[arg(default_values_t = [256u32, 1024, 4096])]
	sizes: Vec<u32>,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
	let Args { calls, blocks, entries: grid_entries, sizes } = clap::Parser::parse();
	println!("bittensor_* latency: medians of {calls} samples, HTTP on loopback; node {}", node_binary().display());
	let mut reads = Vec::new();
	let mut delays = Vec::new();
	for &entries in &grid_entries {
		for &n in &sizes {
			let dir = tempfile::tempdir().unwrap();
			let chain = format!("scale-{n}x{entries}");
			let started = Instant::now();
			let node = Node::start(
				&format!("latency-{n}x{entries}"),
				&[
					"--chain", &chain, "--alice", "--sealing", "manual",
					"--rpc-max-response-size", "256",
				],
				dir.path(),
			);
			node.wait_for_log("Running JSON-RPC server", Duration::from_secs(600)).await;
			let url = node.ws_url();
			let rpc = HttpClientBuilder::default()
				.max_response_size(client::MAX_RESPONSE_BYTES)
				.request_timeout(Duration::from_secs(120))
				.build(format!("http://127.0.0.1:{}", node.rpc_port))
				.expect("an HTTP client");
			seal(&rpc).await;
			eprintln!("n = {n}, {entries} a row: node up in {:.0} s", started.elapsed().as_secs_f64());

			let full = measure_view::<json::Neuron>(&rpc, "bittensor_getNeurons", |at| rpc_params![at], calls, n as usize).await;
			let lite = measure_view::<json::NeuronLite>(&rpc, "bittensor_getNeuronsLite", |at| rpc_params![at], calls, n as usize).await;
			let rows = measure_view::<json::Row>(&rpc, "bittensor_getRows", |at| rpc_params![None::<Vec<u32>>, at], calls, n as usize).await;
			// The bare runtime API calls: `neurons`, the whole metagraph in one call; the two
			// the node makes for it (`neuron_states`, `rows(None)`); and `neuron_records`,
			// which it adds at a block whose records it does not hold yet.
			let (mut state_call, mut node_calls, mut records_call) = (Vec::new(), Vec::new(), Vec::new());
			for _ in 0..calls {
				let at = seal(&rpc).await;
				state_call.push(timed(&rpc, "state_call", rpc_params!["BittensorApi_neurons", "0x", at]).await.0);
				let states = timed(&rpc, "state_call", rpc_params!["BittensorApi_neuron_states", "0x", at]).await.0;
				let rows = timed(&rpc, "state_call", rpc_params!["BittensorApi_rows", "0x00", at]).await.0;
				node_calls.push(states + rows);
				records_call.push(timed(&rpc, "state_call", rpc_params!["BittensorApi_neuron_records", "0x", at]).await.0);
			}
			let mut full_cold = full.cold.clone();
			let p90 = quantile(&mut full_cold, 0.9);
			reads.push((n, entries, median(full.cold.clone()), p90, median(full.cached.clone()), full.bytes, median(full.parse.clone()),
				median(lite.cold.clone()), median(lite.cached.clone()), lite.bytes, median(lite.parse.clone()),
				median(rows.cold.clone()), median(rows.cached.clone()), rows.bytes, median(state_call),
				median(node_calls), median(records_call)));
			for feed in ["Ranks", "Neurons"] {
				for reader in [Reader::Socket, Reader::Client] {
					for subs in [1, 100] {
						let d = subscriber_delay(&url, &rpc, feed, subs, reader, blocks).await;
						delays.push((n, entries, feed, reader, subs, d));
					}
				}
			}
			drop(node);
		}
	}
	println!();
	println!("| n | entries/row | full cold (p90) | full cached | full MB | full parse | lite cold | lite cached | lite MB | lite parse | rows cold | rows cached | state_call neurons | state_call states + rows | state_call records | lite/full | cached/cold | cold/state_call neurons | cold/state_call states + rows |");
	println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
	for (n, e, fc, p90, fk, fb, fp, lc, lk, lb, lp, rc, rk, _rb, sc, nc, rec) in &reads {
		println!(
			"| {n} | {e} | {fc:.1} ({p90:.1}) | {fk:.1} | {:.2} | {fp:.1} | {lc:.1} | {lk:.1} | {:.2} | {lp:.1} | {rc:.1} | {rk:.1} | {sc:.1} | {nc:.1} | {rec:.1} | {:.2} | {:.2} | {:.2} | {:.2} |",
			*fb as f64 / 1e6,
			*lb as f64 / 1e6,
			lc / fc,
			fk / fc,
			fc / sc,
			fc / nc
		);
	}
	println!("(milliseconds; MB = 10^6 bytes of JSON; parse: the client's serde_json parse into the typed answer)");
	println!();
	println!("| n | entries/row | feed | read by | subscribers | delay, slowest subscriber (ms) | of the {BLOCK_TIME_MS:.0} ms block time |");
	println!("|---|---|---|---|---|---|---|");
	for (n, e, feed, reader, subs, d) in &delays {
		let feed = if *feed == "Ranks" { "subscribeRanks" } else { "subscribeNeurons (lite)" };
		let reader = match reader {
			Reader::Socket => "socket",
			Reader::Client => "jsonrpsee client",
		};
		println!("| {n} | {e} | {feed} | {reader} | {subs} | {d:.1} | {:.1}% |", d / BLOCK_TIME_MS * 100.0);
	}
	println!("(socket: the notification's WebSocket message whole at the subscriber; jsonrpsee client: handed over by jsonrpsee's client, which first parses it into a serde_json::Value)");
}
