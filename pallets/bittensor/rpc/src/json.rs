//! The JSON shapes of the `bittensor_*` answers, and the arithmetic of the mask.
//!
//! Token amounts are decimal strings in whole tokens with every decimal of the chain
//! (`"4000.000000000000"` with 12 decimals): exact, and safe past 2^53 where JSON numbers are
//! not. Weights are decimal strings with nine decimals (exactly the stored `Perbill`).

use pallet_bittensor_runtime_api::{ChainParams, InflationMode, NeuronInfo, Uid};
use serde::{Deserialize, Serialize};
use sp_core::crypto::Ss58Codec;
use sp_runtime::Perbill;

/// A neuron (`bittensor_getNeurons`, `bittensor_getNeuron`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Neuron {
	/// Its uid.
	pub uid: Uid,
	/// Its account, SS58.
	pub account: String,
	/// Its stake `s_i`, in tokens.
	pub stake: String,
	/// Its registration deposit, in tokens.
	pub deposit: String,
	/// Its rank `R_i` from the block step of the block read, in tokens.
	pub rank: String,
	/// Its row `w_i`: `[uid, weight]` pairs sorted by uid, the weights summing to one.
	pub weights: Vec<(Uid, String)>,
}

/// One entry of the ranking (`bittensor_getRanks`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Rank {
	/// The neuron's uid.
	pub uid: Uid,
	/// `R_uid = (1/n) sum_i s_i w_i,uid`, in tokens.
	pub rank: String,
}

/// A neuron's stake (`bittensor_getStake`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Stake {
	/// The neuron's uid.
	pub uid: Uid,
	/// Its account, SS58.
	pub account: String,
	/// Its stake, in tokens.
	pub stake: String,
}

/// How tau evolves.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Mode {
	/// tau stays as set.
	Fixed,
	/// tau follows the sparsity controller of SPEC section 5.
	Adaptive {
		/// The target sparsity (mean self-weight), a fraction.
		target: String,
		/// The controller's gain, a fraction.
		gain: String,
		/// The largest tau, in tokens per block.
		max: String,
	},
}

/// The pallet's parameters and counters (`bittensor_getParams`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Params {
	/// epsilon: the L2 bound on a row's change per block, a fraction.
	pub max_weight_change: String,
	/// tau: tokens minted per block.
	pub inflation_per_block: String,
	/// Fixed or adaptive tau.
	pub inflation_mode: Mode,
	/// The most neurons at once.
	pub max_neurons: u32,
	/// The most entries in a row.
	pub max_weights_per_row: u32,
	/// The deposit held on registration, in tokens.
	pub registration_deposit: String,
	/// The number of registered neurons.
	pub neuron_count: u32,
	/// The uid the next registration gets.
	pub next_uid: Uid,
	/// The number of entries in all rows.
	pub total_weight_entries: u64,
	/// Everything minted by the block step since genesis, in tokens.
	pub total_minted: String,
	/// The decimals of the token amounts in these answers.
	pub token_decimals: u8,
}

/// One entry of a mask row (`bittensor_getMask`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MaskEntry {
	/// The column `j`.
	pub uid: Uid,
	/// `w_ij`, a fraction.
	pub weight: String,
	/// `mu_j = (1/n) sum_k s_k w_kj`, in tokens.
	pub mu: String,
	/// `sigmoid((s_i w_ij - mu_j) / T)`.
	pub mask: String,
}

/// `amount` base units as tokens with all `decimals` decimals: `1_500_000_000_000` with 12
/// decimals is `"1.500000000000"`.
pub fn tokens(amount: u128, decimals: u8) -> String {
	let decimals = u32::from(decimals.min(38));
	if decimals == 0 {
		return amount.to_string();
	}
	let unit = 10u128.pow(decimals);
	format!("{}.{:0width$}", amount / unit, amount % unit, width = decimals as usize)
}

/// A `Perbill` as a fraction with nine decimals: `"0.250000000"`, `"1.000000000"`.
pub fn fraction(p: Perbill) -> String {
	let parts = p.deconstruct();
	format!("{}.{:09}", parts / 1_000_000_000, parts % 1_000_000_000)
}

/// A real number with twelve decimals.
fn real(x: f64) -> String {
	format!("{x:.12}")
}

impl Neuron {
	/// The JSON form of `info`.
	pub fn new<AccountId: Ss58Codec>(info: NeuronInfo<AccountId>, decimals: u8) -> Self {
		Self {
			uid: info.uid,
			account: info.account.to_ss58check(),
			stake: tokens(info.stake, decimals),
			deposit: tokens(info.deposit, decimals),
			rank: tokens(info.rank, decimals),
			weights: row(info.weights),
		}
	}
}

/// A row as `[uid, weight]` pairs.
pub fn row(weights: Vec<(Uid, Perbill)>) -> Vec<(Uid, String)> {
	weights.into_iter().map(|(j, w)| (j, fraction(w))).collect()
}

impl Params {
	/// The JSON form of `p`.
	pub fn new(p: ChainParams, decimals: u8) -> Self {
		Self {
			max_weight_change: fraction(p.max_weight_change),
			inflation_per_block: tokens(p.inflation_per_block, decimals),
			inflation_mode: match p.inflation_mode {
				InflationMode::Fixed => Mode::Fixed,
				InflationMode::Adaptive { target, gain, max } => Mode::Adaptive {
					target: fraction(target),
					gain: fraction(gain),
					max: tokens(max, decimals),
				},
			},
			max_neurons: p.max_neurons,
			max_weights_per_row: p.max_weights_per_row,
			registration_deposit: tokens(p.registration_deposit, decimals),
			neuron_count: p.neuron_count,
			next_uid: p.next_uid,
			total_weight_entries: p.total_weight_entries,
			total_minted: tokens(p.total_minted, decimals),
			token_decimals: decimals,
		}
	}
}

/// Row `uid` of the competitive mask (paper eq. 7 and 8, SPEC section 6) over every registered
/// neuron `j`: `sigmoid((s_i w_ij - mu_j) / T)` with `mu_j = (1/n) sum_k s_k w_kj`, stakes in
/// tokens, in `f64`. `neurons` must be sorted by uid (as the runtime API returns them). `None`
/// if `uid` is not among them; `temperature` must be positive.
pub fn mask<AccountId>(
	neurons: &[NeuronInfo<AccountId>],
	uid: Uid,
	temperature: f64,
	decimals: u8,
) -> Option<Vec<MaskEntry>> {
	let me = neurons.iter().find(|n| n.uid == uid)?;
	let scale = 10f64.powi(i32::from(decimals));
	let stake = |n: &NeuronInfo<AccountId>| n.stake as f64 / scale;
	let w = |p: Perbill| f64::from(p.deconstruct()) / 1e9;
	let count = neurons.len() as f64;

	// mu_j, by position of j in `neurons`.
	let mut mu = vec![0f64; neurons.len()];
	for k in neurons {
		for (j, w_kj) in &k.weights {
			if let Ok(pos) = neurons.binary_search_by_key(j, |n| n.uid) {
				mu[pos] += stake(k) * w(*w_kj);
			}
		}
	}
	let s_i = stake(me);
	Some(
		neurons
			.iter()
			.zip(mu)
			.map(|(j, sum)| {
				let w_ij = me
					.weights
					.binary_search_by_key(&j.uid, |(uid, _)| *uid)
					.ok()
					.map_or(Perbill::zero(), |pos| me.weights[pos].1);
				let mu_j = sum / count;
				let x = (s_i * w(w_ij) - mu_j) / temperature;
				MaskEntry {
					uid: j.uid,
					weight: fraction(w_ij),
					mu: real(mu_j),
					mask: real(1.0 / (1.0 + (-x).exp())),
				}
			})
			.collect(),
	)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn tokens_keep_every_decimal() {
		assert_eq!(tokens(0, 12), "0.000000000000");
		assert_eq!(tokens(1_500_000_000_000, 12), "1.500000000000");
		assert_eq!(tokens(4_000_000_000_000_001, 12), "4000.000000000001");
		assert_eq!(tokens(u128::MAX, 12), "340282366920938463463374607.431768211455");
		assert_eq!(tokens(42, 0), "42");
	}

	#[test]
	fn fractions_have_nine_decimals() {
		assert_eq!(fraction(Perbill::zero()), "0.000000000");
		assert_eq!(fraction(Perbill::from_parts(250_000_000)), "0.250000000");
		assert_eq!(fraction(Perbill::from_parts(1)), "0.000000001");
		assert_eq!(fraction(Perbill::one()), "1.000000000");
	}

	fn neuron(uid: Uid, stake_tokens: u128, weights: &[(Uid, u32)]) -> NeuronInfo<u64> {
		NeuronInfo {
			uid,
			account: u64::from(uid),
			stake: stake_tokens * 1_000_000_000_000,
			deposit: 0,
			rank: 0,
			weights: weights.iter().map(|(j, p)| (*j, Perbill::from_parts(*p))).collect(),
		}
	}

	#[test]
	fn mask_matches_a_hand_computation() {
		// Uids 0 and 3 with s = (3, 1); row 0 = {0: .5, 3: .5}, row 3 = {0: 1}.
		// mu_0 = (3 * .5 + 1 * 1) / 2 = 1.25, mu_3 = (3 * .5) / 2 = 0.75.
		// Row 0 at T = 0.5: x_0 = (1.5 - 1.25) / .5 = .5, x_3 = (1.5 - .75) / .5 = 1.5.
		let ns = [neuron(0, 3, &[(0, 500_000_000), (3, 500_000_000)]), neuron(3, 1, &[(0, 1_000_000_000)])];
		let m = mask(&ns, 0, 0.5, 12).unwrap();
		let sig = |x: f64| 1.0 / (1.0 + (-x).exp());
		assert_eq!(m.len(), 2);
		assert_eq!((m[0].uid, m[0].weight.as_str(), m[0].mu.as_str()), (0, "0.500000000", "1.250000000000"));
		assert_eq!(m[0].mask, format!("{:.12}", sig(0.5)));
		assert_eq!((m[1].uid, m[1].mu.as_str()), (3, "0.750000000000"));
		assert_eq!(m[1].mask, format!("{:.12}", sig(1.5)));
		// Row 3 has no entry for uid 3: w = 0, x = (0 - .75) / .5.
		let m3 = mask(&ns, 3, 0.5, 12).unwrap();
		assert_eq!(m3[1].weight, "0.000000000");
		assert_eq!(m3[1].mask, format!("{:.12}", sig(-1.5)));
		assert_eq!(mask(&ns, 1, 0.5, 12), None);
	}

	#[test]
	fn answers_serialize_as_documented() {
		let info = NeuronInfo {
			uid: 2,
			account: sp_runtime::AccountId32::new([0; 32]),
			stake: 5_000_000_000_000,
			deposit: 1,
			rank: 7_250_000_000_000,
			weights: vec![(2, Perbill::one())],
		};
		assert_eq!(
			serde_json::to_value(Neuron::new(info, 12)).unwrap(),
			serde_json::json!({"uid": 2, "account": "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM",
				"stake": "5.000000000000", "deposit": "0.000000000001", "rank": "7.250000000000",
				"weights": [[2, "1.000000000"]]})
		);
		let mode = Mode::Adaptive { target: "0.5".into(), gain: "0.1".into(), max: "2".into() };
		assert_eq!(
			serde_json::to_value(mode).unwrap(),
			serde_json::json!({"type": "adaptive", "target": "0.5", "gain": "0.1", "max": "2"})
		);
		assert_eq!(serde_json::to_value(Mode::Fixed).unwrap(), serde_json::json!({"type": "fixed"}));
	}
}
