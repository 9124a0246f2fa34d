//! `set_weights`: normalization, the bounded L2 update, departed neurons.

use crate::{mock::*, BlockStartWeights, Error, Event, TotalWeightEntries};
use frame_support::{assert_noop, assert_ok};
use sp_arithmetic::Perbill;

fn three_neurons() -> ExtBuilder {
	ExtBuilder::default()
		.neurons(vec![(1, 100 * UNIT), (2, 100 * UNIT), (3, 100 * UNIT)])
		.epsilon(Perbill::one())
}

#[test]
fn set_weights_normalizes_scores_to_exactly_one() {
	three_neurons().build_and_execute(|| {
		// Given neuron 0, when it sets raw scores 3:2:1, unsorted,
		assert_ok!(Bittensor::set_weights(
			RuntimeOrigin::signed(1),
			vec![(2, 1), (0, 3), (1, 2)]
		));
		// then its row is sorted by uid and sums to exactly one billion parts: 1/3 and 1/6
		// round down, and the missing part goes to the larger remainder (1/6: .67 > .33).
		assert_eq!(row(0), vec![(0, 500_000_000), (1, 333_333_333), (2, 166_666_667)]);
		assert_eq!(TotalWeightEntries::<Test>::get(), 3 + 1 + 1);
		assert_eq!(bittensor_events().last(), Some(&Event::WeightsSet { uid: 0, row_len: 3 }));
	});
}

#[test]
fn set_weights_drops_zero_scores() {
	three_neurons().build_and_execute(|| {
		assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 1), (1, 0), (2, 1)]));
		assert_eq!(row(0), vec![(0, 500_000_000), (2, 500_000_000)]);
	});
}

#[test]
fn set_weights_fails_when_change_exceeds_bound() {
	three_neurons().epsilon(Perbill::from_percent(50)).build_and_execute(|| {
		// From {0: 1} to {0: 0.5, 1: 0.5}: distance sqrt(0.5^2 + 0.5^2) = 0.707 > 0.5.
		assert_noop!(
			Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 1), (1, 1)]),
			Error::<Test>::WeightChangeTooLarge
		);
		// To {0: 0.7, 1: 0.3}: distance 0.3 * sqrt(2) = 0.424 <= 0.5.
		assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 7), (1, 3)]));
	});
}

#[test]
fn set_weights_bound_is_exact_at_the_edge() {
	// epsilon = 0.3: (0.3^2 + 0.3^2)^0.5 = 0.424 > 0.3, but (0.3^2)... use a one-coordinate move
	// between two existing entries: {0: .8, 1: .2} -> {0: .6, 1: .4}: 0.2 * sqrt(2) = 0.2828.
	three_neurons()
		.weights(vec![(0, vec![(0, 8), (1, 2)])])
		.epsilon(Perbill::from_parts(282_842_712)) // floor(0.2 * sqrt(2) * 1e9)
		.build_and_execute(|| {
			// (2e8)^2 * 2 = 8e16 > 282_842_712^2 = 7.99999997e16: just over.
			assert_noop!(
				Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 6), (1, 4)]),
				Error::<Test>::WeightChangeTooLarge
			);
			assert_ok!(Bittensor::set_params(
				RuntimeOrigin::root(),
				Some(Perbill::from_parts(282_842_713)),
				None,
				None
			));
			assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 6), (1, 4)]));
		});
}

#[test]
fn set_weights_bound_is_net_over_the_block() {
	three_neurons().epsilon(Perbill::from_percent(40)).build_and_execute(|| {
		// Given a first step of 0.2 * sqrt(2) = 0.283 (within 0.4),
		assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 8), (1, 2)]));
		// when a second one in the same block goes on to 0.4 * sqrt(2) = 0.566 from the start,
		// then it fails, although it is only 0.283 from the current row;
		assert_noop!(
			Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 6), (1, 4)]),
			Error::<Test>::WeightChangeTooLarge
		);
		// and going back toward the start is fine.
		assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 9), (1, 1)]));
		assert_eq!(BlockStartWeights::<Test>::get(0).unwrap().len(), 1);
		// In the next block the bound is measured from the new row.
		next_block();
		assert!(BlockStartWeights::<Test>::get(0).is_none());
		assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 7), (1, 3)]));
	});
}

#[test]
fn set_weights_rejects_bad_rows_each_with_its_error() {
	three_neurons().build_and_execute(|| {
		let o = || RuntimeOrigin::signed(1);
		assert_noop!(
			Bittensor::set_weights(RuntimeOrigin::signed(50), vec![(0, 1)]),
			Error::<Test>::NotRegistered
		);
		assert_noop!(Bittensor::set_weights(o(), vec![]), Error::<Test>::EmptyWeights);
		assert_noop!(Bittensor::set_weights(o(), vec![(1, 0), (2, 0)]), Error::<Test>::AllWeightsZero);
		assert_noop!(Bittensor::set_weights(o(), vec![(1, 1), (1, 2)]), Error::<Test>::DuplicateUid);
		assert_noop!(Bittensor::set_weights(o(), vec![(1, 1), (9, 2)]), Error::<Test>::UnknownUid);
		let too_long: Vec<(u32, u32)> = (0..=MAX_ROW).map(|j| (j, 1)).collect();
		assert_noop!(Bittensor::set_weights(o(), too_long), Error::<Test>::TooManyWeights);
	});
}

#[test]
fn departed_entries_stop_counting_and_are_renormalized_before_the_next_ranking() {
	three_neurons()
		.weights(vec![(0, vec![(0, 2), (1, 1), (2, 1)]), (1, vec![(2, 1)])])
		.build_and_execute(|| {
			// Given rows 0 -> {0: .5, 1: .25, 2: .25} and 1 -> {2: 1},
			// when neuron 2 leaves,
			assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(3)));
			// then the entries that point at it no longer count,
			assert_eq!(Bittensor::effective_row(0).unwrap(), vec![(0, 666_666_667), (1, 333_333_333)]);
			assert_eq!(Bittensor::effective_row(1).unwrap(), vec![(1, 1_000_000_000)]);
			// and after the block step the rows are stored that way.
			next_block();
			assert_eq!(row(0), vec![(0, 666_666_667), (1, 333_333_333)]);
			assert_eq!(row(1), vec![(1, 1_000_000_000)]);
			assert_eq!(TotalWeightEntries::<Test>::get(), 3);
		});
}

#[test]
fn departure_clean_up_does_not_count_against_the_l2_budget() {
	three_neurons()
		.weights(vec![(0, vec![(0, 1), (2, 1)])])
		.epsilon(Perbill::from_percent(1))
		.build_and_execute(|| {
			// Neuron 2 leaves: row 0 effectively becomes {0: 1}, a move of 0.707.
			assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(3)));
			// Setting exactly that row in the same block is within a 1% budget.
			assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 1)]));
		});
}
