//! Measures the latency of `bittensor_getNeurons` (and, for comparison, of the raw runtime API
//! call behind it) on a real node whose state holds `n` neurons with `entries` weights a row.
//!
//! Usage: `rpc-latency [--calls 50] [--entries 64] N...` (default N: 256 1024 4096); run by
//! `scripts/rpc-latency.sh`, which builds the node first.
//!
//! How the state is made: the node's `--chain scale-<n>x<entries>` (the runtime's scale
//! generator, `genesis_config_presets::scale_genesis_patch`): `n` registered neurons, uid `i`
//! with stake `1000 + i mod 1000` TAO and a row of `entries` uids spread over all neurons,
//! everything held and counted as registration and `set_weights` would have; `Ranks` is stored
//! once the node has sealed one block (manual seal), which the tool does before it measures.
//! `n` may be at most the runtime's `MaxNeurons` and `entries` at most `MaxWeightsPerRow`.
//!
//! The node (a full node, no peers, no block production) serves the genesis state; each call
//! is a fresh HTTP request on loopback, timed from the first byte sent to the last byte
//! received, then parsed as JSON (timed separately). Printed: median, p90, min and max over
//! `--calls` calls after 3 warm-up calls, and the answer's size.

use std::{
	io::{Read, Write},
	net::TcpStream,
	time::{Duration, Instant},
};

use bittensor_e2e::{node_binary, Node};

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
	println!("bittensor_getNeurons latency, {calls} calls after 3 warm-up calls, HTTP on loopback");
	println!("node: {}", node_binary().display());
	println!(
		"{:>6} {:>8} {:>10} | {:>10} {:>10} {:>10} {:>10} | {:>10} | {:>14} {:>10}",
		"n", "entries", "size", "median ms", "p90 ms", "min ms", "max ms", "parse ms", "state_call ms", "size"
	);
	for n in sizes {
		let dir = tempfile::tempdir().unwrap();
		let chain = format!("scale-{n}x{entries}");
		let node = Node::start(
			&format!("latency-{n}"),
			&["--chain", &chain, "--alice", "--sealing", "manual", "--rpc-max-response-size", "256"],
			dir.path(),
		);
		node.wait_for_log("Running JSON-RPC server", Duration::from_secs(300)).await;
		let port = node.rpc_port;
		// One block, so that the ranking is stored.
		call(port, "engine_createBlock", "[true,true,null]");
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
			"{:>6} {:>8} {:>10} | {:>10.1} {:>10.1} {:>10.1} {:>10.1} | {:>10.1} | {:>14.1} {:>10}",
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
		);
		drop(node);
	}
	println!("size: bytes of the JSON answer; parse: client-side JSON parse, median;");
	println!("state_call: the runtime API call BittensorApi_neurons alone (SCALE, hex in JSON), median.");
}
