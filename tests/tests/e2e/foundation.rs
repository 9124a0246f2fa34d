//! The foundation's end-to-end tests: a dev chain with instant sealing takes a signed
//! transfer, and a two-validator local network finalizes with GRANDPA.

use std::time::Duration;

use bittensor_e2e::{chain_spec, client, wait_until, Node, UNIT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_chain_includes_a_signed_transfer_and_serves_the_new_balances() {
	// Given a dev node sealing a block per transaction.
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start("dev", &["--dev", "--sealing", "instant"], dir.path());
	let api = node.client().await;
	let alice = client::dev::signer("alice").unwrap();
	let alice_id = client::dev::account_id("alice").unwrap();
	let bob_id = client::dev::account_id("bob").unwrap();
	let amount = 1_234 * UNIT + 567;

	// When Alice transfers to Bob, signed with her dev key, over JSON-RPC.
	let included = api
		.submit(&client::tx::transfer_keep_alive(&bob_id, amount), &alice)
		.await
		.unwrap_or_else(|e| panic!("transfer failed: {e}\n{}", node.log_tail(40)));

	// Then it is in a block, with a Transfer event and a fee.
	assert!(included.has_event("Balances", "Transfer"));
	let fee = included.fee_paid().unwrap();
	assert!(fee > 0, "a signed transfer pays a fee");

	// And the balances read back over RPC at that block and its parent differ by exactly the
	// amount (Bob) and the amount plus the fee (Alice).
	let header = api.header(Some(included.block_hash)).await.unwrap();
	let parent = Some(header.parent_hash);
	let at = Some(included.block_hash);
	let alice_before = api.free_balance(&alice_id, parent).await.unwrap();
	let bob_before = api.free_balance(&bob_id, parent).await.unwrap();
	let alice_after = api.free_balance(&alice_id, at).await.unwrap();
	let bob_after = api.free_balance(&bob_id, at).await.unwrap();
	assert_eq!(bob_after, bob_before + amount);
	assert_eq!(alice_after, alice_before - amount - fee);

	// And instant sealing finalized the block.
	let number = header.number().unwrap();
	assert!(number >= 1);
	let finalized = wait_until("the transfer's block to be finalized", Duration::from_secs(30), || async {
		let n = api.finalized_number().await.ok()?;
		(n >= number).then_some(n)
	})
	.await;
	assert!(finalized >= number);

	// And the node answers the usual health and header calls: a dev node alone, not syncing,
	// expecting no peers; its best and finalized heads at or past the transfer's block.
	let health = api.system_health().await.unwrap();
	assert_eq!((health.peers, health.is_syncing, health.should_have_peers), (0, false, false));
	let best = api.header(None).await.unwrap();
	assert!(best.number().unwrap() >= number);
	let head = api.finalized_head().await.unwrap();
	assert!(api.header(Some(head)).await.unwrap().number().unwrap() >= number);
	assert_eq!(api.block_hash(number).await.unwrap(), Some(included.block_hash));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_validators_from_the_local_spec_peer_and_finalize() {
	// Given Alice and Bob started from the generated raw local spec, Bob booting from Alice.
	let spec = chain_spec("local.raw.json");
	let spec = spec.to_str().unwrap();
	let dir_a = tempfile::tempdir().unwrap();
	let dir_b = tempfile::tempdir().unwrap();
	let alice = Node::start("alice", &["--chain", spec, "--alice"], dir_a.path());
	let boot = alice.multiaddr().await;
	let bob = Node::start("bob", &["--chain", spec, "--bob", "--bootnodes", &boot], dir_b.path());
	let api_a = alice.client().await;
	let api_b = bob.client().await;

	// When they run, they see each other.
	for (api, node) in [(&api_a, &alice), (&api_b, &bob)] {
		wait_until(&format!("{} to have a peer", node.name()), Duration::from_secs(60), || async {
			(api.system_health().await.ok()?.peers >= 1).then_some(())
		})
		.await;
	}

	// Then GRANDPA finalizes blocks on both, beyond block 3.
	let target = 3;
	for (api, node) in [(&api_a, &alice), (&api_b, &bob)] {
		wait_until(
			&format!("{} to finalize block {target}", node.name()),
			Duration::from_secs(150),
			|| async { (api.finalized_number().await.ok()? >= target).then_some(()) },
		)
		.await;
	}

	// And they agree on the finalized chain: Alice's finalized block is on Bob's chain.
	let head_a = api_a.finalized_head().await.unwrap();
	let number_a = api_a.header(Some(head_a)).await.unwrap().number().unwrap();
	let hash_b: Option<client::Hash> = wait_until(
		"Bob to know Alice's finalized block",
		Duration::from_secs(60),
		|| async {
			api_b.block_hash(number_a).await.ok()?.map(Some)
		},
	)
	.await;
	assert_eq!(hash_b, Some(head_a));
}
