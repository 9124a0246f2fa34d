//! The floor of the block step, measured natively on the matrix of the runtime's limits
//! (4,096 neurons, 256 entries a row, 1,048,576 entries):
//!
//! - `kernels`: the block step's kernels, `math::rank` (eq. 5) then `math::inflation` (eq. 6),
//!   in fixed point, on rows already mapped to columns;
//! - `csr_int`: a plain integer CSR sparse mat-vec `R = (1/n) W^T s` (stakes times `Perbill`
//!   parts, summed in `u128`, one division a column), the physical floor;
//!
//! and, after both, the benchmarked wasm block step's compute part: the ref time of
//! `weights.rs`' `block_step` at these sizes with database weights of zero (a runtime below
//! whose `DbWeight` is `()`), which is what is left of the step once its reads and writes are
//! taken out. The ratios are printed at the end.
//!
//! Run: `cargo bench -p pallet-bittensor --bench kernels`.
//!
//! Everything here is integer arithmetic, as in the runtime (`math`); times are whole
//! nanoseconds and the ratios are printed to a tenth.

use criterion::{black_box, criterion_group, Criterion};
use pallet_bittensor::math;
use std::time::Instant;

const N: usize = 4096;
const K: usize = 256;
const STAKE: u128 = 1_000_000_000_000_000;
const TAU: u128 = 1_000_000_000_000;

/// Row `i`: `K` uids spread over the columns from `i`, normalized parts (as the scale preset).
fn rows() -> Vec<Vec<(usize, u32)>> {
	(0..N)
		.map(|i| {
			let scores: Vec<(u32, u32)> = (0..K)
				.map(|m| (((i + m * (N / K)) % N) as u32, 1 + ((i + m) % 7) as u32))
				.collect::<std::collections::BTreeMap<_, _>>()
				.into_iter()
				.collect();
			// K distinct uids (a map's keys) with scores of 1 to 7: never empty, duplicate or all
			// zero, the three cases `normalize` refuses; should it refuse, the row is the self-row.
			math::normalize(&scores)
				.unwrap_or_else(|_| math::self_row(i as u32))
				.into_iter()
				.map(|(j, p)| (j as usize, p))
				.collect()
		})
		.collect()
}

fn stakes() -> Vec<u128> {
	(0..N).map(|i| STAKE + (i as u128 % 1000) * 1_000_000_000_000).collect()
}

fn kernels(stakes: &[u128], rows: &[Vec<(usize, u32)>]) -> Vec<u128> {
	let ranks = math::rank(N, N as u32, stakes.iter().copied().zip(rows.iter().map(|r| r.as_slice())));
	math::inflation(&ranks, TAU)
}

/// Compressed sparse rows of `Perbill` parts.
struct Csr {
	starts: Vec<usize>,
	cols: Vec<u32>,
	parts: Vec<u32>,
}

fn csr(rows: &[Vec<(usize, u32)>]) -> Csr {
	let mut c = Csr { starts: vec![0], cols: Vec::new(), parts: Vec::new() };
	for row in rows {
		for &(j, p) in row {
			c.cols.push(j as u32);
			c.parts.push(p);
		}
		c.starts.push(c.cols.len());
	}
	c
}

/// `R_j = floor(sum_i s_i p_ij / (n 10^9))`: no floor per term, no normalization, no inflation.
fn csr_rank(m: &Csr, s: &[u128], out: &mut [u128]) {
	out.iter_mut().for_each(|r| *r = 0);
	for i in 0..N {
		let si = s[i];
		for e in m.starts[i]..m.starts[i + 1] {
			out[m.cols[e] as usize] += si * u128::from(m.parts[e]);
		}
	}
	let scale = N as u128 * 1_000_000_000;
	out.iter_mut().for_each(|r| *r /= scale);
}

fn bench(c: &mut Criterion) {
	let rows = rows();
	let stakes = stakes();
	let m = csr(&rows);
	let mut out = vec![0u128; N];
	let mut group = c.benchmark_group("block_step_4096x256");
	group.sample_size(20);
	group.bench_function("kernels", |b| b.iter(|| black_box(kernels(black_box(&stakes), &rows))));
	group.bench_function("csr_int", |b| b.iter(|| csr_rank(black_box(&m), black_box(&stakes), &mut out)));
	group.finish();
}

/// The wasm block step's ref time at `N` x `K` with every database weight zero.
mod zero_db {
	use frame_support::derive_impl;

	type Block = frame_system::mocking::MockBlock<Runtime>;

	frame_support::construct_runtime!(
		pub enum Runtime {
			System: frame_system,
		}
	);

	#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
	impl frame_system::Config for Runtime {
		type Block = Block;
		type DbWeight = ();
	}

	/// `step_weight(N, N*K)` of `weights.rs`, database weights zero, in picoseconds.
	pub fn compute_ps() -> u64 {
		use pallet_bittensor::weights::SubstrateWeight;
		let (n, e) = (super::N as u32, (super::N * super::K) as u32);
		pallet_bittensor::step_weight::<SubstrateWeight<Runtime>>(n, e).ref_time()
	}
}

/// Median wall time of `f`, in nanoseconds, over `runs` runs.
fn median_ns(runs: usize, mut f: impl FnMut()) -> u128 {
	let mut t: Vec<u128> = (0..runs)
		.map(|_| {
			let s = Instant::now();
			f();
			s.elapsed().as_nanos()
		})
		.collect();
	t.sort_unstable();
	t[runs / 2]
}

/// Nanoseconds as milliseconds with two decimals.
fn ms(ns: u128) -> String {
	format!("{}.{:02}", ns / 1_000_000, ns / 10_000 % 100)
}

/// `a / b` to a tenth.
fn ratio(a: u128, b: u128) -> String {
	let tenths = a * 10 / b.max(1);
	format!("{}.{}", tenths / 10, tenths % 10)
}

fn ratios() {
	let rows = rows();
	let stakes = stakes();
	let m = csr(&rows);
	let mut out = vec![0u128; N];
	// The plain mat-vec and the fixed-point kernels agree, to the floors of eq. 5: one per term,
	// K terms a column.
	let ranks = math::rank(N, N as u32, stakes.iter().copied().zip(rows.iter().map(|r| r.as_slice())));
	csr_rank(&m, &stakes, &mut out);
	for j in 0..N {
		assert!(ranks[j].abs_diff(out[j]) <= K as u128 + 1, "column {j}: {} vs {}", ranks[j], out[j]);
	}
	let kernels_ns = median_ns(21, || {
		black_box(kernels(black_box(&stakes), &rows));
	});
	let csr_ns = median_ns(21, || csr_rank(black_box(&m), black_box(&stakes), &mut out));
	let wasm_ns = u128::from(zero_db::compute_ps()) / 1000;
	println!();
	println!("block step at {N} x {K} ({} entries), medians of 21 runs:", N * K);
	println!("  integer CSR mat-vec (floor):    {:>9} ms", ms(csr_ns));
	println!("  math::rank + math::inflation:   {:>9} ms  ({}x the floor)", ms(kernels_ns), ratio(kernels_ns, csr_ns));
	println!(
		"  wasm block_step compute (bench): {:>8} ms  ({}x the floor, {}x the native kernels)",
		ms(wasm_ns),
		ratio(wasm_ns, csr_ns),
		ratio(wasm_ns, kernels_ns)
	);
}

criterion_group!(benches, bench);

fn main() {
	benches();
	Criterion::default().configure_from_args().final_summary();
	ratios();
}
