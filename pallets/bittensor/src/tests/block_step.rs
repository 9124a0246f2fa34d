//! The block step: ranking, inflation, adaptive tau, the reserved weight.

use crate::{
	mock::*, Event, InflationMode, InflationPerBlock, Ranks, TotalMinted, WeightInfo,
};
use frame_support::{
	traits::{Get, Hooks},
	weights::{RuntimeDbWeight, Weight},
};
use sp_arithmetic::Perbill;

#[test]
fn block_step_ranks_and_mints_by_hand() {
	// Given s = (3, 1) * 1e12 and rows 0 -> {0: .5, 1: .5}, 1 -> {0: 1}, tau = 1e12:
	// R = ((1.5 + 1) / 2, 1.5 / 2) * 1e12 = (1.25, 0.75) * 1e12, ||R|| = 1.4577e12,
	// dS = tau * R / ||R|| = (857_492_925_712.5…, 514_495_755_427.5…).
	ExtBuilder::default()
		.neurons(vec![(1, 3 * UNIT), (2, UNIT)])
		.weights(vec![(0, vec![(0, 1), (1, 1)]), (1, vec![(0, 1)])])
		.tau(UNIT)
		.build_and_execute(|| {
			let issuance = Balances::total_issuance();
			next_block();
			let ranks = Ranks::<Test>::get().into_inner();
			assert_eq!(ranks, vec![(0, 1_250_000_000_000), (1, 750_000_000_000)]);
			assert_eq!(stake(0), 3 * UNIT + 857_492_925_712);
			assert_eq!(stake(1), UNIT + 514_495_755_427);
			let minted = 857_492_925_712 + 514_495_755_427;
			assert_eq!(Balances::total_issuance(), issuance + minted);
			assert_eq!(TotalMinted::<Test>::get(), minted);
			assert_eq!(
				bittensor_events().last(),
				Some(&Event::Ranked { n: 2, minted, tau: UNIT })
			);
		});
}

#[test]
fn block_step_mints_nothing_without_stake() {
	ExtBuilder::default().neurons(vec![(1, 0), (2, 0)]).build_and_execute(|| {
		let issuance = Balances::total_issuance();
		next_block();
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(Ranks::<Test>::get().into_inner(), vec![(0, 0), (1, 0)]);
		assert_eq!(bittensor_events().last(), Some(&Event::Ranked { n: 2, minted: 0, tau: UNIT }));
	});
}

#[test]
fn block_step_with_no_neurons_only_reports() {
	ExtBuilder::default().build_and_execute(|| {
		next_block();
		assert!(Ranks::<Test>::get().is_empty());
		assert_eq!(bittensor_events().last(), Some(&Event::Ranked { n: 0, minted: 0, tau: UNIT }));
	});
}

#[test]
fn minted_total_lies_between_tau_and_tau_sqrt_n() {
	// Four neurons voting for themselves only: R_j = s_j / 4, all equal -> ||R||-normalized
	// vector (1/2, 1/2, 1/2, 1/2): M = 2 tau = tau * sqrt(4).
	ExtBuilder::default()
		.neurons((1..=4).map(|a| (a, 1_000 * UNIT)).collect())
		.tau(7 * UNIT)
		.build_and_execute(|| {
			next_block();
			let minted = TotalMinted::<Test>::get();
			assert_eq!(minted, 14 * UNIT);
		});
}

/// Adaptive tau steering to a sparsity of 50% with a gain of 10%, capped at `max`.
fn adaptive(max: u128) -> InflationMode {
	InflationMode::Adaptive {
		target: Perbill::from_percent(50),
		gain: Perbill::from_percent(10),
		max,
	}
}

#[test]
fn adaptive_tau_falls_when_the_network_is_disconnected() {
	// Full self-weight: sparsity 1 > target 0.5, so tau falls by gain * max * 0.5 a block.
	let max = 10 * UNIT;
	ExtBuilder::default()
		.neurons(vec![(1, UNIT), (2, UNIT)])
		.tau(max)
		.mode(adaptive(max))
		.build_and_execute(|| {
			next_block();
			assert_eq!(InflationPerBlock::<Test>::get(), max - max / 20);
			next_block();
			assert_eq!(InflationPerBlock::<Test>::get(), max - 2 * (max / 20));
		});
}

#[test]
fn adaptive_tau_rises_when_the_network_is_connected() {
	let max = 10 * UNIT;
	ExtBuilder::default()
		.neurons(vec![(1, UNIT), (2, UNIT)])
		.weights(vec![(0, vec![(1, 1)]), (1, vec![(0, 1)])])
		.tau(0)
		.mode(adaptive(max))
		.build_and_execute(|| {
			// Sparsity 0 < 0.5: +gain * max * 0.5 per block, from tau = 0.
			next_block();
			assert_eq!(InflationPerBlock::<Test>::get(), max / 20);
		});
}

#[test]
fn on_initialize_reserves_the_benchmarked_step_weight() {
	ExtBuilder::default()
		.neurons(vec![(1, UNIT), (2, UNIT), (3, UNIT)])
		.weights(vec![(0, vec![(0, 1), (1, 1), (2, 1)])])
		.build_and_execute(|| {
			// Three neurons and 3 + 2 = 5 entries: within two a row, so the `n` benchmark alone.
			let reserved = Bittensor::on_initialize(2);
			let expected = <() as WeightInfo>::block_step(3)
				.saturating_add(<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(2));
			assert_eq!(reserved, expected);
		});
}

/// Costs with round numbers, so that the step's weight can be worked out by hand: the step is
/// 1,000,000 + 10,000 a neuron (ref time; proof size 100 + 1 a neuron), and 500,000 + 300 an
/// entry in the entries benchmark (proof size 50 + 2 an entry).
struct RoundCosts;
impl WeightInfo for RoundCosts {
	fn register() -> Weight {
		Weight::zero()
	}
	fn unregister() -> Weight {
		Weight::zero()
	}
	fn add_stake() -> Weight {
		Weight::zero()
	}
	fn remove_stake() -> Weight {
		Weight::zero()
	}
	fn settle_stake() -> Weight {
		Weight::zero()
	}
	fn set_weights(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
	fn set_params() -> Weight {
		Weight::zero()
	}
	fn block_step(n: u32) -> Weight {
		Weight::from_parts(1_000_000 + 10_000 * u64::from(n), 100 + u64::from(n))
	}
	fn block_step_entries(e: u32) -> Weight {
		Weight::from_parts(500_000 + 300 * u64::from(e), 50 + 2 * u64::from(e))
	}
}

#[test]
fn step_weight_adds_the_entries_beyond_two_a_row_at_the_entry_benchmark_slope() {
	// 100 neurons: 1,000,000 + 100 * 10,000 = 2,000,000 (proof 200), whatever the entries up to
	// two a row (the `n` benchmark's rows hold two).
	let step = crate::impls::step_weight::<RoundCosts>;
	assert_eq!(step(100, 0), Weight::from_parts(2_000_000, 200));
	assert_eq!(step(100, 200), Weight::from_parts(2_000_000, 200));
	// 5,000 entries beyond two a row add 5,000 * 300 = 1,500,000 (proof 10,000); the entries
	// benchmark's base (500,000) is not counted twice.
	assert_eq!(step(100, 5_200), Weight::from_parts(3_500_000, 10_200));
	assert_eq!(step(100, 201), Weight::from_parts(2_000_300, 202));
	// No neurons: the base alone, however many entries are left behind.
	assert_eq!(step(0, 0), Weight::from_parts(1_000_000, 100));
	assert_eq!(step(0, 10), Weight::from_parts(1_003_000, 120));
	// The generated weights: more entries or neurons never weigh less, and cost more time.
	let real = crate::impls::step_weight::<()>;
	for (more, less) in [(real(100, 10_000), real(100, 9_999)), (real(101, 10_000), real(100, 10_000))] {
		assert!(more.all_gte(less) && more.ref_time() > less.ref_time(), "{more:?} vs {less:?}");
	}
}

/// Every storage key and value, to see what a piece of code wrote.
fn state() -> std::collections::BTreeMap<Vec<u8>, Vec<u8>> {
	let mut out = std::collections::BTreeMap::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		out.insert(next.clone(), sp_io::storage::get(&next).unwrap().to_vec());
		key = next;
	}
	out
}

/// The keys `f` added, changed or removed, leaving out `System`'s (events, block data).
fn keys_written(f: impl FnOnce()) -> usize {
	let system = sp_io::hashing::twox_128(b"System");
	let before = state();
	f();
	let after = state();
	let keys: std::collections::BTreeSet<&Vec<u8>> = before.keys().chain(after.keys()).collect();
	keys.into_iter()
		.filter(|k| !k.starts_with(&system) && before.get(*k) != after.get(*k))
		.count()
}

#[test]
fn block_step_writes_as_many_keys_for_60_neurons_as_for_3() {
	// Staked neurons voting a quarter for themselves, adaptive tau steering to a half (so tau
	// rises every block): stakes, ranks, the pending hold,
	// issuance, TotalMinted and tau change, whatever n is.
	let written = |n: u64| {
		let mut count = 0;
		ExtBuilder::default()
			.neurons((1..=n).map(|a| (a, 1_000 * UNIT)).collect())
			.weights((0..n as u32).map(|i| (i, vec![(i, 1), ((i + 1) % n as u32, 3)])).collect())
			.mode(adaptive(10 * UNIT))
			.build_and_execute(|| {
				next_block();
				count = keys_written(|| Bittensor::on_finalize(2));
			});
		count
	};
	let (small, large) = (written(3), written(60));
	assert_eq!(small, large, "writes do not grow with n");
	// Stakes, Ranks, InflationPerBlock, TotalMinted, the pallet account's hold, and
	// Balances::TotalIssuance (the pallet account's System::Account is left out with System).
	assert_eq!(large, 6);
}

#[test]
fn departed_entries_count_as_dropped_at_once_and_are_written_back_a_budget_a_block() {
	use crate::{step::MAX_PRUNED_ROWS_PER_BLOCK, Weights};
	// 40 neurons, each voting half for itself and half for neuron 39; 39 leaves.
	let n = 40u32;
	ExtBuilder::default()
		.neurons((1..=n as u64).map(|a| (a, 100 * UNIT)).collect())
		.weights((0..n - 1).map(|i| (i, vec![(i, 1), (n - 1, 1)])).collect())
		.build_and_execute(|| {
			frame_support::assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(n as u64)));
			let naming_it = || (0..n - 1).filter(|i| row(*i).iter().any(|(j, _)| *j == n - 1)).count();
			assert_eq!(naming_it(), (n - 1) as usize);
			// Each block ranks as if every row were clean: full self-weight, R_i = s_i / n',
			// and cleans at most the budget in storage.
			let budget = MAX_PRUNED_ROWS_PER_BLOCK as usize;
			for left in [n as usize - 1 - budget, n as usize - 1 - 2 * budget, 0] {
				next_block();
				assert_eq!(naming_it(), left);
				let ranks = Ranks::<Test>::get();
				assert!(ranks.iter().all(|(uid, r)| *r == stake_at_step_start(*uid) / u128::from(n - 1)));
				// What the API shows is the row as it counts.
				assert!((0..n - 1).all(|i| Bittensor::effective_row(i) == Some(vec![(i, 1_000_000_000)])));
			}
			assert!(Weights::<Test>::get(n - 1).is_none());
		});
}

/// The stake a neuron had when the last step ranked it: its stake less what that step minted.
fn stake_at_step_start(uid: u32) -> u128 {
	let minted = bittensor_events()
		.iter()
		.rev()
		.find_map(|e| match e {
			Event::Ranked { minted, .. } => Some(*minted),
			_ => None,
		})
		.unwrap();
	// All stakes and rows are equal, so each got an equal share of the mint.
	let n = Ranks::<Test>::get().len() as u128;
	stake(uid) - minted / n
}
