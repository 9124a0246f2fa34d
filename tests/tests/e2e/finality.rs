//! Finality with a validator down: four validators from `chain-specs/local4.raw.json` on
//! loopback. GRANDPA needs three of four, so with Dave stopped finality goes on; restarted on
//! his base path, Dave catches up to the others' finalized head.

use std::time::Duration;

use bittensor_e2e::{client::Client, local4_validators, wait_until};

async fn finalized(api: &Client) -> u64 {
	api.finalized_number().await.unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finality_goes_on_with_one_of_four_validators_down_and_it_catches_up() {
	// Given Alice, Bob, Charlie and Dave validating, all booting from Alice,
	let dir = tempfile::tempdir().unwrap();
	let (mut nodes, _) = local4_validators(dir.path()).await;
	let mut apis = Vec::new();
	for node in &nodes {
		apis.push(node.client().await);
	}
	// all four finalize,
	for (api, node) in apis.iter().zip(&nodes) {
		wait_until(&format!("{} to finalize block 2", node.name()), Duration::from_secs(180), || async {
			(finalized(api).await >= 2).then_some(())
		})
		.await;
	}

	// when Dave stops,
	let mut dave = nodes.pop().unwrap();
	apis.pop();
	dave.kill();
	let at_stop = finalized(&apis[0]).await;

	// then the other three keep finalizing (three more blocks),
	for (api, node) in apis.iter().zip(&nodes) {
		wait_until(
			&format!("{} to finalize past {} without Dave", node.name(), at_stop + 3),
			Duration::from_secs(180),
			|| async { (finalized(api).await >= at_stop + 3).then_some(()) },
		)
		.await;
	}

	// and when Dave starts again on his base path, he catches up to their finalized head,
	dave.restart();
	let api_d = dave.client().await;
	let target = finalized(&apis[0]).await;
	wait_until("Dave to finalize the others' head", Duration::from_secs(180), || async {
		(finalized(&api_d).await >= target).then_some(())
	})
	.await;
	// on the same chain.
	let theirs = apis[0].block_hash(target).await.unwrap();
	let his = api_d.block_hash(target).await.unwrap();
	assert_eq!(his, theirs);
	assert!(theirs.is_some());
}
