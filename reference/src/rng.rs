//! The one deterministic generator of the tests and the simulator (xorshift64*), so that a run
//! is the same for a seed and a failure can be replayed.

/// xorshift64* (Marsaglia's xorshift with Vigna's multiplicative output).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
	/// A generator for `seed` (any value, 0 included).
	pub fn new(seed: u64) -> Self {
		Self(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
	}

	/// The next 64 random bits.
	pub fn next_u64(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
	}

	/// Uniform in [0, 1), with 53 random bits.
	pub fn uniform(&mut self) -> f64 {
		(self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
	}

	/// Uniform in `0..n` (the modulo bias is below `n / 2^64`); 0 when `n` is 0.
	pub fn below(&mut self, n: u64) -> u64 {
		self.next_u64() % n.max(1)
	}

	/// Standard normal (Box-Muller).
	pub fn normal(&mut self) -> f64 {
		let u = self.uniform().max(1e-300);
		let v = self.uniform();
		(-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
	}
}

#[cfg(test)]
mod tests {
	use super::Rng;

	#[test]
	fn a_seed_gives_the_same_draws_and_draws_stay_in_range() {
		let (mut a, mut b) = (Rng::new(7), Rng::new(7));
		for _ in 0..1000 {
			let x = a.uniform();
			assert_eq!(x, b.uniform());
			assert!((0.0..1.0).contains(&x));
			assert!(a.below(10) < 10);
			b.below(10);
		}
		assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
	}

	#[test]
	fn uniform_draws_have_mean_one_half() {
		let mut r = Rng::new(2026);
		let mean = (0..100_000).map(|_| r.uniform()).sum::<f64>() / 100_000.0;
		assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
	}
}
