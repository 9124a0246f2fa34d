//! The reads behind the runtime API `BittensorApi` (crate `pallet-bittensor-runtime-api`).

use crate::{
	impls::{digest_of_records, entry_of, to_parts, value_of},
	math, ChainParams, Config, InflationPerBlock, Inflation, MaxWeightChange, Neuron, NeuronInfo, NeuronLite,
	NeuronState, Neurons, NeuronsDigest, Records, NextUid, Pallet, RankedEntries, Ranks, Stakes, TotalMinted,
	TotalWeightEntries, Uid, Uids, Weights,
};
use alloc::vec::Vec;
use frame_support::traits::{Get, GetStorageVersion};
use sp_arithmetic::Perbill;

/// A row as the runtime API returns it: `(uid, w)` by uid.
pub type Row = Vec<(Uid, Perbill)>;

fn to_perbill(row: Vec<(Uid, u32)>) -> Vec<(Uid, Perbill)> {
	row.into_iter().map(|(j, parts)| (j, Perbill::from_parts(parts))).collect()
}

/// Every neuron's row as it counts now, in the order of `stakes` (the stake vector): entries
/// of uids not in it dropped and the rest renormalized, without a storage read per entry.
fn rows_of_all<T: Config>(stakes: &[(Uid, u128)]) -> Vec<Row> {
	let present = |j: Uid| value_of(stakes, j).is_some();
	stakes
		.iter()
		.map(|(uid, _)| {
			let row = Weights::<T>::get(uid).map(|r| to_parts(&r)).unwrap_or_default();
			to_perbill(math::without_entries(&row, *uid, present).unwrap_or(row))
		})
		.collect()
}

impl<T: Config> Pallet<T> {
	/// Every registered neuron, by uid, with its rank and its row as it counts now.
	///
	/// One pass over `Neurons`, `Weights`, `Stakes` and `Ranks`. Stakes are whole (settled and
	/// pending).
	pub fn api_neurons() -> Vec<NeuronInfo<T::AccountId>> {
		let (_, records) = Self::api_neuron_records();
		let stakes = Stakes::<T>::get();
		let ranks = Ranks::<T>::get();
		let mut rows = rows_of_all::<T>(&stakes);
		// `Stakes` and `Neurons` hold the same uids (an invariant `try_state` checks); each
		// record takes its row by its place in the stake vector all the same.
		records
			.into_iter()
			.map(|(uid, neuron)| {
				let at = stakes.binary_search_by_key(&uid, |(j, _)| *j).ok();
				NeuronInfo {
					uid,
					rank: value_of(&ranks, uid).unwrap_or(0),
					account: neuron.account,
					stake: value_of(&stakes, uid).unwrap_or(0),
					deposit: neuron.deposit,
					weights: at.and_then(|at| rows.get_mut(at)).map(core::mem::take).unwrap_or_default(),
				}
			})
			.collect()
	}

	/// Every registered neuron without its row, by uid: the records of
	/// [`Self::api_neuron_records`] joined with the states of [`Self::api_neuron_states`].
	pub fn api_neurons_lite() -> Vec<NeuronLite<T::AccountId>> {
		let (_, records) = Self::api_neuron_records();
		let (_, states) = Self::api_neuron_states();
		records
			.into_iter()
			.map(|(uid, neuron)| {
				let state = entry_of(&states, uid, |s| s.uid);
				NeuronLite {
					uid,
					account: neuron.account,
					stake: state.map_or(0, |s| s.stake),
					deposit: neuron.deposit,
					rank: state.map_or(0, |s| s.rank),
					entries: state.map_or(0, |s| s.entries),
				}
			})
			.collect()
	}

	/// The records of every registered neuron (account, deposit), by uid, with the
	/// [`NeuronsDigest`] they have. One pass over `Neurons`.
	pub fn api_neuron_records() -> ([u8; 32], Records<T::AccountId>) {
		let records = Self::sorted_records();
		let digest = if Self::digest_is_stored() {
			NeuronsDigest::<T>::get()
		} else {
			digest_of_records(records.iter().map(|(uid, n)| (*uid, &n.account, n.deposit)))
		};
		(digest, records)
	}

	fn sorted_records() -> Records<T::AccountId> {
		let mut records: Vec<(Uid, Neuron<T::AccountId>)> = Neurons::<T>::iter().collect();
		records.sort_unstable_by_key(|(uid, _)| *uid);
		records
	}

	/// Whether [`NeuronsDigest`] is kept: from storage version 3 on. In the block that set
	/// this runtime's code, its migration has not run yet (that is the next block's first
	/// step), and the digest is made from the records as the migration will make it.
	fn digest_is_stored() -> bool {
		Self::on_chain_storage_version() >= 3
	}

	/// [`NeuronsDigest`], or at a block whose migration to storage version 3 has not run, the
	/// digest of the records as they stand.
	fn records_digest() -> [u8; 32] {
		if Self::digest_is_stored() {
			NeuronsDigest::<T>::get()
		} else {
			Self::api_neuron_records().0
		}
	}

	/// What changes from block to block of every registered neuron (stake, rank, entries), by
	/// uid, with the [`NeuronsDigest`] of their records. Three values read (`Stakes`, `Ranks`,
	/// `RankedEntries`), plus a row's length for a neuron no block step has ranked yet.
	pub fn api_neuron_states() -> ([u8; 32], Vec<NeuronState>) {
		let (ranks, lengths) = (Ranks::<T>::get(), RankedEntries::<T>::get());
		let entries = |uid: Uid| match value_of(&lengths, uid) {
			Some(e) => e,
			None => Weights::<T>::decode_len(uid).map_or(0, |len| u32::try_from(len).unwrap_or(u32::MAX)),
		};
		let states = Stakes::<T>::get()
			.into_iter()
			.map(|(uid, stake)| NeuronState {
				uid,
				stake,
				rank: value_of(&ranks, uid).unwrap_or(0),
				entries: entries(uid),
			})
			.collect();
		(Self::records_digest(), states)
	}

	/// The rows of `uids` as they count now, in the order asked (every registered neuron's, by
	/// uid, when `None`); `None` for a uid that is not registered.
	pub fn api_rows(uids: Option<Vec<Uid>>) -> Vec<(Uid, Option<Row>)> {
		match uids {
			Some(uids) => uids.into_iter().map(|uid| (uid, Self::api_weights(uid))).collect(),
			None => {
				let stakes = Stakes::<T>::get();
				let rows = rows_of_all::<T>(&stakes);
				stakes.into_iter().zip(rows).map(|((uid, _), row)| (uid, Some(row))).collect()
			},
		}
	}

	/// Neuron `uid`, if registered.
	pub fn api_neuron(uid: Uid) -> Option<NeuronInfo<T::AccountId>> {
		let neuron = Neurons::<T>::get(uid)?;
		Some(NeuronInfo {
			uid,
			rank: value_of(&Ranks::<T>::get(), uid).unwrap_or(0),
			weights: Self::effective_row(uid).map(to_perbill).unwrap_or_default(),
			account: neuron.account,
			stake: Self::stake_of(uid).unwrap_or(0),
			deposit: neuron.deposit,
		})
	}

	/// The ranking of the last block step, by uid.
	pub fn api_ranks() -> Vec<(Uid, u128)> {
		Ranks::<T>::get().into_inner()
	}

	/// The whole stake of `uid` (settled and pending), if registered.
	pub fn api_stake(uid: Uid) -> Option<u128> {
		Self::stake_of(uid)
	}

	/// The uid of `account`, if registered.
	pub fn api_uid_of(account: T::AccountId) -> Option<Uid> {
		Uids::<T>::get(account)
	}

	/// Row `uid` as it counts now, if registered.
	pub fn api_weights(uid: Uid) -> Option<Vec<(Uid, Perbill)>> {
		if !Neurons::<T>::contains_key(uid) {
			return None;
		}
		Self::effective_row(uid).map(to_perbill)
	}

	/// Parameters, limits and counters.
	pub fn api_params() -> ChainParams {
		ChainParams {
			max_weight_change: MaxWeightChange::<T>::get(),
			inflation_per_block: InflationPerBlock::<T>::get(),
			inflation_mode: Inflation::<T>::get(),
			max_neurons: T::MaxNeurons::get(),
			max_weights_per_row: T::MaxWeightsPerRow::get(),
			registration_deposit: Self::registration_deposit(),
			neuron_count: Neurons::<T>::count(),
			next_uid: NextUid::<T>::get(),
			total_weight_entries: TotalWeightEntries::<T>::get(),
			total_minted: TotalMinted::<T>::get(),
		}
	}
}
