//! The calls, their errors (each changing nothing), and when a change reaches the authorities.

use crate::{mock::*, Error, Event, PendingRotations, QueueNext, Validators};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{testing::UintAuthorityId, DispatchError};

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

/// Account `who` registers session key `UintAuthorityId(who)`.
fn set_keys(who: u64) {
	assert_ok!(Session::set_keys(RuntimeOrigin::signed(who), UintAuthorityId(who), vec![]));
}

fn set() -> Vec<u64> {
	ValidatorSet::validators()
}

#[test]
fn genesis_gives_the_set_to_the_session_and_the_authorities() {
	new_test_ext().execute_with(|| {
		assert_eq!(set(), vec![1, 2, 3]);
		assert_eq!(Session::validators(), vec![1, 2, 3]);
		assert_eq!(authorities(), vec![1, 2, 3]);
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
fn an_added_validator_authors_from_the_second_rotation_on() {
	new_test_ext().execute_with(|| {
		set_keys(4);
		assert_ok!(ValidatorSet::add_validator(root(), 4));
		System::assert_last_event(Event::ValidatorAdded { who: 4 }.into());
		assert_eq!(set(), vec![1, 2, 3, 4]);
		assert_eq!(PendingRotations::<Test>::get(), 2);
		// Block 2 queues it; the authorities do not change yet.
		run_to(2);
		assert_eq!(Session::current_index(), 1);
		assert_eq!(Session::queued_keys().iter().map(|(v, _)| *v).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
		assert_eq!(authorities(), vec![1, 2, 3]);
		// Block 3 enacts it.
		run_to(3);
		assert_eq!(Session::current_index(), 2);
		assert_eq!(Session::validators(), vec![1, 2, 3, 4]);
		assert_eq!(authorities(), vec![1, 2, 3, 4]);
		// Then no more forced rotations: the next is the period's.
		assert_eq!(PendingRotations::<Test>::get(), 0);
		assert!(!QueueNext::<Test>::get());
		run_to(PERIOD - 1);
		assert_eq!(Session::current_index(), 2);
		run_to(PERIOD);
		assert_eq!(Session::current_index(), 3);
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
fn a_swap_replaces_in_place_and_the_removed_key_stops() {
	new_test_ext().execute_with(|| {
		set_keys(4);
		assert_ok!(ValidatorSet::swap_validator(root(), 2, 4));
		assert_eq!(set(), vec![1, 4, 3]);
		run_to(3);
		assert_eq!(Session::validators(), vec![1, 4, 3]);
		assert_eq!(authorities(), vec![1, 4, 3]);
		// The session told its handlers the set changed exactly once, at the enacting rotation.
		let changes: Vec<bool> = SESSIONS.with(|s| s.borrow().iter().map(|(c, _)| *c).collect());
		assert_eq!(changes, vec![false, true]);
	});
}

#[test]
fn a_removed_validator_leaves_the_authorities() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(root(), 3));
		System::assert_last_event(Event::ValidatorRemoved { who: 3 }.into());
		run_to(3);
		assert_eq!(authorities(), vec![1, 2]);
	});
}

#[test]
fn only_the_admin_changes_the_set() {
	new_test_ext().execute_with(|| {
		set_keys(4);
		let someone = RuntimeOrigin::signed(4);
		assert_noop!(ValidatorSet::add_validator(someone.clone(), 4), DispatchError::BadOrigin);
		assert_noop!(ValidatorSet::remove_validator(someone.clone(), 1), DispatchError::BadOrigin);
		assert_noop!(ValidatorSet::swap_validator(someone.clone(), 1, 4), DispatchError::BadOrigin);
		assert_noop!(ValidatorSet::force_rotation(someone), DispatchError::BadOrigin);
		run_to(3);
		assert_eq!(authorities(), vec![1, 2, 3]);
		assert_eq!(Session::current_index(), 0);
	});
}

#[test]
fn bad_changes_are_refused_with_distinct_errors_and_change_nothing() {
	new_test_ext().execute_with(|| {
		// Not registered any keys.
		assert_noop!(ValidatorSet::add_validator(root(), 5), Error::<Test>::NoSessionKeys);
		assert_noop!(ValidatorSet::swap_validator(root(), 1, 5), Error::<Test>::NoSessionKeys);
		assert_noop!(ValidatorSet::add_validator(root(), 2), Error::<Test>::AlreadyValidator);
		assert_noop!(ValidatorSet::remove_validator(root(), 5), Error::<Test>::NotValidator);
		set_keys(4);
		assert_noop!(ValidatorSet::swap_validator(root(), 5, 4), Error::<Test>::NotValidator);
		assert_noop!(ValidatorSet::swap_validator(root(), 1, 3), Error::<Test>::AlreadyValidator);
		assert_noop!(ValidatorSet::swap_validator(root(), 4, 4), Error::<Test>::DuplicateValidator);
	});
}

#[test]
fn the_set_stays_within_its_bounds() {
	new_test_ext().execute_with(|| {
		// Down to MinValidators (1), then no further.
		assert_ok!(ValidatorSet::remove_validator(root(), 3));
		run_to(3);
		assert_ok!(ValidatorSet::remove_validator(root(), 2));
		run_to(5);
		assert_noop!(ValidatorSet::remove_validator(root(), 1), Error::<Test>::TooFewValidators);
		assert_eq!(authorities(), vec![1]);
		// Up to MaxValidators (5), then no further.
		for who in [2, 3, 4, 5] {
			set_keys(who);
			assert_ok!(ValidatorSet::add_validator(root(), who));
			let next = System::block_number() + 2;
			run_to(next);
		}
		set_keys(6);
		assert_noop!(ValidatorSet::add_validator(root(), 6), Error::<Test>::TooManyValidators);
		assert_eq!(authorities(), vec![1, 2, 3, 4, 5]);
		assert_ok!(ValidatorSet::do_try_state());
	});
}

#[test]
fn one_change_at_a_time() {
	new_test_ext().execute_with(|| {
		set_keys(4);
		set_keys(5);
		assert_ok!(ValidatorSet::add_validator(root(), 4));
		assert_noop!(ValidatorSet::add_validator(root(), 5), Error::<Test>::ChangeInProgress);
		assert_noop!(ValidatorSet::force_rotation(root()), Error::<Test>::ChangeInProgress);
		run_to(2);
		assert_noop!(ValidatorSet::remove_validator(root(), 1), Error::<Test>::ChangeInProgress);
		run_to(3);
		assert_ok!(ValidatorSet::add_validator(root(), 5));
	});
}

#[test]
fn rotated_keys_take_effect_at_a_forced_rotation() {
	new_test_ext().execute_with(|| {
		// Validator 2 moves to key 20 (as `author_rotateKeysWithOwner` and `set_keys` would).
		assert_ok!(Session::set_keys(RuntimeOrigin::signed(2), UintAuthorityId(20), vec![]));
		run_to(3);
		assert_eq!(authorities(), vec![1, 2, 3], "no rotation yet: the old key authors");
		assert_ok!(ValidatorSet::force_rotation(root()));
		System::assert_last_event(Event::RotationForced.into());
		run_to(5);
		assert_eq!(authorities(), vec![1, 20, 3]);
		assert_eq!(Validators::<Test>::get().into_inner(), vec![1, 2, 3], "the set is unchanged");
	});
}

#[test]
fn periodic_rotations_without_a_change_change_nothing() {
	new_test_ext().execute_with(|| {
		run_to(3 * PERIOD);
		assert_eq!(Session::current_index(), 3);
		let changes: Vec<bool> = SESSIONS.with(|s| s.borrow().iter().map(|(c, _)| *c).collect());
		assert_eq!(changes, vec![false, false, false], "GRANDPA starts no new set each period");
		assert_eq!(authorities(), vec![1, 2, 3]);
	});
}
