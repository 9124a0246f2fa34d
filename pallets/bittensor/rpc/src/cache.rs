//! The node's cache of `bittensor_*` answers by block.
//!
//! An answer at a given block hash never changes, so the JSON of the large views (the
//! metagraph, its lite form, every row, the ranking) is made once per block and view and kept,
//! bounded both in entries and in bytes: the least recently used answers go first. Clients
//! polling the same block, and every subscriber of a feed, then cost one runtime call and one
//! serialization between them.

use std::{
	collections::{HashMap, VecDeque},
	hash::Hash,
	sync::{Arc, Mutex, MutexGuard},
};

use serde_json::value::RawValue;

/// How much the cache may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheLimits {
	/// The most answers kept.
	pub entries: usize,
	/// The most bytes of JSON kept; an answer larger than this is served but not kept.
	pub bytes: usize,
}

impl Default for CacheLimits {
	/// 64 answers, 256 MiB: the four large views of the last 16 blocks; the largest, the whole
	/// metagraph at 4,096 neurons and 256 entries a row, is about 22 MB.
	fn default() -> Self {
		Self { entries: 64, bytes: 256 << 20 }
	}
}

/// Counters of the cache, for the node's logs and for tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
	/// Answers found.
	pub hits: u64,
	/// Answers computed.
	pub misses: u64,
	/// Answers held now.
	pub entries: usize,
	/// Bytes held now.
	pub bytes: usize,
}

struct Inner<K> {
	map: HashMap<K, Arc<RawValue>>,
	/// Keys from the least to the most recently used.
	order: VecDeque<K>,
	stats: CacheStats,
}

/// A bounded, least-recently-used map from `K` (block and view) to answers as JSON.
pub struct Cache<K> {
	limits: CacheLimits,
	inner: Mutex<Inner<K>>,
	/// A lock per answer being computed, so that callers missing the same answer at once wait
	/// for the first one's instead of computing it again, while other answers go on.
	computing: Mutex<HashMap<K, Arc<Mutex<()>>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
	// A panic while the lock was held leaves the map consistent (every change is one step).
	m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<K: Hash + Eq + Clone> Cache<K> {
	/// An empty cache within `limits`.
	pub fn new(limits: CacheLimits) -> Self {
		let inner = Inner { map: HashMap::new(), order: VecDeque::new(), stats: CacheStats::default() };
		Self { limits, inner: Mutex::new(inner), computing: Mutex::new(HashMap::new()) }
	}

	fn get(&self, key: &K) -> Option<Arc<RawValue>> {
		let mut inner = lock(&self.inner);
		let value = inner.map.get(key).cloned()?;
		if let Some(pos) = inner.order.iter().position(|k| k == key) {
			inner.order.remove(pos);
		}
		inner.order.push_back(key.clone());
		inner.stats.hits += 1;
		Some(value)
	}

	fn insert(&self, key: K, value: Arc<RawValue>) {
		let size = value.get().len();
		let mut inner = lock(&self.inner);
		inner.stats.misses += 1;
		if size > self.limits.bytes || self.limits.entries == 0 || inner.map.contains_key(&key) {
			return;
		}
		while inner.map.len() >= self.limits.entries ||
			inner.stats.bytes.saturating_add(size) > self.limits.bytes
		{
			let Some(oldest) = inner.order.pop_front() else { break };
			if let Some(old) = inner.map.remove(&oldest) {
				inner.stats.bytes = inner.stats.bytes.saturating_sub(old.get().len());
			}
		}
		inner.stats.bytes = inner.stats.bytes.saturating_add(size);
		inner.order.push_back(key.clone());
		inner.map.insert(key, value);
		inner.stats.entries = inner.map.len();
	}

	/// The answer for `key`: from the cache, or made by `compute` and kept.
	pub fn get_or_compute<E>(
		&self,
		key: K,
		compute: impl FnOnce() -> Result<Arc<RawValue>, E>,
	) -> Result<Arc<RawValue>, E> {
		if let Some(hit) = self.get(&key) {
			return Ok(hit);
		}
		let this_key = lock(&self.computing).entry(key.clone()).or_default().clone();
		let result = {
			let _computing = lock(&this_key);
			match self.get(&key) {
				Some(hit) => Ok(hit),
				None => compute().inspect(|value| self.insert(key.clone(), value.clone())),
			}
		};
		// The last one out removes the key's lock (the map holds one reference, we another).
		let mut computing = lock(&self.computing);
		if computing.get(&key).is_some_and(|l| Arc::strong_count(l) <= 2) {
			computing.remove(&key);
		}
		result
	}

	/// The counters now.
	pub fn stats(&self) -> CacheStats {
		let inner = lock(&self.inner);
		CacheStats { entries: inner.map.len(), ..inner.stats }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn json(len: usize) -> Arc<RawValue> {
		serde_json::value::to_raw_value(&"x".repeat(len - 2)).unwrap().into()
	}

	fn fill(cache: &Cache<u32>, key: u32, len: usize) -> bool {
		let mut computed = false;
		cache
			.get_or_compute(key, || {
				computed = true;
				Ok::<_, ()>(json(len))
			})
			.unwrap();
		computed
	}

	#[test]
	fn answers_are_computed_once_and_the_oldest_go_first() {
		let cache = Cache::new(CacheLimits { entries: 2, bytes: 1000 });
		assert!(fill(&cache, 1, 100));
		assert!(!fill(&cache, 1, 100), "the second read is a hit");
		assert!(fill(&cache, 2, 100));
		assert!(!fill(&cache, 1, 100), "1 is now the most recent");
		assert!(fill(&cache, 3, 100), "over two entries: 2, the least recent, goes");
		assert!(!fill(&cache, 1, 100));
		assert!(fill(&cache, 2, 100));
		assert_eq!(cache.stats(), CacheStats { hits: 3, misses: 4, entries: 2, bytes: 200 });
	}

	#[test]
	fn the_byte_bound_holds() {
		let cache = Cache::new(CacheLimits { entries: 10, bytes: 250 });
		fill(&cache, 1, 100);
		fill(&cache, 2, 100);
		fill(&cache, 3, 100);
		assert_eq!((cache.stats().entries, cache.stats().bytes), (2, 200));
		assert!(fill(&cache, 1, 100), "1 went to make room");
		// An answer larger than the whole bound is served, not kept.
		assert!(fill(&cache, 4, 300));
		assert!(fill(&cache, 4, 300));
		assert!(cache.stats().bytes <= 250);
		// A failed computation keeps nothing.
		assert!(cache.get_or_compute(5, || Err::<Arc<RawValue>, _>("no")).is_err());
		assert!(fill(&cache, 5, 10));
		assert!(lock(&cache.computing).is_empty(), "no lock is left behind");
	}

	#[test]
	fn one_answer_is_computed_once_while_others_go_on() {
		use std::sync::atomic::{AtomicUsize, Ordering};
		let cache = Arc::new(Cache::new(CacheLimits::default()));
		let computed = Arc::new(AtomicUsize::new(0));
		let (started_tx, started_rx) = std::sync::mpsc::channel();
		let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
		// A slow computation of key 1, held until released,
		let slow = {
			let (cache, computed) = (cache.clone(), computed.clone());
			std::thread::spawn(move || {
				cache.get_or_compute(1u32, || {
					started_tx.send(()).unwrap();
					release_rx.recv().unwrap();
					computed.fetch_add(1, Ordering::SeqCst);
					Ok::<_, ()>(json(10))
				})
			})
		};
		started_rx.recv().unwrap();
		// does not hold back another key,
		assert!(fill(&cache, 2, 10));
		// and a second caller of key 1 waits for the first one's answer.
		let waiter = {
			let (cache, computed) = (cache.clone(), computed.clone());
			std::thread::spawn(move || {
				cache.get_or_compute(1u32, || {
					computed.fetch_add(1, Ordering::SeqCst);
					Ok::<_, ()>(json(10))
				})
			})
		};
		std::thread::sleep(std::time::Duration::from_millis(50));
		release_tx.send(()).unwrap();
		assert_eq!(slow.join().unwrap().unwrap().get(), waiter.join().unwrap().unwrap().get());
		assert_eq!(computed.load(Ordering::SeqCst), 1, "key 1 was computed once");
		assert!(lock(&cache.computing).is_empty());
	}
}
