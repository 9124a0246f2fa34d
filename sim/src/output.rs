//! CSV files, PNG plots (plotters) and the printed table.

use std::{fs, io::Write, path::Path};

use plotters::prelude::*;

use crate::{Figure4Row, Figure4Run, Figure5Point};

/// Where the plots find a font: DejaVu Sans (Debian `fonts-dejavu-core`, installed by
/// `scripts/setup.sh`), or `$BITTENSOR_SIM_FONT`.
const FONT: &str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/// Registers the font the plots use, once. Plots need it for their labels.
fn register_font() -> Result<(), String> {
	static DONE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
	DONE.get_or_init(|| {
		let path = std::env::var("BITTENSOR_SIM_FONT").unwrap_or_else(|_| FONT.to_string());
		let bytes = fs::read(&path).map_err(|e| format!("font {path}: {e} (apt install fonts-dejavu-core)"))?;
		let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
		plotters::style::register_font("sans-serif", FontStyle::Normal, bytes)
			.map_err(|_| format!("font {path}: not a usable TrueType font"))
	})
	.clone()
}

/// Writes every run of Figure 4 as CSV.
pub fn figure4_csv(path: &Path, runs: &[Figure4Run]) -> std::io::Result<()> {
	let mut f = fs::File::create(path)?;
	writeln!(f, "ratio,seed,pearson,spearman,self_weight,steps,converged")?;
	for r in runs {
		writeln!(f, "{},{},{:.6},{:.6},{:.6},{},{}", r.ratio, r.seed, r.pearson, r.spearman, r.self_weight, r.steps, r.converged)?;
	}
	Ok(())
}

/// Writes the averaged Figure 4 table as CSV.
pub fn figure4_table_csv(path: &Path, rows: &[Figure4Row]) -> std::io::Result<()> {
	let mut f = fs::File::create(path)?;
	writeln!(f, "ratio,pearson,spearman,self_weight,runs,converged")?;
	for r in rows {
		writeln!(f, "{},{:.6},{:.6},{:.6},{},{}", r.ratio, r.pearson, r.spearman, r.self_weight, r.runs, r.converged)?;
	}
	Ok(())
}

/// Writes Figure 5's series as CSV.
pub fn figure5_csv(path: &Path, points: &[Figure5Point]) -> std::io::Result<()> {
	let mut f = fs::File::create(path)?;
	writeln!(f, "step,tau,sparsity,minted")?;
	for p in points {
		writeln!(f, "{},{:.12},{:.9},{:.12}", p.step, p.tau, p.sparsity, p.minted)?;
	}
	Ok(())
}

/// The averaged Figure 4 table, as printed.
pub fn figure4_text(rows: &[Figure4Row]) -> String {
	let mut s = String::from("alpha/tau | Pearson(R*, R_ideal) | Spearman | mean self-weight | runs (converged)\n");
	for r in rows {
		s.push_str(&format!(
			"{:>9} | {:>20.4} | {:>8.4} | {:>16.4} | {} ({})\n",
			r.ratio, r.pearson, r.spearman, r.self_weight, r.runs, r.converged
		));
	}
	s
}

type PlotResult = Result<(), Box<dyn std::error::Error>>;

/// Figure 4: correlations and self-weight against `alpha / tau`.
pub fn figure4_png(path: &Path, rows: &[Figure4Row], n: usize) -> PlotResult {
	register_font()?;
	let root = BitMapBackend::new(path, (900, 600)).into_drawing_area();
	root.fill(&WHITE)?;
	let max_ratio = rows.iter().map(|r| r.ratio).fold(1.0, f64::max);
	let mut chart = ChartBuilder::on(&root)
		.caption(format!("Figure 4: equilibrium ranking vs ideal (n = {n})"), ("sans-serif", 24))
		.margin(20)
		.x_label_area_size(45)
		.y_label_area_size(55)
		.build_cartesian_2d(0f64..max_ratio * 1.05, -0.2f64..1.05)?;
	chart.configure_mesh().x_desc("alpha / tau").y_desc("correlation / self-weight").draw()?;
	let series: [(&str, fn(&Figure4Row) -> f64, RGBColor); 3] = [
		("Pearson", |r| r.pearson, BLUE),
		("Spearman", |r| r.spearman, RED),
		("mean self-weight", |r| r.self_weight, GREEN),
	];
	for (name, f, color) in series {
		let points: Vec<(f64, f64)> = rows.iter().map(|r| (r.ratio, f(r))).collect();
		chart
			.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
			.label(name)
			.legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color));
		chart.draw_series(points.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
	}
	chart.configure_series_labels().background_style(WHITE).border_style(BLACK).draw()?;
	root.present()?;
	Ok(())
}

/// Figure 5: tau and sparsity over time.
pub fn figure5_png(path: &Path, points: &[Figure5Point], target: f64) -> PlotResult {
	register_font()?;
	let root = BitMapBackend::new(path, (900, 600)).into_drawing_area();
	root.fill(&WHITE)?;
	let (top, bottom) = root.split_vertically(300);
	let steps = points.len().max(1) as f64;
	let tau_max = points.iter().map(|p| p.tau).fold(1e-12, f64::max);
	let mut chart = ChartBuilder::on(&top)
		.caption("Figure 5: adaptive tau from 0", ("sans-serif", 24))
		.margin(15)
		.x_label_area_size(30)
		.y_label_area_size(60)
		.build_cartesian_2d(0f64..steps, 0f64..tau_max * 1.1)?;
	chart.configure_mesh().y_desc("tau (tokens)").draw()?;
	chart.draw_series(LineSeries::new(points.iter().map(|p| (p.step as f64, p.tau)), BLUE.stroke_width(2)))?;
	let mut chart = ChartBuilder::on(&bottom)
		.margin(15)
		.x_label_area_size(40)
		.y_label_area_size(60)
		.build_cartesian_2d(0f64..steps, 0f64..1.0)?;
	chart.configure_mesh().x_desc("step (block)").y_desc("sparsity").draw()?;
	chart
		.draw_series(LineSeries::new(points.iter().map(|p| (p.step as f64, p.sparsity)), RED.stroke_width(2)))?
		.label("sparsity (mean self-weight)")
		.legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
	chart
		.draw_series(LineSeries::new(vec![(0.0, target), (steps, target)], BLACK.stroke_width(1)))?
		.label("target")
		.legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
	chart.configure_series_labels().background_style(WHITE).border_style(BLACK).draw()?;
	root.present()?;
	Ok(())
}
