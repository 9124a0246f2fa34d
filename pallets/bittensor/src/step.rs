//! The block step, run in `on_finalize`, read top down in [`Pallet::block_step`]: prune departed
//! entries, rank (eq. 5), mint (eq. 6), adapt tau (section 3). The kernels are in [`math`].
//!
//! Storage: it reads the stake vector, the `n` rows and a few values, and writes a few values:
//! the stake vector, the ranking, the pending hold on the pallet account and total issuance,
//! `TotalMinted`, tau when adaptive, the length of each row ranked, and at most [`MAX_PRUNED_ROWS_PER_BLOCK`] cleaned rows with
//! `TotalWeightEntries`. Nothing it writes grows with `n` in number (the stake vector and the
//! ranking grow in size). It also removes the start-of-block rows of the block's
//! `set_weights`, one a caller, each paid for by its call.

use crate::{
	impls::{entries_len, self_row, to_parts, to_row},
	math,
	pallet::*,
	InflationMode, Uid,
};
use alloc::vec::Vec;
use frame_support::{
	defensive,
	pallet_prelude::*,
	traits::{
		fungible::{hold::Unbalanced as HoldUnbalanced, Inspect, Unbalanced},
		tokens::Precision,
	},
};

/// The most rows naming departed neurons that one block step writes back cleaned. The others
/// are cleaned in memory for this block's ranking (the same rows, to the part), and written by
/// a later step or by their owner's next `set_weights`; so the step's writes stay bounded
/// however many rows a departure touches.
pub const MAX_PRUNED_ROWS_PER_BLOCK: u32 = 16;

/// The rows of one block step, in the order of the stake vector, with uids mapped to their
/// positions in it.
pub(crate) struct StepRows {
	/// Row `i`: `(column, parts)`, entries of departed neurons dropped and the rest
	/// renormalized.
	pub columns: Vec<Vec<(usize, u32)>>,
	/// The sum of the self-weights `w_ii`, in parts.
	pub self_weight_parts: u64,
}

impl<T: Config> Pallet<T> {
	/// The block step: ranking, inflation, adaptive tau, with the weights and stakes as they
	/// stand after the block's extrinsics.
	pub fn block_step() {
		let tau = InflationPerBlock::<T>::get();
		let mut stakes = Stakes::<T>::get().into_inner();
		let n = u32::try_from(stakes.len()).unwrap_or(u32::MAX);

		let rows = Self::prune_departed(&stakes);
		let ranks = Self::rank(&stakes, &rows, n);
		let minted = Self::mint(&mut stakes, &ranks, tau);
		Self::store_ranks(&stakes, ranks, &rows);
		Self::adapt_tau(tau, rows.self_weight_parts, n);

		// The start-of-block rows of this block's `set_weights` (each call paid for its removal).
		let _ = BlockStartWeights::<T>::clear(u32::MAX, None);
		Self::deposit_event(Event::Ranked { n, minted, tau });
	}

	/// Reads every neuron's row; entries that point at neurons that left are dropped and the
	/// rest renormalized (not counted against their owner's L2 budget). Up to
	/// [`MAX_PRUNED_ROWS_PER_BLOCK`] such rows are stored cleaned, the entry counter with them.
	pub(crate) fn prune_departed(stakes: &[(Uid, u128)]) -> StepRows {
		let column = |uid: Uid| stakes.binary_search_by_key(&uid, |(j, _)| *j).ok();
		let (mut pruned, mut entries_removed, mut entries_added) = (0u32, 0u64, 0u64);
		let mut columns = Vec::with_capacity(stakes.len());
		let mut self_weight_parts: u64 = 0;
		for (uid, _) in stakes {
			let stored = Weights::<T>::get(uid).unwrap_or_else(|| {
				defensive!("every neuron has a row; qed");
				self_row::<T>(*uid)
			});
			let mut parts = to_parts(&stored);
			if let Some(cleaned) = math::without_entries(&parts, *uid, |j| column(j).is_some()) {
				if pruned < MAX_PRUNED_ROWS_PER_BLOCK {
					pruned = pruned.saturating_add(1);
					entries_removed = entries_removed.saturating_add(entries_len(parts.len()));
					entries_added = entries_added.saturating_add(entries_len(cleaned.len()));
					Weights::<T>::insert(uid, to_row::<T>(*uid, &cleaned));
				}
				parts = cleaned;
			}
			if let Some((_, p)) = parts.iter().find(|(j, _)| j == uid) {
				self_weight_parts = self_weight_parts.saturating_add(u64::from(*p));
			}
			columns.push(parts.iter().filter_map(|(j, p)| column(*j).map(|c| (c, *p))).collect());
		}
		if entries_added != entries_removed {
			TotalWeightEntries::<T>::mutate(|e| {
				*e = e.saturating_sub(entries_removed).saturating_add(entries_added)
			});
		}
		StepRows { columns, self_weight_parts }
	}

	/// The ranking `R_j = sum_i floor(s_i w_ij / n)` (eq. 5), in the order of the stake vector.
	pub(crate) fn rank(stakes: &[(Uid, u128)], rows: &StepRows, n: u32) -> Vec<u128> {
		math::rank(
			stakes.len(),
			n,
			stakes.iter().zip(rows.columns.iter()).map(|((_, s), row)| (*s, row.as_slice())),
		)
	}

	/// The inflation step (eq. 6): adds `dS_j = floor(tau R_j / ||R||_2)` to every `S_j` and
	/// mints their sum `M` once, onto the pallet account's pending hold; total issuance grows by
	/// `M`. Stores the stake vector and returns `M` (0, and nothing stored, if the mint fails).
	pub(crate) fn mint(stakes: &mut [(Uid, u128)], ranks: &[u128], tau: u128) -> u128 {
		let mut minted: u128 = 0;
		for ((_, stake), ds) in stakes.iter_mut().zip(math::inflation(ranks, tau)) {
			match (stake.checked_add(ds), minted.checked_add(ds)) {
				(Some(s), Some(m)) => {
					*stake = s;
					minted = m;
				},
				_ => {
					defensive!("a stake cannot approach u128::MAX; qed");
				},
			}
		}
		if minted == 0 {
			return 0;
		}
		let Some(issuance) = T::Currency::total_issuance().checked_add(minted) else {
			defensive!("issuance cannot approach u128::MAX; qed");
			return 0;
		};
		let hold = || {
			T::Currency::increase_balance_on_hold(
				&HoldReason::PendingStake.into(),
				&Self::account_id(),
				minted,
				Precision::Exact,
			)
		};
		// The pallet account exists from genesis or its migration; should it not, it is made
		// (with its existential deposit) and the mint tried once more.
		if hold().is_err() && (Self::ensure_account().is_err() || hold().is_err()) {
			defensive!("the pallet account exists and can take more on hold; qed");
			return 0;
		}
		T::Currency::set_total_issuance(issuance);
		TotalMinted::<T>::mutate(|m| *m = m.saturating_add(minted));
		match BoundedVec::try_from(stakes.to_vec()) {
			Ok(stakes) => Stakes::<T>::put(stakes),
			Err(_) => {
				defensive!("the stake vector did not grow; qed");
			},
		}
		minted
	}

	/// Stores the ranking, `(uid, R_uid)` sorted by uid, and the length of each row ranked,
	/// `(uid, entries)`.
	pub(crate) fn store_ranks(stakes: &[(Uid, u128)], ranks: Vec<u128>, rows: &StepRows) {
		let uids = || stakes.iter().map(|(uid, _)| *uid);
		let ranking: Vec<(Uid, u128)> = uids().zip(ranks).collect();
		let lengths: Vec<(Uid, u32)> = uids()
			.zip(rows.columns.iter().map(|row| u32::try_from(row.len()).unwrap_or(u32::MAX)))
			.collect();
		let (ranking, lengths) = match (BoundedVec::try_from(ranking), BoundedVec::try_from(lengths)) {
			(Ok(ranking), Ok(lengths)) => (ranking, lengths),
			_ => {
				defensive!("at most MaxNeurons neurons exist; qed");
				(BoundedVec::new(), BoundedVec::new())
			},
		};
		Ranks::<T>::put(ranking);
		RankedEntries::<T>::put(lengths);
	}

	/// In adaptive mode, `tau <- clamp(tau + gain * max * (target - sparsity), 0, max)` with the
	/// sparsity the mean self-weight (section 3).
	pub(crate) fn adapt_tau(tau: u128, self_weight_parts: u64, n: u32) {
		if let InflationMode::Adaptive { target, gain, max } = Inflation::<T>::get() {
			let sparsity = math::sparsity(self_weight_parts, n);
			InflationPerBlock::<T>::put(math::adapt_tau(tau, target, gain, max, sparsity));
		}
	}
}
