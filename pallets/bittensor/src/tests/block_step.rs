//! The block step: ranking, inflation, adaptive tau, the reserved weight.

use crate::{
	mock::*, Event, InflationMode, InflationPerBlock, Ranks, TotalMinted, WeightInfo,
};
use frame_support::{
	traits::{Get, Hooks},
	weights::RuntimeDbWeight,
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
			let reserved = Bittensor::on_initialize(2);
			let expected = <() as WeightInfo>::block_step(3, 5)
				.saturating_add(<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get().reads(2));
			assert_eq!(reserved, expected);
		});
}
