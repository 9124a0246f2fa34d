//! CSV files, PNG plots (plotters) and the printed table.

use std::{fs, io::Write, path::Path};

use plotters::prelude::*;

use crate::figures::{Figure4Row, Figure4Run, Figure5Point};

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
	writeln!(f, "ratio,seed,pearson,spearman,pearson_w0,self_weight,steps,converged,residual")?;
	for r in runs {
		writeln!(
			f,
			"{},{},{:.6},{:.6},{:.6},{:.6},{},{},{:.3e}",
			r.ratio, r.seed, r.pearson, r.spearman, r.pearson_w0, r.self_weight, r.steps, r.converged, r.residual
		)?;
	}
	Ok(())
}

/// Writes the averaged Figure 4 table as CSV.
pub fn figure4_table_csv(path: &Path, rows: &[Figure4Row]) -> std::io::Result<()> {
	let mut f = fs::File::create(path)?;
	writeln!(f, "ratio,pearson,spearman,pearson_w0,self_weight,runs,converged")?;
	for r in rows {
		writeln!(
			f,
			"{},{:.6},{:.6},{:.6},{:.6},{},{}",
			r.ratio, r.pearson, r.spearman, r.pearson_w0, r.self_weight, r.runs, r.converged
		)?;
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
	let mut s = String::from(
		"alpha/tau | Pearson(R*, R_ideal) | Spearman | Pearson at W0 | mean self-weight | runs (converged)\n",
	);
	for r in rows {
		s.push_str(&format!(
			"{:>9} | {:>20.4} | {:>8.4} | {:>13.4} | {:>16.4} | {} ({})\n",
			r.ratio, r.pearson, r.spearman, r.pearson_w0, r.self_weight, r.runs, r.converged
		));
	}
	s
}

type PlotResult = Result<(), Box<dyn std::error::Error>>;

/// The plots' size and the width of the legend panel at their right, pixels: the legend has
/// its own panel, beside the axes, so that it never covers the data.
const SIZE: (u32, u32) = (1000, 600);
const LEGEND_WIDTH: u32 = 230;

/// One entry of a legend: a line sample (or a dot) and its label.
struct Entry<'a> {
	label: &'a str,
	color: RGBColor,
	dot: bool,
}

/// Draws `entries` top-down in `area` (a panel of its own), from `top` pixels down.
fn legend<DB: DrawingBackend>(area: &DrawingArea<DB, plotters::coord::Shift>, top: i32, entries: &[Entry<'_>]) -> PlotResult
where
	DB::ErrorType: 'static,
{
	for (k, e) in entries.iter().enumerate() {
		let y = top + 26 * k as i32;
		if e.dot {
			area.draw(&Circle::new((22, y), 3, e.color.mix(0.5).filled()))?;
		} else {
			area.draw(&PathElement::new(vec![(10, y), (34, y)], e.color.stroke_width(2)))?;
		}
		area.draw(&Text::new(e.label.to_string(), (42, y - 8), ("sans-serif", 16).into_font()))?;
	}
	Ok(())
}

/// Figure 4: the mean correlations and self-weight against `alpha / tau` (lines), and every
/// run's Pearson correlation (dots).
pub fn figure4_png(path: &Path, rows: &[Figure4Row], runs: &[Figure4Run], n: usize) -> PlotResult {
	register_font()?;
	let root = BitMapBackend::new(path, SIZE).into_drawing_area();
	root.fill(&WHITE)?;
	let (plot, side) = root.split_horizontally(SIZE.0 - LEGEND_WIDTH);
	let max_ratio = rows.iter().map(|r| r.ratio).fold(1.0, f64::max);
	let low = runs.iter().map(|r| r.pearson).chain(rows.iter().map(|r| r.spearman)).fold(0.0, f64::min).min(0.0) - 0.05;
	let mut chart = ChartBuilder::on(&plot)
		.caption(format!("Figure 4: equilibrium ranking vs ideal (n = {n})"), ("sans-serif", 24))
		.margin(20)
		.x_label_area_size(50)
		.y_label_area_size(70)
		.build_cartesian_2d(0f64..max_ratio * 1.05, low..1.05)?;
	chart
		.configure_mesh()
		.x_desc("alpha / tau (loss weight per token of inflation, dimensionless)")
		.y_desc("correlation with R_ideal; self-weight (fraction)")
		.draw()?;
	chart.draw_series(runs.iter().map(|r| Circle::new((r.ratio, r.pearson), 3, BLUE.mix(0.35).filled())))?;
	let series: [(&str, fn(&Figure4Row) -> f64, RGBColor); 3] = [
		("mean Pearson", |r| r.pearson, BLUE),
		("mean Spearman", |r| r.spearman, RED),
		("mean self-weight", |r| r.self_weight, GREEN),
	];
	for (_, f, color) in series {
		let points: Vec<(f64, f64)> = rows.iter().map(|r| (r.ratio, f(r))).collect();
		chart.draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?;
		chart.draw_series(points.into_iter().map(|p| Circle::new(p, 4, color.filled())))?;
	}
	let mut entries: Vec<Entry<'_>> = series.iter().map(|(label, _, color)| Entry { label, color: *color, dot: false }).collect();
	entries.push(Entry { label: "Pearson, each run", color: BLUE, dot: true });
	legend(&side, 80, &entries)?;
	root.present()?;
	Ok(())
}

/// Figure 5: tau (top) and the sparsity with its target (bottom) over the steps.
pub fn figure5_png(path: &Path, points: &[Figure5Point], target: f64, minted_into_stakes: bool) -> PlotResult {
	register_font()?;
	let root = BitMapBackend::new(path, SIZE).into_drawing_area();
	root.fill(&WHITE)?;
	let (plot, side) = root.split_horizontally(SIZE.0 - LEGEND_WIDTH);
	let (top, bottom) = plot.split_vertically(SIZE.1 / 2);
	let steps = points.len().max(1) as f64;
	let tau_max = points.iter().map(|p| p.tau).fold(1e-12, f64::max);
	let stakes = if minted_into_stakes { "stakes grow by what is minted" } else { "stakes fixed" };
	let mut chart = ChartBuilder::on(&top)
		.caption(format!("Figure 5: adaptive tau from 0 ({stakes})"), ("sans-serif", 22))
		.margin(15)
		.x_label_area_size(35)
		.y_label_area_size(70)
		.build_cartesian_2d(0f64..steps, 0f64..tau_max * 1.1)?;
	chart.configure_mesh().x_desc("step (blocks)").y_desc("tau (tokens per block)").draw()?;
	chart.draw_series(LineSeries::new(points.iter().map(|p| (p.step as f64, p.tau)), BLUE.stroke_width(2)))?;
	let mut chart = ChartBuilder::on(&bottom)
		.margin(15)
		.x_label_area_size(45)
		.y_label_area_size(70)
		.build_cartesian_2d(0f64..steps, 0f64..1.0)?;
	chart.configure_mesh().x_desc("step (blocks)").y_desc("sparsity (fraction)").draw()?;
	chart.draw_series(LineSeries::new(points.iter().map(|p| (p.step as f64, p.sparsity)), RED.stroke_width(2)))?;
	chart.draw_series(LineSeries::new(vec![(0.0, target), (steps, target)], BLACK.stroke_width(1)))?;
	legend(
		&side,
		80,
		&[
			Entry { label: "tau", color: BLUE, dot: false },
			Entry { label: "sparsity (mean self-", color: RED, dot: false },
			Entry { label: "  weight)", color: WHITE, dot: false },
			Entry { label: "target sparsity", color: BLACK, dot: false },
		],
	)?;
	root.present()?;
	Ok(())
}
