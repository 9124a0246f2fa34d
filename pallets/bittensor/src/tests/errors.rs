//! `set_params` and origins.

use crate::{mock::*, math, Error, Event, Inflation, InflationMode, InflationPerBlock, MaxWeightChange};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Perbill;
use sp_runtime::DispatchError;

#[test]
fn set_params_works_for_root_and_reports_the_values_in_force() {
	ExtBuilder::default().build_and_execute(|| {
		let mode = InflationMode::Adaptive {
			target: Perbill::from_percent(30),
			gain: Perbill::from_percent(1),
			max: 5 * UNIT,
		};
		assert_ok!(Bittensor::set_params(RuntimeOrigin::root(), None, Some(2 * UNIT), Some(mode)));
		assert_eq!(InflationPerBlock::<Test>::get(), 2 * UNIT);
		assert_eq!(Inflation::<Test>::get(), mode);
		assert_eq!(MaxWeightChange::<Test>::get(), Perbill::from_percent(50));
		assert_eq!(
			bittensor_events().last(),
			Some(&Event::ParamsChanged {
				max_weight_change: Perbill::from_percent(50),
				inflation_per_block: 2 * UNIT,
				inflation_mode: mode,
			})
		);
	});
}

#[test]
fn set_params_fails_for_a_signed_origin() {
	ExtBuilder::default().neurons(vec![(1, UNIT)]).build_and_execute(|| {
		assert_noop!(
			Bittensor::set_params(RuntimeOrigin::signed(1), None, Some(UNIT), None),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_params_fails_with_nothing_to_change_or_too_much_inflation() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Bittensor::set_params(RuntimeOrigin::root(), None, None, None),
			Error::<Test>::NothingToChange
		);
		assert_noop!(
			Bittensor::set_params(RuntimeOrigin::root(), None, Some(math::MAX_TAU + 1), None),
			Error::<Test>::InflationTooLarge
		);
		let mode = InflationMode::Adaptive {
			target: Perbill::zero(),
			gain: Perbill::zero(),
			max: math::MAX_TAU + 1,
		};
		assert_noop!(
			Bittensor::set_params(RuntimeOrigin::root(), None, None, Some(mode)),
			Error::<Test>::InflationTooLarge
		);
	});
}

fn adaptive(max: u128) -> InflationMode {
	InflationMode::Adaptive { target: Perbill::from_percent(50), gain: Perbill::from_percent(1), max }
}

#[test]
fn set_params_refuses_a_tau_above_the_adaptive_max_however_it_comes() {
	// Genesis: tau 1 TAO, adaptive up to 2 TAO.
	ExtBuilder::default().mode(adaptive(2 * UNIT)).build_and_execute(|| {
		// A tau above the stored max,
		assert_noop!(
			Bittensor::set_params(RuntimeOrigin::root(), None, Some(3 * UNIT), None),
			Error::<Test>::InflationAboveAdaptiveMax
		);
		// a max below the stored tau,
		assert_noop!(
			Bittensor::set_params(RuntimeOrigin::root(), None, None, Some(adaptive(UNIT / 2))),
			Error::<Test>::InflationAboveAdaptiveMax
		);
		// or both given and apart: each refused, nothing changed (`assert_noop`).
		assert_noop!(
			Bittensor::set_params(RuntimeOrigin::root(), None, Some(5 * UNIT), Some(adaptive(4 * UNIT))),
			Error::<Test>::InflationAboveAdaptiveMax
		);
		// Both given together may move past the stored pair: tau 5 with max 8.
		assert_ok!(Bittensor::set_params(RuntimeOrigin::root(), None, Some(5 * UNIT), Some(adaptive(8 * UNIT))));
		// Back to fixed, tau needs only be at most MAX_TAU.
		assert_ok!(Bittensor::set_params(RuntimeOrigin::root(), None, Some(100 * UNIT), Some(InflationMode::Fixed)));
		assert_eq!(InflationPerBlock::<Test>::get(), 100 * UNIT);
	});
}

#[test]
fn epsilon_zero_freezes_every_row() {
	ExtBuilder::default()
		.neurons(vec![(1, UNIT), (2, UNIT)])
		.epsilon(Perbill::zero())
		.build_and_execute(|| {
			// The row as it stands passes (a move of 0); any other is too large a change.
			assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 7)]));
			assert_noop!(
				Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 999_999_999), (1, 1)]),
				Error::<Test>::WeightChangeTooLarge
			);
		});
}

mod genesis {
	use super::*;

	#[test]
	#[should_panic(expected = "genesis: inflationPerBlock (3000000000000) is above the adaptive mode's max")]
	fn refuses_a_tau_above_the_adaptive_max() {
		ExtBuilder::default().tau(3 * UNIT).mode(adaptive(2 * UNIT)).build();
	}

	#[test]
	#[should_panic(expected = "genesis: inflationPerBlock or the adaptive max is above math::MAX_TAU")]
	fn refuses_an_adaptive_max_above_max_tau() {
		ExtBuilder::default().tau(0).mode(adaptive(math::MAX_TAU + 1)).build();
	}

	#[test]
	#[should_panic(expected = "genesis: inflationPerBlock or the adaptive max is above math::MAX_TAU")]
	fn refuses_a_fixed_tau_above_max_tau() {
		ExtBuilder::default().tau(math::MAX_TAU + 1).build();
	}

	#[test]
	#[should_panic(expected = "genesis: row 0 names unregistered uid 5")]
	fn refuses_a_row_naming_an_unregistered_uid() {
		ExtBuilder::default().neurons(vec![(1, UNIT)]).weights(vec![(0, vec![(5, 1)])]).build();
	}

	#[test]
	fn takes_a_tau_at_the_adaptive_max() {
		ExtBuilder::default().tau(2 * UNIT).mode(adaptive(2 * UNIT)).build_and_execute(|| {
			assert_eq!(InflationPerBlock::<Test>::get(), 2 * UNIT);
		});
	}
}
