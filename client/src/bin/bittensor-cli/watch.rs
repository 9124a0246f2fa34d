//! `watch`: the neurons as a live table, one frame a block, from the node's
//! `bittensor_subscribeNeurons` feed; the rows (for self-weight) and the parent block's stakes
//! (for Δstake) are read at each block the feed names.

use crate::{show, Ctx, Failure, Outcome};
use bittensor_client::{
	bittensor::{format_tao, parse_fraction, parse_tao},
	json, BittensorApiClient, Blocks, Error, Hash,
};
use std::{collections::HashMap, io::IsTerminal};

/// One neuron of a frame.
struct Line {
	uid: u32,
	stake: u128,
	delta: i128,
	rank: u128,
	self_weight: u32,
}

fn tokens(s: &str) -> Result<u128, Failure> {
	parse_tao(s).map_err(|e| Failure::Chain(format!("an amount `{s}` from the node: {e}")))
}

/// A signed change in TAO, to the base unit: `+1.000000000000`, `-0.250000000000`, or
/// `0.000000000000`.
fn signed(delta: i128) -> String {
	let abs = format_tao(delta.unsigned_abs());
	match delta.signum() {
		1 => format!("+{abs}"),
		-1 => format!("-{abs}"),
		_ => abs,
	}
}

/// Stakes by uid at `at` (none at a block without a parent).
async fn stakes_at(ctx: &Ctx, at: Hash) -> Result<HashMap<u32, u128>, Failure> {
	let lite = ctx.client.bittensor().get_neurons_lite(Some(at)).await.map_err(Error::from)?.into_value()?;
	lite.iter().map(|n| Ok((n.uid, tokens(&n.stake)?))).collect()
}

pub async fn run(ctx: &Ctx, finalized: bool, count: Option<u64>, top: Option<usize>) -> Outcome {
	let rpc = ctx.client.bittensor();
	let blocks = if finalized { Blocks::Finalized } else { Blocks::Best };
	let mut feed = rpc.subscribe_neurons(Some(blocks)).await.map_err(Error::from)?;
	let tty = std::io::stdout().is_terminal();
	let top = top.or_else(|| {
		tty.then(|| std::env::var("LINES").ok().and_then(|l| l.parse::<usize>().ok()).unwrap_or(40).saturating_sub(5))
	});
	let mut frames = 0u64;
	while count.map_or(true, |c| frames < c) {
		let update = match feed.next().await {
			Some(update) => update.map_err(Error::from)?,
			None => return Err(Failure::Chain("the node closed the subscription".into())),
		};
		let neurons = update.value.into_value()?;
		let header = ctx.client.header(Some(update.hash)).await?;
		let parent = if update.number > 0 { stakes_at(ctx, header.parent_hash).await? } else { HashMap::new() };
		let rows = rpc.get_rows(None, Some(update.hash)).await.map_err(Error::from)?.into_value()?;
		let self_weight: HashMap<u32, u32> = rows
			.iter()
			.filter_map(|r| r.weights.iter().find(|(j, _)| *j == r.uid).map(|(_, w)| (r.uid, parse_fraction(w).unwrap_or(0))))
			.collect();
		let params = rpc.get_params(Some(update.hash)).await.map_err(Error::from)?;
		let mut lines = neurons
			.iter()
			.map(|n| {
				let stake = tokens(&n.stake)?;
				let before = parent.get(&n.uid).copied().unwrap_or(stake);
				Ok(Line {
					uid: n.uid,
					stake,
					delta: (stake as i128).saturating_sub(before as i128),
					rank: tokens(&n.rank)?,
					self_weight: self_weight.get(&n.uid).copied().unwrap_or(0),
				})
			})
			.collect::<Result<Vec<_>, Failure>>()?;
		lines.sort_by(|a, b| b.rank.cmp(&a.rank).then(a.uid.cmp(&b.uid)));
		frames += 1;
		if ctx.json {
			let neurons: Vec<_> = lines
				.iter()
				.map(|l| {
					serde_json::json!({
						"uid": l.uid,
						"stake": format_tao(l.stake),
						"deltaStake": signed(l.delta),
						"rank": format_tao(l.rank),
						"selfWeight": json::fraction(json::Perbill::from_parts(l.self_weight)),
					})
				})
				.collect();
			ctx.print_json(&serde_json::json!({ "hash": update.hash, "number": update.number, "neurons": neurons }))?;
			continue;
		}
		if tty {
			// Home and clear, as `top` redraws.
			print!("\x1b[H\x1b[2J");
		}
		let hash = format!("{:?}", update.hash);
		println!(
			"bittensor watch  {}  block #{} {}…{} ({})",
			ctx.url,
			update.number,
			hash.get(..10).unwrap_or(&hash),
			hash.get(hash.len().saturating_sub(4)..).unwrap_or(""),
			if finalized { "finalized" } else { "best" }
		);
		println!(
			"{} neurons  tau {} TAO/block  epsilon {}  minted since genesis {} TAO",
			lines.len(),
			show::trim(&params.inflation_per_block),
			show::trim(&params.max_weight_change),
			show::trim(&params.total_minted)
		);
		println!();
		println!("{:>5}  {:>22}  {:>18}  {:>20}  {:>11}", "uid", "stake (TAO)", "Δstake", "rank (TAO)", "self-weight");
		let shown = top.unwrap_or(lines.len()).min(lines.len());
		for l in &lines[..shown] {
			println!(
				"{:>5}  {:>22}  {:>18}  {:>20}  {:>11}",
				l.uid,
				format_tao(l.stake),
				signed(l.delta),
				format_tao(l.rank),
				show::fraction_parts(l.self_weight)
			);
		}
		if shown < lines.len() {
			println!("  … {} more (--top N)", lines.len() - shown);
		}
		if !tty {
			println!();
		}
	}
	Ok(())
}
