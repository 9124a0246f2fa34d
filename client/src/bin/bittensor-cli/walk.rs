//! `weights set`'s checks and `weights walk`: a row moved toward a target one ε-step a block,
//! recomputed from the chain before every step.

use crate::{show, Ctx, Failure, Outcome};
use bittensor_client::{
	bittensor::{calls, parse_fraction},
	json::Perbill,
	rows::{self, RowEntries},
	subxt_signer::sr25519::Keypair,
	AccountId, BittensorApiClient, Error, Who,
};
use std::collections::BTreeSet;

/// The row the chain will store for `scores`, checked against the chain before anything is
/// sent: every uid must be a registered neuron, and the row within `MaxWeightsPerRow`.
pub async fn check_target(ctx: &Ctx, scores: &rows::Scores) -> Result<RowEntries, Failure> {
	let rpc = ctx.client.bittensor();
	let at = Some(ctx.client.best_hash().await?);
	let neurons = rpc.get_neurons_lite(at).await.map_err(Error::from)?.into_value()?;
	let known: BTreeSet<u32> = neurons.iter().map(|n| n.uid).collect();
	let unknown: Vec<u32> = scores.iter().map(|(uid, _)| *uid).filter(|uid| !known.contains(uid)).collect();
	if !unknown.is_empty() {
		return Err(Failure::Chain(format!(
			"uids {unknown:?} are not registered neurons (the chain would refuse the row with Bittensor::UnknownUid); nothing was sent"
		)));
	}
	let max = rpc.get_params(at).await.map_err(Error::from)?.max_weights_per_row as usize;
	let target = rows::target_row(scores).map_err(Failure::Usage)?;
	if target.len() > max {
		return Err(Failure::Chain(format!(
			"the row has {} entries, more than the {max} a row may hold (Bittensor::TooManyWeights); nothing was sent",
			target.len()
		)));
	}
	Ok(target)
}

/// Where `who`'s neuron stands at the best block: its uid, its row as it counts (parts), and ε.
pub async fn position(ctx: &Ctx, who: &AccountId) -> Result<(u32, RowEntries, Perbill), Failure> {
	let rpc = ctx.client.bittensor();
	let at = Some(ctx.client.best_hash().await?);
	let uid = match rpc.get_stake(Who::Account(who.to_string()), at).await {
		Ok(stake) => stake.uid,
		Err(e) => {
			let e = Error::from(e);
			return Err(Failure::Chain(format!("{who} has no neuron to set weights for ({e}); register it first")));
		},
	};
	let parts = |w: &str| parse_fraction(w).map_err(|e| Failure::Chain(format!("a weight `{w}` from the node: {e}")));
	let row = rpc.get_weights(uid.into(), at).await.map_err(Error::from)?;
	let row = row.iter().map(|(j, w)| Ok((*j, parts(w)?))).collect::<Result<RowEntries, Failure>>()?;
	let eps = parts(&rpc.get_params(at).await.map_err(Error::from)?.max_weight_change)?;
	Ok((uid, row, Perbill::from_parts(eps)))
}

fn bar(done: f64) -> String {
	let filled = (done.clamp(0.0, 1.0) * 30.0).round() as usize;
	format!("[{}{}] {:>3.0}%", "#".repeat(filled), "-".repeat(30 - filled), done.clamp(0.0, 1.0) * 100.0)
}

/// Walks the signer's row (or --proxy-for's) toward the row of `scores`, one `set_weights` a
/// block, each step from the row and ε read at the best block just before it.
pub async fn run(ctx: &Ctx, signer: &Keypair, scores: &rows::Scores, max_blocks: Option<u32>) -> Outcome {
	let who = ctx.acting_for(signer);
	let target = check_target(ctx, scores).await?;
	let max_entries = ctx.client.bittensor().get_params(None).await.map_err(Error::from)?.max_weights_per_row as usize;
	let (uid, mut row, mut eps) = position(ctx, &who).await?;
	let start = rows::distance(&row, &target);
	println!(
		"weights walk: neuron {uid} toward a row of {} entries; distance {start:.9}, epsilon {} (at least {} blocks)",
		target.len(),
		show::fraction_parts(eps.deconstruct()),
		blocks_at_least(start, eps),
	);
	let mut blocks = 0u32;
	while let Some(step) = rows::walk_step(&row, &target, eps, max_entries) {
		if max_blocks.is_some_and(|m| blocks >= m) {
			return Err(Failure::Chain(format!(
				"weights walk: stopped after {blocks} blocks at distance {:.9}; run it again to go on",
				rows::distance(&row, &target)
			)));
		}
		let step = step.map_err(|e| Failure::Chain(format!("weights walk: {e}")))?;
		let (_, number) = ctx.submit(signer, calls::set_weights(&step), "weights walk").await?;
		blocks += 1;
		(_, row, eps) = position(ctx, &who).await?;
		let left = rows::distance(&row, &target);
		let done = if start > 0.0 { 1.0 - left / start } else { 1.0 };
		println!("  block #{number:<6} step {blocks:>3}  distance left {left:.9}  {}", bar(done));
	}
	let left = rows::distance(&row, &target);
	if ctx.json {
		let row: Vec<(u32, String)> = row.iter().map(|(j, p)| (*j, bittensor_client::json::fraction(Perbill::from_parts(*p)))).collect();
		ctx.print_json(&serde_json::json!({
			"uid": uid, "blocks": blocks, "distanceStart": start, "distanceLeft": left, "row": row,
		}))?;
	}
	println!("weights walk: neuron {uid} is at the target after {blocks} blocks; distance left {left:.9}");
	Ok(())
}

/// The fewest blocks a walk of `distance` takes with bound `eps`: ⌈distance / ε⌉.
fn blocks_at_least(distance: f64, eps: Perbill) -> u64 {
	let eps = f64::from(eps.deconstruct()) / 1e9;
	if eps == 0.0 { 0 } else { (distance / eps - 1e-9).ceil().max(0.0) as u64 }
}
