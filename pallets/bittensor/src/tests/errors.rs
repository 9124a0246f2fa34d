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
