//! Measures the latency of `bittensor_getNeurons` (and, for comparison, of the raw runtime API
//! call behind it) on a real node whose state holds `n` neurons with `entries` weights a row.
//!
//! Usage: `rpc-latency [--calls 50] [--entries 64] N...` (default N: 256 1024 4096); run by
//! `scripts/rpc-latency.sh`, which builds the node first.
//!
//! How the state is made: the `local` chain spec is exported raw from the node, and the
//! pallet's storage (`Neurons` and its counter, `Uids`, `Weights`, `NextUid`,
//! `TotalWeightEntries`, `Ranks`) is written into its genesis for `n` neurons: uid `i` has
//! stake `1000 + i` TAO and a row of `entries` uids spread over all neurons with equal weights
//! (largest remainder to the first), and `Ranks` is eq. 5 on them. The runtime reads exactly
//! what registration and `set_weights` would have stored, but no balance is held for these
//! neurons: the state serves reads, not blocks. This is how a state larger than the runtime's
//! `MaxNeurons` (1024) is measured: `Ranks` is bounded by `MaxNeurons`, so above it the ranking
//! is left out (every rank reads 0), which removes one binary search per neuron from the work.
//!
//! The node (a full node, no peers, no block production) serves the genesis state; each call
//! is a fresh HTTP request on loopback, timed from the first byte sent to the last byte
//! received, then parsed as JSON (timed separately). Printed: median, p90, min and max over
//! `--calls` calls after 3 warm-up calls, and the answer's size.

use std::{
	io::{Read, Write},
	net::TcpStream,
	path::Path,
	time::{Duration, Instant},
};

use bittensor_e2e::{node_binary, Node};
use codec::Encode;
use sp_crypto_hashing::{blake2_128, blake2_256, twox_128, twox_64};

const UNIT: u128 = 1_000_000_000_000;
const ONE: u32 = 1_000_000_000;

fn hex(bytes: &[u8]) -> String {
	let mut s = String::with_capacity(2 + 2 * bytes.len());
	s.push_str("0x");
	for b in bytes {
		s.push_str(&format!("{b:02x}"));
	}
	s
}

fn prefix(item: &str) -> Vec<u8> {
	[twox_128(b"Bittensor"), twox_128(item.as_bytes())].concat()
}

fn twox64_concat(item: &str, key: &[u8]) -> Vec<u8> {
	[prefix(item), twox_64(key).to_vec(), key.to_vec()].concat()
}

/// Row `i`: `entries` distinct uids spread evenly over `0..n`, starting at `i`, sorted, with
/// parts summing to exactly one.
fn row(i: u32, n: u32, entries: u32) -> Vec<(u32, u32)> {
	let k = entries.min(n);
	let mut uids: Vec<u32> = (0..k).map(|m| (i + m * (n / k)) % n).collect();
	uids.sort_unstable();
	uids.dedup();
	let share = ONE / uids.len() as u32;
	let rest = ONE - share * uids.len() as u32;
	uids.iter().enumerate().map(|(m, j)| (*j, share + if m == 0 { rest } else { 0 })).collect()
}

/// The raw `local` spec with `n` neurons written into its genesis.
fn spec_with(n: u32, entries: u32, max_neurons: u32, dir: &Path) -> std::path::PathBuf {
	let out = std::process::Command::new(node_binary())
		.args(["export-chain-spec", "--chain", "local", "--raw"])
		.output()
		.expect("export-chain-spec runs");
	assert!(out.status.success(), "export-chain-spec: {}", String::from_utf8_lossy(&out.stderr));
	let mut spec: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON spec");
	let top = spec["genesis"]["raw"]["top"].as_object_mut().expect("a raw spec");
	let mut put = |key: Vec<u8>, value: Vec<u8>| {
		top.insert(hex(&key), serde_json::Value::String(hex(&value)));
	};

	let stake = |i: u32| (1000 + u128::from(i)) * UNIT;
	let mut ranks = vec![0u128; n as usize];
	let mut total_entries = 0u64;
	for i in 0..n {
		let account = blake2_256(&(b"rpc-latency", i).encode());
		put(twox64_concat("Neurons", &i.encode()), (account, stake(i), UNIT).encode());
		put([prefix("Uids"), blake2_128(&account).to_vec(), account.to_vec()].concat(), i.encode());
		let r = row(i, n, entries);
		for (j, parts) in &r {
			ranks[*j as usize] += stake(i) * u128::from(*parts) / (u128::from(ONE) * u128::from(n));
		}
		total_entries += r.len() as u64;
		put(twox64_concat("Weights", &i.encode()), r.encode());
	}
	put(prefix("CounterForNeurons"), n.encode());
	put(prefix("NextUid"), n.encode());
	put(prefix("TotalWeightEntries"), total_entries.encode());
	if n <= max_neurons {
		let ranks: Vec<(u32, u128)> = (0..n).zip(ranks).collect();
		put(prefix("Ranks"), ranks.encode());
	}
	spec["id"] = serde_json::json!(format!("rpc_latency_{n}"));
	let path = dir.join(format!("rpc-latency-{n}.json"));
	std::fs::write(&path, serde_json::to_vec(&spec).unwrap()).unwrap();
	path
}

/// One JSON-RPC call over a fresh HTTP connection: (time to the last byte, time to parse,
/// body size, parsed body).
fn call(port: u16, method: &str, params: &str) -> (Duration, Duration, usize, serde_json::Value) {
	let body = format!(r#"{{"jsonrpc":"2.0","id":1,"method":"{method}","params":{params}}}"#);
	let request = format!(
		"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	let start = Instant::now();
	let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the node listens");
	stream.write_all(request.as_bytes()).unwrap();
	let mut response = Vec::new();
	stream.read_to_end(&mut response).unwrap();
	let received = start.elapsed();
	let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP response") + 4;
	let head = String::from_utf8_lossy(&response[..split]).to_string();
	let mut payload = &response[split..];
	let dechunked;
	if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
		dechunked = dechunk(payload);
		payload = &dechunked;
	}
	let parse = Instant::now();
	let value: serde_json::Value = serde_json::from_slice(payload)
		.unwrap_or_else(|e| panic!("{method}: {e}: {}", String::from_utf8_lossy(&payload[..payload.len().min(300)])));
	let parsed = parse.elapsed();
	if let Some(err) = value.get("error") {
		panic!("{method} failed: {err}");
	}
	(received, parsed, payload.len(), value)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
	let mut out = Vec::new();
	loop {
		let eol = data.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
		let size = usize::from_str_radix(std::str::from_utf8(&data[..eol]).unwrap().trim(), 16).unwrap();
		if size == 0 {
			return out;
		}
		out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
		data = &data[eol + 2 + size + 2..];
	}
}

struct Stats {
	median: f64,
	p90: f64,
	min: f64,
	max: f64,
}

fn stats(mut ms: Vec<f64>) -> Stats {
	ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
	let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
	Stats { median: at(0.5), p90: at(0.9), min: ms[0], max: ms[ms.len() - 1] }
}

fn measure(port: u16, method: &str, calls: usize) -> (Stats, Stats, usize) {
	for _ in 0..3 {
		call(port, method, "[]");
	}
	let (mut rtt, mut parse, mut size) = (Vec::new(), Vec::new(), 0);
	for _ in 0..calls {
		let (r, p, s, _) = call(port, method, "[]");
		rtt.push(r.as_secs_f64() * 1e3);
		parse.push(p.as_secs_f64() * 1e3);
		size = s;
	}
	(stats(rtt), stats(parse), size)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
	let mut args = std::env::args().skip(1);
	let (mut calls, mut entries, mut sizes) = (50usize, 64u32, Vec::new());
	while let Some(a) = args.next() {
		match a.as_str() {
			"--calls" => calls = args.next().and_then(|v| v.parse().ok()).expect("--calls N"),
			"--entries" => entries = args.next().and_then(|v| v.parse().ok()).expect("--entries N"),
			n => sizes.push(n.parse::<u32>().unwrap_or_else(|_| panic!("not a neuron count: {n}"))),
		}
	}
	if sizes.is_empty() {
		sizes = vec![256, 1024, 4096];
	}
	const MAX_NEURONS: u32 = 1024;

	println!("bittensor_getNeurons latency, {calls} calls after 3 warm-up calls, HTTP on loopback");
	println!("node: {}", node_binary().display());
	println!(
		"{:>6} {:>8} {:>10} | {:>10} {:>10} {:>10} {:>10} | {:>10} | {:>14} {:>10}",
		"n", "entries", "size", "median ms", "p90 ms", "min ms", "max ms", "parse ms", "state_call ms", "size"
	);
	for n in sizes {
		let dir = tempfile::tempdir().unwrap();
		let spec = spec_with(n, entries, MAX_NEURONS, dir.path());
		let spec = spec.to_str().unwrap().to_owned();
		let node = Node::start(&format!("latency-{n}"), &["--chain", &spec, "--rpc-max-response-size", "64"], dir.path());
		node.wait_for_log("Running JSON-RPC server", Duration::from_secs(300)).await;
		let port = node.rpc_port;
		// The answer holds every neuron.
		let (_, _, _, v) = call(port, "bittensor_getNeurons", "[]");
		let got = v["result"].as_array().expect("a list").len();
		assert_eq!(got, n as usize, "getNeurons returned {got} neurons");
		let (rtt, parse, size) = measure(port, "bittensor_getNeurons", calls);
		let raw_params = r#"["BittensorApi_neurons","0x"]"#;
		for _ in 0..3 {
			call(port, "state_call", raw_params);
		}
		let mut raw = Vec::new();
		let mut raw_size = 0;
		for _ in 0..calls {
			let (r, _, s, _) = call(port, "state_call", raw_params);
			raw.push(r.as_secs_f64() * 1e3);
			raw_size = s;
		}
		let raw = stats(raw);
		println!(
			"{:>6} {:>8} {:>10} | {:>10.1} {:>10.1} {:>10.1} {:>10.1} | {:>10.1} | {:>14.1} {:>10}{}",
			n,
			entries,
			size,
			rtt.median,
			rtt.p90,
			rtt.min,
			rtt.max,
			parse.median,
			raw.median,
			raw_size,
			if n > MAX_NEURONS { "  (above MaxNeurons: no Ranks stored)" } else { "" }
		);
		drop(node);
	}
	println!("size: bytes of the JSON answer; parse: client-side JSON parse, median;");
	println!("state_call: the runtime API call BittensorApi_neurons alone (SCALE, hex in JSON), median.");
}
