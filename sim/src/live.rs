//! `bittensor-sim live`: the model's peers as accounts on a running node.
//!
//! Peer `k` is the account `//SimPeer<k>` of the dev phrase. Alice funds each with
//! `fund` tokens, each registers and stakes `stake` tokens. Then, every block, each peer reads
//! the chain's weights and stakes over RPC, with the typed client (`bittensor_getNeuronsLite`
//! for stakes, `bittensor_getRows` for the peers' rows, `bittensor_getParams` for epsilon), takes its gradient step on the model's payoff (stakes rescaled to a mean of one
//! token, the model's unit), clips it to the chain's epsilon with the pallet's arithmetic, and
//! submits `set_weights`. At the end, the chain's own ranks (`bittensor_getRanks`) are
//! correlated with `R_ideal`.

use std::time::{Duration, Instant};

use bittensor_client::{bittensor, dev, json, tx, BittensorApiClient, Client, Error, Uids};

use crate::{
	network::{Network, Params, UNIT},
	stats::{pearson, spearman},
};

/// What a live run reached.
#[derive(Debug, Clone)]
pub struct LiveReport {
	/// Blocks run.
	pub blocks: usize,
	/// `set_weights` included.
	pub updates: usize,
	/// Pearson correlation of the chain's ranks of the peers with `R_ideal`.
	pub pearson: f64,
	/// Spearman correlation of the same.
	pub spearman: f64,
	/// Mean self-weight of the peers on chain at the end.
	pub self_weight: f64,
	/// The peers' ranks on chain at the end, tokens.
	pub ranks: Vec<f64>,
	/// `R_ideal`.
	pub ideal: Vec<f64>,
}

/// Tokens as the RPC writes them, in base units (as f64).
fn tao(s: &str) -> Result<f64, Error> {
	Ok(bittensor::parse_tao(s).map_err(Error::Decode)? as f64)
}

/// The peers' stakes (base units) and rows (parts, indexed by peer) at the best block; entries
/// for non-peers are left out. A peer that is not a neuron any more is an error.
async fn read_peers(api: &Client, uids: &[u32]) -> Result<(Vec<f64>, Vec<Vec<u32>>), Error> {
	let peer = |uid: u32| uids.iter().position(|x| *x == uid);
	let at = Some(api.best_hash().await?);
	let lite = api.bittensor().get_neurons_lite(at).await?.into_value()?;
	let mut stakes = vec![0f64; uids.len()];
	let mut found = vec![false; uids.len()];
	for neuron in &lite {
		let Some(k) = peer(neuron.uid) else { continue };
		found[k] = true;
		stakes[k] = tao(&neuron.stake)?;
	}
	if let Some(k) = found.iter().position(|f| !f) {
		return Err(Error::Missing(format!("peer {k} (uid {}) among the neurons", uids[k])));
	}
	// Rows come in the order asked: peer k's is the k-th.
	let rows = api.bittensor().get_rows(Some(Uids(uids.to_vec())), at).await?.into_value()?;
	let mut dense = vec![vec![0u32; uids.len()]; uids.len()];
	for (k, row) in rows.iter().enumerate() {
		for (j, w) in json::parse_row(&row.weights).map_err(Error::Decode)? {
			if let Some(j) = peer(j) {
				dense[k][j] = w.deconstruct();
			}
		}
	}
	Ok((stakes, dense))
}

async fn wait_for_block_after(api: &Client, number: u64) -> Result<u64, Error> {
	let deadline = Instant::now() + Duration::from_secs(120);
	loop {
		let best = api.best_number().await?;
		if best > number {
			return Ok(best);
		}
		if Instant::now() > deadline {
			return Err(Error::Timeout(format!("no block after #{number} in 120 s")));
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
}

/// Runs `params.n` peers for `blocks` blocks against the node at `url`.
pub async fn run(url: &str, params: Params, blocks: usize, fund: u128, stake: u128, mut log: impl FnMut(&str)) -> Result<LiveReport, Error> {
	let api = Client::connect_with_retry(url, Duration::from_secs(30)).await?;
	let n = params.n;
	let peers: Vec<_> = (0..n).map(|k| dev::derived(&format!("//SimPeer{k}"))).collect::<Result<_, _>>()?;
	let alice = dev::signer("alice")?;

	// Fund, register and stake the peers that are not neurons yet.
	let mut uids = Vec::new();
	for (k, peer) in peers.iter().enumerate() {
		let who = peer.public_key().into();
		let uid = match api.uid_of(&who, None).await? {
			Some(uid) => uid,
			None => {
				if api.free_balance(&who, None).await? < fund / 2 {
					api.submit(&tx::transfer_keep_alive(&who, fund), &alice).await?;
				}
				api.submit(&bittensor::register(), peer).await?;
				api.submit(&bittensor::add_stake(stake), peer).await?;
				api.uid_of(&who, None).await?.ok_or_else(|| Error::Missing(format!("uid of peer {k}")))?
			},
		};
		uids.push(uid);
	}
	log(&format!("peers: uids {uids:?}"));

	let mut net = Network::new(params.clone());
	let ideal = net.ideal_ranking();
	let mut updates = 0;
	let mut number = api.best_number().await?;
	for block in 0..blocks {
		// Read the chain at the best block: stakes and rows of the peers, and epsilon.
		let (stakes, rows) = read_peers(&api, &uids).await?;
		let chain_params = api.bittensor().get_params(None).await?;
		net.params.epsilon = json::parse_fraction(&chain_params.max_weight_change).map_err(Error::Decode)?;
		net.rows = rows;
		let mean = stakes.iter().sum::<f64>() / n as f64;
		net.stakes = stakes.iter().map(|s| (s / mean * UNIT) as u128).collect();

		// Each peer steps and submits its row (as raw scores: the parts themselves).
		let before = net.rows.clone();
		net.step(net.params.tau);
		let mut sent = 0;
		for (k, peer) in peers.iter().enumerate() {
			if net.rows[k] == before[k] {
				continue;
			}
			let scores: Vec<(u32, u32)> = net.rows[k]
				.iter()
				.enumerate()
				.filter(|(_, p)| **p > 0)
				.map(|(j, p)| (uids[j], *p))
				.collect();
			api.submit_no_wait(&bittensor::set_weights(scores), peer).await?;
			sent += 1;
		}
		updates += sent;
		number = wait_for_block_after(&api, number).await?;
		log(&format!("block {}/{blocks} (#{number}): {sent} set_weights", block + 1));
	}
	// Let the last updates land, then read the chain's own ranks.
	wait_for_block_after(&api, number).await?;
	let ranks = api.bittensor().get_ranks(None).await?.into_value()?;
	let mut chain_ranks = vec![0f64; n];
	for r in ranks {
		if let Some(k) = uids.iter().position(|x| *x == r.uid) {
			chain_ranks[k] = tao(&r.rank)? / UNIT;
		}
	}
	let (_, rows) = read_peers(&api, &uids).await?;
	let self_weight: f64 = rows.iter().enumerate().map(|(k, row)| f64::from(row[k]) / 1e9).sum();
	Ok(LiveReport {
		blocks,
		updates,
		pearson: pearson(&chain_ranks, &ideal),
		spearman: spearman(&chain_ranks, &ideal),
		self_weight: self_weight / n as f64,
		ranks: chain_ranks,
		ideal,
	})
}
