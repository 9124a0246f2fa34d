//! Weight rows from the client side: a row read from a file of scores, the chain's
//! normalization of it, and the walk toward a target row in steps within the L2 bound ε.
//!
//! The arithmetic is the pallet's own ([`pallet_bittensor::math`]): what [`target_row`] and
//! [`walk_step`] compute is exactly what the chain will store and check.

use pallet_bittensor::math;
pub use pallet_bittensor::math::{within_l2_bound, RowEntries, ONE_PARTS};
use pallet_bittensor_rpc::json::Perbill;
use std::collections::BTreeMap;

/// A row file's entries: `(uid, score)` in file order, each score finite and non-negative.
pub type Scores = Vec<(u32, f64)>;

/// Reads a row of scores from `text`: CSV (`uid,score` lines; an optional `uid,score` header,
/// blank lines and `#` comments are skipped) or JSON (an array of `{"uid": 3, "score": 0.5}`
/// objects or of `[3, 0.5]` pairs, or an object `{"3": 0.5}`). `json` picks the format (a
/// file named `.json`); `None` tells by the first character (`[` or `{` is JSON). A uid
/// given twice, a negative, infinite or missing score, and an empty row are refused, saying
/// where.
pub fn parse_scores(text: &str, json: Option<bool>) -> Result<Scores, String> {
	let json = json.unwrap_or_else(|| matches!(text.trim_start().chars().next(), Some('[' | '{')));
	let scores = if json { parse_json(text)? } else { parse_csv(text)? };
	if scores.is_empty() {
		return Err("the row has no entries".into());
	}
	let mut seen = BTreeMap::new();
	for (i, (uid, score)) in scores.iter().enumerate() {
		if !score.is_finite() || *score < 0.0 {
			return Err(format!("uid {uid}: the score {score} is not a finite number >= 0"));
		}
		if let Some(first) = seen.insert(*uid, i) {
			return Err(format!("uid {uid} is given twice (entries {} and {})", first + 1, i + 1));
		}
	}
	Ok(scores)
}

fn parse_csv(text: &str) -> Result<Scores, String> {
	let mut out = Vec::new();
	for (n, line) in text.lines().enumerate() {
		let line = line.split('#').next().unwrap_or("").trim();
		if line.is_empty() {
			continue;
		}
		let (uid, score) = line
			.split_once(',')
			.ok_or_else(|| format!("line {}: `{line}` is not `uid,score`", n + 1))?;
		let (uid, score) = (uid.trim(), score.trim());
		if out.is_empty() && uid.eq_ignore_ascii_case("uid") {
			continue;
		}
		let uid = uid.parse::<u32>().map_err(|e| format!("line {}: uid `{uid}`: {e}", n + 1))?;
		let score = score.parse::<f64>().map_err(|e| format!("line {}: score `{score}`: {e}", n + 1))?;
		out.push((uid, score));
	}
	Ok(out)
}

fn parse_json(text: &str) -> Result<Scores, String> {
	use serde_json::Value;
	let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
	let uid_of = |v: &Value, at: usize| -> Result<u32, String> {
		v.as_u64()
			.and_then(|u| u32::try_from(u).ok())
			.ok_or_else(|| format!("entry {at}: the uid {v} is not an integer in 0..2^32"))
	};
	let score_of = |v: &Value, at: usize| -> Result<f64, String> {
		v.as_f64().ok_or_else(|| format!("entry {at}: the score {v} is not a number"))
	};
	match value {
		Value::Array(items) => items
			.iter()
			.enumerate()
			.map(|(i, item)| match item {
				Value::Object(o) => Ok((
					uid_of(o.get("uid").unwrap_or(&Value::Null), i + 1)?,
					score_of(o.get("score").unwrap_or(&Value::Null), i + 1)?,
				)),
				Value::Array(pair) if pair.len() == 2 => Ok((uid_of(&pair[0], i + 1)?, score_of(&pair[1], i + 1)?)),
				other => Err(format!("entry {}: {other} is neither {{\"uid\", \"score\"}} nor [uid, score]", i + 1)),
			})
			.collect(),
		Value::Object(map) => map
			.iter()
			.enumerate()
			.map(|(i, (uid, score))| {
				let uid = uid.parse::<u32>().map_err(|e| format!("entry {}: uid `{uid}`: {e}", i + 1))?;
				Ok((uid, score_of(score, i + 1)?))
			})
			.collect(),
		other => Err(format!("a row is a JSON array or object, not {other}")),
	}
}

/// The raw scores to send for `scores` (what `set_weights` takes, `u32` each): whole scores
/// that fit a `u32` are sent as they are; otherwise every score is scaled so that the largest
/// becomes `u32::MAX`, rounded to the nearest integer (a relative precision of 2^-32, finer
/// than the chain's 10^-9). Zero scores are dropped.
pub fn raw_scores(scores: &[(u32, f64)]) -> Vec<(u32, u32)> {
	let whole = scores.iter().all(|(_, s)| s.fract() == 0.0 && *s <= f64::from(u32::MAX));
	let max = scores.iter().map(|(_, s)| *s).fold(0.0, f64::max);
	let scale = if whole || max == 0.0 { 1.0 } else { f64::from(u32::MAX) / max };
	scores
		.iter()
		.map(|(uid, s)| (*uid, (s * scale).round().min(f64::from(u32::MAX)) as u32))
		.filter(|(_, s)| *s > 0)
		.collect()
}

/// The row the chain stores for `scores`: [`raw_scores`] normalized as the pallet does
/// (parts of [`ONE_PARTS`], sorted by uid). An error when every score is zero.
pub fn target_row(scores: &[(u32, f64)]) -> Result<RowEntries, String> {
	let raw = raw_scores(scores);
	if raw.is_empty() {
		return Err("every score is zero: the row would have no weight".into());
	}
	math::normalize(&raw).map_err(|e| format!("the row cannot be normalized: {e:?}"))
}

/// The L2 distance between two rows, as a fraction (1.0 is one whole row's weight).
pub fn distance(a: &[(u32, u32)], b: &[(u32, u32)]) -> f64 {
	(math::l2_distance_sq(a, b) as f64).sqrt() / f64::from(ONE_PARTS)
}

/// Why a walk cannot take its next step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkError {
	/// ε is zero: every row is frozen.
	Frozen,
	/// ε is smaller than the rounding of a row to parts: no row nearer the target passes.
	NoProgress,
	/// The step's row names more uids than a row may hold (`MaxWeightsPerRow`): the union of
	/// the current and the target rows is too large; walk first toward a row with fewer.
	TooManyEntries(usize),
}

impl std::fmt::Display for WalkError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Self::Frozen => write!(f, "epsilon is 0: the chain freezes every row"),
			Self::NoProgress => write!(f, "epsilon is too small for any step toward the target"),
			Self::TooManyEntries(n) =>
				write!(f, "a step would hold {n} entries, more than a row may; the current and target rows name too many uids together"),
		}
	}
}

/// The next row of a walk from `current` toward `target` (both rows as the chain stores them):
/// `None` when `current` is `target`. Otherwise the row to send: `target` itself when it is
/// within `epsilon` of `current`, else the point of the segment from `current` to `target` at
/// distance `epsilon`, rounded to parts and normalized, shrunk by 0.1% at a time until the
/// pallet's own check ([`math::within_l2_bound`]) passes. At most `max_entries` entries.
pub fn walk_step(
	current: &[(u32, u32)],
	target: &[(u32, u32)],
	epsilon: Perbill,
	max_entries: usize,
) -> Option<Result<RowEntries, WalkError>> {
	if current == target {
		return None;
	}
	if math::within_l2_bound(current, target, epsilon) {
		return Some(Ok(target.to_vec()));
	}
	if epsilon.deconstruct() == 0 {
		return Some(Err(WalkError::Frozen));
	}
	let mut union: BTreeMap<u32, (f64, f64)> = BTreeMap::new();
	for (uid, p) in current {
		union.entry(*uid).or_default().0 = f64::from(*p);
	}
	for (uid, p) in target {
		union.entry(*uid).or_default().1 = f64::from(*p);
	}
	let d = distance(current, target);
	let mut fraction = f64::from(epsilon.deconstruct()) / f64::from(ONE_PARTS) / d;
	for _ in 0..2_000 {
		let raw: Vec<(u32, u32)> = union
			.iter()
			.map(|(uid, (c, t))| (*uid, (c + fraction * (t - c)).round().max(0.0) as u32))
			.filter(|(_, p)| *p > 0)
			.collect();
		if let Ok(row) = math::normalize(&raw) {
			if row != current && math::within_l2_bound(current, &row, epsilon) {
				if row.len() > max_entries {
					return Some(Err(WalkError::TooManyEntries(row.len())));
				}
				return Some(Ok(row));
			}
		}
		fraction *= 0.999;
	}
	Some(Err(WalkError::NoProgress))
}

#[cfg(test)]
mod tests {
	use super::*;

	const HALF: u32 = ONE_PARTS / 2;

	#[test]
	fn parse_scores_reads_csv_and_json() {
		let csv = "uid,score\n# a comment\n0, 1.5\n\n3,0.5 # trailing\n";
		assert_eq!(parse_scores(csv, None).unwrap(), vec![(0, 1.5), (3, 0.5)]);
		assert_eq!(parse_scores(r#"[{"uid": 2, "score": 3}, [5, 0.25]]"#, None).unwrap(), vec![(2, 3.0), (5, 0.25)]);
		assert_eq!(parse_scores(r#"{"7": 1, "1": 2}"#, None).unwrap(), vec![(1, 2.0), (7, 1.0)]);
	}

	#[test]
	fn parse_scores_refuses_bad_rows_saying_where() {
		assert_eq!(parse_scores("0,1\n2,1\n0,3\n", None).unwrap_err(), "uid 0 is given twice (entries 1 and 3)");
		assert!(parse_scores("0,1\nx,2\n", None).unwrap_err().starts_with("line 2: uid `x`"));
		assert!(parse_scores("0,-1\n", None).unwrap_err().contains("not a finite number >= 0"));
		assert!(parse_scores("0;1\n", None).unwrap_err().contains("is not `uid,score`"));
		assert_eq!(parse_scores("# nothing\n", None).unwrap_err(), "the row has no entries");
		assert!(parse_scores(r#"[{"uid": -1, "score": 1}]"#, None).unwrap_err().contains("not an integer"));
		assert!(parse_scores("[1, 2]", Some(true)).unwrap_err().contains("entry 1"));
	}

	#[test]
	fn target_row_normalizes_as_the_chain_does() {
		// Whole scores go as they are: 1:3 is the chain's 0.25/0.75.
		assert_eq!(target_row(&[(0, 1.0), (4, 3.0)]).unwrap(), vec![(0, 250_000_000), (4, 750_000_000)]);
		// Fractions are scaled to u32::MAX: 1/3 each, the one missing part to the lowest uid.
		assert_eq!(
			target_row(&[(2, 0.1), (1, 0.1), (3, 0.1)]).unwrap(),
			vec![(1, 333_333_334), (2, 333_333_333), (3, 333_333_333)]
		);
		assert!(target_row(&[(0, 0.0)]).is_err());
	}

	#[test]
	fn walk_step_moves_within_epsilon_until_there() {
		// From {0: .5, 1: .5} to {2: .5, 3: .5}: a distance of exactly 1.
		let mut row = vec![(0, HALF), (1, HALF)];
		let target = vec![(2, HALF), (3, HALF)];
		assert_eq!(distance(&row, &target), 1.0);
		let eps = Perbill::from_percent(10);
		let mut steps = 0;
		while let Some(next) = walk_step(&row, &target, eps, 256) {
			let next = next.unwrap();
			assert!(math::within_l2_bound(&row, &next, eps), "step {steps} passes the bound");
			assert!(distance(&next, &target) < distance(&row, &target), "step {steps} gets nearer");
			assert_eq!(next.iter().map(|(_, p)| u64::from(*p)).sum::<u64>(), u64::from(ONE_PARTS));
			row = next;
			steps += 1;
			assert!(steps <= 20, "the walk ends");
		}
		assert_eq!(row, target);
		// 1.0 / 0.1 is ten steps at the bound; a step shrunk for rounding leaves a last sliver.
		assert!((10..=11).contains(&steps), "{steps} steps");
	}

	#[test]
	fn walk_step_stops_where_it_cannot_go() {
		let row = vec![(0, ONE_PARTS)];
		let target = vec![(1, ONE_PARTS)];
		assert_eq!(walk_step(&row, &row, Perbill::zero(), 256), None);
		assert_eq!(walk_step(&row, &target, Perbill::zero(), 256), Some(Err(WalkError::Frozen)));
		assert_eq!(walk_step(&row, &target, Perbill::from_parts(1), 256), Some(Err(WalkError::NoProgress)));
		assert_eq!(walk_step(&row, &target, Perbill::from_percent(10), 1), Some(Err(WalkError::TooManyEntries(2))));
		// Within epsilon (a distance of 0.707 at ε = 0.8): the target in one step.
		let near = vec![(0, HALF), (1, HALF)];
		assert_eq!(walk_step(&row, &near, Perbill::from_percent(80), 256), Some(Ok(near.clone())));
	}
}
