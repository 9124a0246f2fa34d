//! The statistics of the figures: Pearson and Spearman correlations.

/// Pearson correlation; 0 when either side is constant.
pub fn pearson(a: &[f64], b: &[f64]) -> f64 {
	let n = a.len() as f64;
	let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
	let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
	let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
	let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
	if va <= 1e-24 || vb <= 1e-24 {
		return 0.0;
	}
	cov / (va * vb).sqrt()
}

fn ranks_of(v: &[f64]) -> Vec<f64> {
	let mut idx: Vec<usize> = (0..v.len()).collect();
	idx.sort_by(|&a, &b| v[a].partial_cmp(&v[b]).unwrap_or(std::cmp::Ordering::Equal));
	let mut out = vec![0.0; v.len()];
	let mut k = 0;
	while k < idx.len() {
		let mut end = k;
		while end + 1 < idx.len() && v[idx[end + 1]] == v[idx[k]] {
			end += 1;
		}
		let average = (k + end) as f64 / 2.0;
		for &i in &idx[k..=end] {
			out[i] = average;
		}
		k = end + 1;
	}
	out
}

/// Spearman correlation (Pearson on ranks, ties averaged).
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
	pearson(&ranks_of(a), &ranks_of(b))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn correlations_of_known_series() {
		assert!((pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 1.0).abs() < 1e-12);
		assert!((pearson(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
		assert!((spearman(&[1.0, 5.0, 3.0], &[10.0, 30.0, 20.0]) - 1.0).abs() < 1e-12);
		// Ties share their average rank.
		assert_eq!(ranks_of(&[2.0, 1.0, 2.0]), vec![1.5, 0.0, 1.5]);
		assert_eq!(pearson(&[1.0, 1.0], &[1.0, 2.0]), 0.0);
	}
}
