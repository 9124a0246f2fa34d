//! Warp sync: a fresh full node joins a running network with `--sync warp`.
//!
//! The four validators of `local4` finalize blocks, with neurons registered, and pass a GRANDPA
//! authority set change (the admin's `ValidatorSet.force_rotation`), so the warp proof must
//! carry a set change. Then Ferdie's node, with an empty database, warps: it logs that the warp
//! and the state sync completed (so it did not fall back to a full sync), reaches the
//! validators' finalized head, and answers `bittensor_getNeurons` there as a validator does.

use std::time::Duration;

use bittensor_e2e::{
	authorities, chain_spec,
	client::{bittensor, dev, tx, tx::ValidatorSetCall, BittensorApiClient},
	local4_validators, wait_until, Node, UNIT,
};

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_node_warps_to_the_finalized_head_across_a_set_change() {
	// Given Alice, Bob, Charlie and Dave validating,
	let spec = chain_spec("local4.raw.json");
	let spec = spec.to_str().unwrap();
	let dir = tempfile::tempdir().unwrap();
	let (nodes, boot) = local4_validators(dir.path()).await;
	let api = nodes[0].client().await;

	// with neurons (Alice and Bob register and stake, Bob weights Alice),
	for (who, stake) in [("alice", 2_000 * UNIT), ("bob", 1_000 * UNIT)] {
		let signer = dev::signer(who).unwrap();
		api.submit(&bittensor::register(), &signer).await.unwrap();
		api.submit(&bittensor::add_stake(stake), &signer).await.unwrap();
	}
	api.submit(&bittensor::set_weights(vec![(0, 1), (1, 19)]), &dev::signer("bob").unwrap()).await.unwrap();
	// and a GRANDPA set change,
	let set_before = authorities::grandpa_set_id(&api, api.best_hash().await.unwrap()).await;
	let forced = api
		.submit(&tx::sudo(ValidatorSetCall::ForceRotation.value()), &dev::signer("alice").unwrap())
		.await
		.unwrap();
	let at = authorities::header(&api, forced.block_hash).await.0;
	let changed = wait_until("the new GRANDPA set", 2 * MINUTE, || async {
		let hash = api.block_hash(at + 2).await.ok().flatten()?;
		(authorities::grandpa_set_id(&api, hash).await == set_before + 1).then_some(at + 2)
	})
	.await;
	// finalized well past it,
	let target = changed + 4;
	wait_until(&format!("block {target} finalized"), 3 * MINUTE, || async {
		api.finalized_number().await.ok().filter(|f| *f >= target)
	})
	.await;
	println!("warp: GRANDPA set {} from block {changed}; the network finalized {target}", set_before + 1);

	// when Ferdie's node starts empty with `--sync warp`,
	let ferdie = Node::start("ferdie", &["--chain", spec, "--sync", "warp", "--bootnodes", &boot], &dir.path().join("ferdie"));
	let ferdie_api = ferdie.client().await;
	// then it warps (and does not fall back to a full sync),
	ferdie.wait_for_log("Warp sync is complete", 3 * MINUTE).await;
	ferdie.wait_for_log("State sync is complete", 3 * MINUTE).await;
	// reaches the validators' finalized head,
	let head = api.finalized_number().await.unwrap();
	let reached = wait_until(&format!("Ferdie to finalize {head}"), 3 * MINUTE, || async {
		ferdie_api.finalized_number().await.ok().filter(|f| *f >= head)
	})
	.await;
	let hash = ferdie_api.block_hash(head).await.unwrap().unwrap();
	assert_eq!(api.block_hash(head).await.unwrap(), Some(hash), "on the validators' chain");
	// and answers bittensor_getNeurons there as a validator does.
	let theirs = api.bittensor().get_neurons(Some(hash)).await.unwrap().into_value().unwrap();
	let his = ferdie_api.bittensor().get_neurons(Some(hash)).await.unwrap().into_value().unwrap();
	assert_eq!(his.len(), 2);
	assert_eq!(his, theirs);
	println!("warp: Ferdie warped and finalized {reached} (validators at {head}); getNeurons at {head} matches ({} neurons)", his.len());
}
