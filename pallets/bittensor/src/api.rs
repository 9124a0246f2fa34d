//! The reads behind the runtime API `BittensorApi` (crate `pallet-bittensor-runtime-api`).

use crate::{
	impls::{to_parts, value_of},
	math, ChainParams, Config, InflationPerBlock, Inflation, MaxWeightChange, Neuron, NeuronInfo, NeuronLite,
	Neurons, NextUid, Pallet, Ranks, Stakes, TotalMinted, TotalWeightEntries, Uid, Uids, Weights,
};
use alloc::vec::Vec;
use frame_support::traits::Get;
use sp_arithmetic::Perbill;

/// A row as the runtime API returns it: `(uid, w)` by uid.
pub type Row = Vec<(Uid, Perbill)>;

fn to_perbill(row: Vec<(Uid, u32)>) -> Vec<(Uid, Perbill)> {
	row.into_iter().map(|(j, parts)| (j, Perbill::from_parts(parts))).collect()
}

impl<T: Config> Pallet<T> {
	/// Every registered neuron, by uid, with its rank and its row as it counts now.
	///
	/// One pass over `Neurons`, `Weights`, `Stakes` and `Ranks`; departed uids are dropped from
	/// rows against the set of uids read here, without a storage read per entry. Stakes are
	/// whole (settled and pending).
	pub fn api_neurons() -> Vec<NeuronInfo<T::AccountId>> {
		let mut neurons: Vec<(Uid, Neuron<T::AccountId>)> = Neurons::<T>::iter().collect();
		neurons.sort_unstable_by_key(|(uid, _)| *uid);
		let stakes = Stakes::<T>::get();
		let present = |j: Uid| neurons.binary_search_by_key(&j, |(uid, _)| *uid).is_ok();
		let rows: Vec<Vec<(Uid, Perbill)>> = neurons
			.iter()
			.map(|(uid, _)| {
				let row = Weights::<T>::get(uid).map(|r| to_parts(&r)).unwrap_or_default();
				let row = math::without_entries(&row, *uid, present).unwrap_or(row);
				to_perbill(row)
			})
			.collect();
		let ranks = Ranks::<T>::get();
		neurons
			.into_iter()
			.zip(rows)
			.map(|((uid, neuron), weights)| NeuronInfo {
				uid,
				rank: value_of(&ranks, uid).unwrap_or(0),
				account: neuron.account,
				stake: value_of(&stakes, uid).unwrap_or(0),
				deposit: neuron.deposit,
				weights,
			})
			.collect()
	}

	/// Every registered neuron without its row, by uid: one pass over `Neurons`, `Stakes` and
	/// `Ranks`, and the stored length of each row (its length prefix, not its entries).
	pub fn api_neurons_lite() -> Vec<NeuronLite<T::AccountId>> {
		let mut neurons: Vec<(Uid, Neuron<T::AccountId>)> = Neurons::<T>::iter().collect();
		neurons.sort_unstable_by_key(|(uid, _)| *uid);
		let (stakes, ranks) = (Stakes::<T>::get(), Ranks::<T>::get());
		neurons
			.into_iter()
			.map(|(uid, neuron)| NeuronLite {
				uid,
				rank: value_of(&ranks, uid).unwrap_or(0),
				stake: value_of(&stakes, uid).unwrap_or(0),
				entries: Weights::<T>::decode_len(uid)
					.map_or(0, |len| u32::try_from(len).unwrap_or(u32::MAX)),
				account: neuron.account,
				deposit: neuron.deposit,
			})
			.collect()
	}

	/// The rows of `uids` as they count now, in the order asked (every registered neuron's, by
	/// uid, when `None`); `None` for a uid that is not registered.
	pub fn api_rows(uids: Option<Vec<Uid>>) -> Vec<(Uid, Option<Row>)> {
		match uids {
			Some(uids) => uids.into_iter().map(|uid| (uid, Self::api_weights(uid))).collect(),
			None => Self::api_neurons().into_iter().map(|n| (n.uid, Some(n.weights))).collect(),
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
			registration_deposit: T::RegistrationDeposit::get(),
			neuron_count: Neurons::<T>::count(),
			next_uid: NextUid::<T>::get(),
			total_weight_entries: TotalWeightEntries::<T>::get(),
			total_minted: TotalMinted::<T>::get(),
		}
	}
}
