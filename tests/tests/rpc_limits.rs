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
	let million: String = format!("[{}]", vec!["0"; 1_000_000].join(","));
	let over_limit = format!("[{}]", vec!["1"; 4097].join(","));
	let nested = format!("{}{{\"a\":[null,{{}}]}}{}", "[".repeat(100), "]".repeat(100));
	let cases: Vec<(&str, &str, String, i32)> = vec![
		("1 MB string as the account", "bittensor_getStake", format!("[\"{mb}\"]"), INVALID_PARAMS),
		("100,000-char string as the account", "bittensor_getStake", format!("[\"{}\"]", &mb[..100_000]), INVALID_PARAMS),
		("an account with a bad checksum", "bittensor_getStake", format!("[\"{}\"]", &alice[..alice.len() - 1]), INVALID_PARAMS),
		("an object as the account", "bittensor_getStake", "[{\"uid\": 0}]".into(), INVALID_PARAMS),
		("10^6-element uid list", "bittensor_getRows", million, INVALID_PARAMS),
		("4,097-element uid list", "bittensor_getRows", over_limit, INVALID_PARAMS),
		("a string in the uid list", "bittensor_getRows", "[[0, \"1\"]]".into(), INVALID_PARAMS),
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
	assert!(cases.len() >= 15);
	use bittensor_e2e::client::BittensorApiClient;
	let params = rpc.get_params(None).await.unwrap();
	assert_eq!(params.neuron_count, 4);
}
