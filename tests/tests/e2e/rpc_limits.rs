//! Malformed `bittensor_*` calls on a node that makes a block every 500 ms: each is refused
//! with its own JSON-RPC code within 100 ms, its error does not echo the input back, and the
//! node keeps making blocks throughout. Prints the table of input, code, answer time and error
//! size.

use std::time::{Duration, Instant};

use bittensor_e2e::{
	client::jsonrpsee::core::{client::ClientT, traits::ToRpcParams, ClientError},
	Node,
};
use serde_json::value::RawValue;

/// Parameters as JSON text, sent as written (so that `1e309` or `-0` reach the node as such).
struct Raw(String);

impl ToRpcParams for Raw {
	fn to_rpc_params(self) -> Result<Option<Box<RawValue>>, serde_json::Error> {
		RawValue::from_string(self.0).map(Some)
	}
}

const INVALID_PARAMS: i32 = -32602;
const METHOD_NOT_FOUND: i32 = -32601;
const UNKNOWN_BLOCK: i32 = 7003;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_calls_are_refused_fast_with_their_code_while_blocks_go_on() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start("dev", &["--dev", "--sealing", "500"], dir.path());
	let api = node.client().await;
	let rpc = api.bittensor();

	let mb = "x".repeat(1 << 20);
	let alice = bittensor_e2e::client::dev::account_id("alice").unwrap().to_string();
	let list = |n: u32| format!("[{}]", (0..n).map(|u| u.to_string()).collect::<Vec<_>>().join(","));
	let (million, over_limit) = (list(1_000_000), list(4097));
	let nested = format!("{}{{\"a\":[null,{{}}]}}{}", "[".repeat(100), "]".repeat(100));
	let cases: Vec<(&str, &str, String, i32)> = vec![
		("1 MB string as the account", "bittensor_getStake", format!("[\"{mb}\"]"), INVALID_PARAMS),
		("100,000-char string as the account", "bittensor_getStake", format!("[\"{}\"]", &mb[..100_000]), INVALID_PARAMS),
		("an account with a bad checksum", "bittensor_getStake", format!("[\"{}\"]", &alice[..alice.len() - 1]), INVALID_PARAMS),
		("an object as the account", "bittensor_getStake", "[{\"uid\": 0}]".into(), INVALID_PARAMS),
		("10^6-element uid list", "bittensor_getRows", million, INVALID_PARAMS),
		("4,097-element uid list", "bittensor_getRows", over_limit, INVALID_PARAMS),
		("a string in the uid list", "bittensor_getRows", "[[0, \"1\"]]".into(), INVALID_PARAMS),
		("a uid listed twice", "bittensor_getRows", "[[0, 1, 0]]".into(), INVALID_PARAMS),
		("negative uid", "bittensor_getNeuron", "[-1]".into(), INVALID_PARAMS),
		("fractional uid", "bittensor_getNeuron", "[1.5]".into(), INVALID_PARAMS),
		("uid past u32", "bittensor_getNeuron", "[4294967296]".into(), INVALID_PARAMS),
		("1 MB string as the uid", "bittensor_getNeuron", format!("[\"{mb}\"]"), INVALID_PARAMS),
		("nested garbage (100 levels) as the uid", "bittensor_getWeights", format!("[{nested}]"), INVALID_PARAMS),
		("temperature \"NaN\"", "bittensor_getMask", "[0, \"NaN\"]".into(), INVALID_PARAMS),
		("temperature 1e309", "bittensor_getMask", "[0, 1e309]".into(), INVALID_PARAMS),
		("temperature -0", "bittensor_getMask", "[0, -0]".into(), INVALID_PARAMS),
		("temperature 0", "bittensor_getMask", "[0, 0]".into(), INVALID_PARAMS),
		("unknown block", "bittensor_getNeurons", format!("[\"0x{}\"]", "11".repeat(32)), UNKNOWN_BLOCK),
		("1 MB string as the block hash", "bittensor_getNeurons", format!("[\"0x{mb}\"]"), INVALID_PARAMS),
		("a block hash that is not hex", "bittensor_getParams", format!("[\"0x{}\"]", "zz".repeat(32)), INVALID_PARAMS),
		("named parameters without the uid", "bittensor_getNeuron", "{\"who\": 1}".into(), INVALID_PARAMS),
		("subscription to an unknown kind of block", "bittensor_subscribeRanks", "[\"latest\"]".into(), INVALID_PARAMS),
		("subscription to an unknown feed", "bittensor_subscribeWeights", "[]".into(), METHOD_NOT_FOUND),
	];

	let start_block = api.best_number().await.unwrap();
	let started = Instant::now();
	let mut slow = Vec::new();
	println!("| input | method | code | answer (ms) | error bytes |");
	println!("|---|---|---|---|---|");
	for (what, method, params, code) in &cases {
		let t = Instant::now();
		let answer = if method.starts_with("bittensor_subscribe") {
			// A subscription call is refused the same way as a method call.
			let sub = bittensor_e2e::client::jsonrpsee::core::client::SubscriptionClientT::subscribe::<serde_json::Value, _>(
				rpc,
				method,
				Raw(params.clone()),
				"bittensor_unsubscribe",
			)
			.await;
			sub.map(|_| serde_json::Value::Null)
		} else {
			rpc.request::<serde_json::Value, _>(method, Raw(params.clone())).await
		};
		let took = t.elapsed();
		let err = match answer {
			Err(ClientError::Call(err)) => err,
			other => panic!("{what}: expected error {code}, got {other:?}"),
		};
		let size = err.message().len() + err.data().map_or(0, |d| d.get().len());
		println!(
			"| {what} | `{method}` | {} | {:.1} | {size} |",
			err.code(),
			took.as_secs_f64() * 1e3
		);
		assert_eq!(err.code(), *code, "{what}: {err:?}");
		assert!(size < 1024, "{what}: the error echoes {size} bytes back");
		if took > Duration::from_millis(100) {
			slow.push(format!("{what}: {took:?}"));
		}
	}
	let elapsed = started.elapsed();
	assert!(slow.is_empty(), "answered after more than 100 ms: {slow:?}");

	// The node made blocks throughout (one every 500 ms) and still answers well-formed calls.
	tokio::time::sleep(Duration::from_millis(1200)).await;
	let end_block = api.best_number().await.unwrap();
	println!("{} malformed calls in {:.0} ms; blocks #{start_block} -> #{end_block}", cases.len(), elapsed.as_secs_f64() * 1e3);
	assert!(end_block >= start_block + 2, "the node kept making blocks: #{start_block} -> #{end_block}");
	use bittensor_e2e::client::BittensorApiClient;
	let params = rpc.get_params(None).await.unwrap();
	assert_eq!(params.neuron_count, 4);
}

/// The `--rpc-*` settings the README gives for a public node, exactly as it writes them.
const PUBLIC_RPC_FLAGS: &str = "--rpc-external --rpc-methods safe --rpc-cors all --rpc-max-connections 500 \
	--rpc-max-request-size 1 --rpc-max-response-size 32 --rpc-max-subscriptions-per-connection 16 \
	--rpc-message-buffer-capacity-per-connection 64 --rpc-max-batch-request-len 16 --rpc-rate-limit 600 \
	--bittensor-rpc-cache-entries 64 --bittensor-rpc-cache-mib 256";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_public_node_settings_work_as_written() {
	let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
	let flags: Vec<&str> = PUBLIC_RPC_FLAGS.split_whitespace().collect();
	assert!(readme.contains(&flags.join(" ")), "README.md gives these settings on one line: {}", flags.join(" "));

	// A full node of the local testnet (no peers: it serves its genesis) with those settings,
	let dir = tempfile::tempdir().unwrap();
	let spec = bittensor_e2e::chain_spec("local.raw.json");
	let mut args = vec!["--chain", spec.to_str().unwrap()];
	args.extend(&flags);
	let node = Node::start("public", &args, dir.path());
	let api = node.client().await;
	let rpc = api.bittensor();
	// serves the bittensor_* methods,
	use bittensor_e2e::client::BittensorApiClient;
	let params = rpc.get_params(None).await.unwrap();
	assert_eq!(params.max_neurons, 4096);
	let lite = rpc.get_neurons_lite(None).await.unwrap().into_value().unwrap();
	assert_eq!(lite.len(), params.neuron_count as usize);
	// refuses the unsafe ones,
	let unsafe_call = rpc.request::<serde_json::Value, _>("author_rotateKeys", Raw("[]".into())).await;
	match unsafe_call {
		Err(ClientError::Call(err)) => println!("author_rotateKeys: {} {}", err.code(), err.message()),
		other => panic!("an unsafe method on a public node: {other:?}"),
	}
	// and a request over 1 MB, and goes on serving.
	let big = format!("[\"{}\"]", "x".repeat(1 << 21));
	let refused = rpc.request::<serde_json::Value, _>("bittensor_getStake", Raw(big)).await;
	// (The server answers it with an error of id null, so the client gives the connection up.)
	println!("a 2 MB request: {refused:?}");
	assert!(
		matches!(refused, Err(ClientError::RestartNeeded(_)) | Err(ClientError::Call(_))),
		"a 2 MB request on a node taking 1 MB: {refused:?}"
	);
	let again = node.client().await;
	assert_eq!(again.bittensor().get_params(None).await.unwrap(), params);
}
