//! `bittensor-sim`: reproduces the paper's Figures 4 and 5 on the chain's arithmetic, offline
//! (`figures`), or drives the same peers on a running node (`live`).

use std::path::PathBuf;

use bittensor_sim::{
	figures::{figure4_run, figure4_table, figure5, time_to_target, Controller},
	live,
	network::{Params, StepRule},
	output,
};
use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use sp_arithmetic::Perbill;

#[derive(Parser)]
#[command(name = "bittensor-sim", about = "The BitTensor paper's competitive-weights experiments on the chain's arithmetic")]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Figure 4 (correlation of the equilibrium ranking with the ideal one, by alpha/tau) and
	/// Figure 5 (adaptive tau from 0): CSV, PNG and a printed table.
	Figures {
		/// Peers.
		#[arg(long, default_value_t = 16)]
		n: usize,
		/// Seeds per ratio (1, 2, ...).
		#[arg(long, default_value_t = 10)]
		seeds: u64,
		/// The alpha/tau ratios.
		#[arg(long, value_delimiter = ',', default_values_t = vec![1.0, 10.0, 25.0, 50.0])]
		ratios: Vec<f64>,
		/// Most steps per run (default 1000 n).
		#[arg(long)]
		max_steps: Option<usize>,
		/// Steps of Figure 5.
		#[arg(long, default_value_t = 3000)]
		fig5_steps: usize,
		/// alpha/tau in Figure 5.
		#[arg(long, default_value_t = 10.0)]
		fig5_ratio: f64,
		/// How random W0 is (0.05: near-uniform; 1000: uniform random rows).
		#[arg(long, default_value_t = 0.05)]
		w0_noise: f64,
		/// How the peers size their steps.
		#[arg(long, value_enum, default_value_t = Rule::Adaptive)]
		step_rule: Rule,
		/// Figure 5 adds what is minted to the stakes (Algorithm 1) instead of keeping the stakes
		/// fixed (the paper's experiments).
		#[arg(long)]
		fig5_mint: bool,
		/// Target sparsity of the controller.
		#[arg(long, default_value_t = 0.5)]
		target: f64,
		/// Gain of the controller.
		#[arg(long, default_value_t = 0.01)]
		gain: f64,
		/// Largest tau, tokens.
		#[arg(long, default_value_t = 1.0)]
		tau_max: f64,
		/// Output directory.
		#[arg(long, default_value = "sim-out")]
		out: PathBuf,
	},
	/// The peers as accounts `//SimPeer<k>` on a running node, one `set_weights` each per block.
	Live {
		/// The node's WebSocket RPC.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// Peers.
		#[arg(long, default_value_t = 8)]
		n: usize,
		/// Blocks to run.
		#[arg(long, default_value_t = 50)]
		blocks: usize,
		/// alpha/tau.
		#[arg(long, default_value_t = 50.0)]
		ratio: f64,
		/// The seed of the Hessians and of the first rows.
		#[arg(long, default_value_t = 1)]
		seed: u64,
	},
}

/// [`StepRule`] on the command line.
#[derive(Clone, Copy, ValueEnum)]
enum Rule {
	/// lambda every step.
	Constant,
	/// lambda / alpha every step.
	AlphaScaled,
	/// Per peer: halved when its move reverses, grown by a tenth otherwise, at most lambda.
	Adaptive,
}

impl From<Rule> for StepRule {
	fn from(r: Rule) -> Self {
		match r {
			Rule::Constant => StepRule::Constant,
			Rule::AlphaScaled => StepRule::AlphaScaled,
			Rule::Adaptive => StepRule::Adaptive,
		}
	}
}

fn bar(len: u64, what: &str) -> ProgressBar {
	let bar = ProgressBar::new(len);
	bar.set_style(
		ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} ({elapsed})")
			.unwrap_or_else(|_| ProgressStyle::default_bar())
			.progress_chars("=> "),
	);
	bar.set_message(what.to_string());
	bar
}

fn perbill(x: f64) -> Perbill {
	Perbill::from_parts((x.clamp(0.0, 1.0) * 1e9).round() as u32)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
	match Cli::parse().command {
		Command::Figures {
			n,
			seeds,
			ratios,
			max_steps,
			fig5_steps,
			fig5_ratio,
			w0_noise,
			step_rule,
			fig5_mint,
			target,
			gain,
			tau_max,
			out,
		} => {
			std::fs::create_dir_all(&out)?;
			let params = |ratio: f64, seed: u64| {
				let mut p = Params::new(n, ratio, seed);
				p.w0_noise = w0_noise;
				p.step_rule = step_rule.into();
				if let Some(m) = max_steps {
					p.max_steps = m;
				}
				p
			};
			let mut runs = Vec::new();
			let total = ratios.len() as u64 * seeds;
			let overall = bar(total, "Figure 4 runs");
			for &ratio in &ratios {
				for seed in 1..=seeds {
					runs.push(figure4_run(params(ratio, seed), |_| {}));
					overall.inc(1);
				}
			}
			overall.finish();
			let table = figure4_table(&runs);
			output::figure4_csv(&out.join("figure4_runs.csv"), &runs)?;
			output::figure4_table_csv(&out.join("figure4.csv"), &table)?;
			output::figure4_png(&out.join("figure4.png"), &table, &runs, n)?;

			let controller = Controller { target: perbill(target), gain: perbill(gain), max: tau_max };
			let progress = bar(fig5_steps as u64, "Figure 5 steps");
			let points = figure5(params(fig5_ratio, 1), &controller, fig5_steps, fig5_mint, |s| progress.set_position(s as u64));
			progress.finish();
			output::figure5_csv(&out.join("figure5.csv"), &points)?;
			output::figure5_png(&out.join("figure5.png"), &points, target, fig5_mint)?;

			println!("Figure 4 (n = {n}, {seeds} seeds per ratio):");
			print!("{}", output::figure4_text(&table));
			let last = points.last();
			let band = 0.05 * target;
			let reached = time_to_target(&points, target, band);
			let step = |s: Option<usize>| s.map_or_else(|| "never".to_string(), |s| format!("step {s}"));
			println!(
				"Figure 5 (n = {n}, alpha/tau = {fig5_ratio}, target {target}, gain {gain}, tau max {tau_max}, stakes {}): \
				 crossed the target at {}, within {band:.3} of it from {} on; after {fig5_steps} steps tau = {:.6}, sparsity = {:.4}",
				if fig5_mint { "grow by what is minted" } else { "fixed" },
				step(reached.crossed),
				step(reached.settled),
				last.map_or(0.0, |p| p.tau),
				last.map_or(0.0, |p| p.sparsity)
			);
			println!("wrote {}/figure4.csv, figure4_runs.csv, figure4.png, figure5.csv, figure5.png", out.display());
		},
		Command::Live { url, n, blocks, ratio, seed } => {
			let params = Params::new(n, ratio, seed);
			let report = live::run(&url, params, blocks, 100 * 1_000_000_000_000, 50 * 1_000_000_000_000, |line| {
				eprintln!("{line}")
			})
			.await?;
			println!(
				"live: {} blocks, {} set_weights; chain ranks vs R_ideal: Pearson {:.4}, Spearman {:.4}; mean self-weight {:.4}",
				report.blocks, report.updates, report.pearson, report.spearman, report.self_weight
			);
			println!("ranks (tokens): {:?}", report.ranks);
			println!("R_ideal:        {:?}", report.ideal);
		},
	}
	Ok(())
}
