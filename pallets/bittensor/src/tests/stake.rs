//! Registration and stake.

use crate::{mock::*, Error, Event, HoldReason, Neurons, NextUid, Uids};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};

fn held(who: AccountId, reason: HoldReason) -> u128 {
	Balances::balance_on_hold(&reason.into(), &who)
}

mod register {
	use super::*;

	#[test]
	fn register_works() {
		ExtBuilder::default().build_and_execute(|| {
			// Given an endowed account, when it registers,
			let free_before = Balances::balance(&7);
			assert_ok!(Bittensor::register(RuntimeOrigin::signed(7)));
			// then it is neuron 0 with full self-weight, and the deposit is held.
			assert_eq!(Uids::<Test>::get(7), Some(0));
			assert_eq!(row(0), vec![(0, 1_000_000_000)]);
			assert_eq!(held(7, HoldReason::RegistrationDeposit), DEPOSIT);
			assert_eq!(Balances::balance(&7), free_before - DEPOSIT);
			assert_eq!(stake(0), 0);
			assert_eq!(NextUid::<Test>::get(), 1);
			assert_eq!(
				bittensor_events().last(),
				Some(&Event::Registered { uid: 0, who: 7, deposit: DEPOSIT })
			);
		});
	}

	#[test]
	fn uids_are_never_reused() {
		ExtBuilder::default().build_and_execute(|| {
			assert_ok!(Bittensor::register(RuntimeOrigin::signed(1)));
			assert_ok!(Bittensor::register(RuntimeOrigin::signed(2)));
			assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(1)));
			assert_ok!(Bittensor::register(RuntimeOrigin::signed(1)));
			assert_eq!(Uids::<Test>::get(1), Some(2));
			assert_eq!(Neurons::<Test>::count(), 2);
		});
	}

	#[test]
	fn register_fails_when_already_registered() {
		ExtBuilder::default().build_and_execute(|| {
			assert_ok!(Bittensor::register(RuntimeOrigin::signed(1)));
			assert_noop!(
				Bittensor::register(RuntimeOrigin::signed(1)),
				Error::<Test>::AlreadyRegistered
			);
		});
	}

	#[test]
	fn register_fails_when_full() {
		ExtBuilder::default().build_and_execute(|| {
			for who in 1..=u64::from(MAX_NEURONS) {
				assert_ok!(Bittensor::register(RuntimeOrigin::signed(who)));
			}
			assert_noop!(
				Bittensor::register(RuntimeOrigin::signed(199)),
				Error::<Test>::TooManyNeurons
			);
		});
	}

	#[test]
	fn register_fails_when_uids_are_exhausted() {
		ExtBuilder::default().build_and_execute(|| {
			NextUid::<Test>::put(u32::MAX);
			assert_noop!(
				Bittensor::register(RuntimeOrigin::signed(1)),
				Error::<Test>::UidsExhausted
			);
		});
	}

	#[test]
	fn register_fails_without_the_deposit() {
		ExtBuilder::default().balance(300, DEPOSIT / 2).build_and_execute(|| {
			assert_noop!(
				Bittensor::register(RuntimeOrigin::signed(300)),
				Error::<Test>::InsufficientBalance
			);
		});
	}
}

mod unregister {
	use super::*;

	#[test]
	fn unregister_releases_stake_and_deposit() {
		ExtBuilder::default().neurons(vec![(5, 40 * UNIT)]).build_and_execute(|| {
			let total_before = Balances::total_balance(&5);
			assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(5)));
			assert_eq!(Balances::total_balance_on_hold(&5), 0);
			assert_eq!(Balances::balance(&5), total_before);
			assert!(Neurons::<Test>::get(0).is_none());
			assert!(Uids::<Test>::get(5).is_none());
			assert_eq!(
				bittensor_events().last(),
				Some(&Event::Unregistered { uid: 0, who: 5, stake: 40 * UNIT, deposit: DEPOSIT })
			);
		});
	}

	#[test]
	fn unregister_fails_when_not_registered() {
		ExtBuilder::default().build_and_execute(|| {
			assert_noop!(
				Bittensor::unregister(RuntimeOrigin::signed(9)),
				Error::<Test>::NotRegistered
			);
		});
	}
}

mod add_stake {
	use super::*;

	#[test]
	fn add_stake_holds_the_amount() {
		ExtBuilder::default().neurons(vec![(3, 0)]).build_and_execute(|| {
			assert_ok!(Bittensor::add_stake(RuntimeOrigin::signed(3), 25 * UNIT));
			assert_ok!(Bittensor::add_stake(RuntimeOrigin::signed(3), 5 * UNIT));
			assert_eq!(stake(0), 30 * UNIT);
			assert_eq!(held(3, HoldReason::Stake), 30 * UNIT);
			assert_eq!(
				bittensor_events().last(),
				Some(&Event::StakeAdded { uid: 0, amount: 5 * UNIT, stake: 30 * UNIT })
			);
		});
	}

	#[test]
	fn add_stake_fails_for_zero_unregistered_and_unaffordable() {
		ExtBuilder::default().neurons(vec![(3, 0)]).build_and_execute(|| {
			assert_noop!(Bittensor::add_stake(RuntimeOrigin::signed(3), 0), Error::<Test>::ZeroAmount);
			assert_noop!(
				Bittensor::add_stake(RuntimeOrigin::signed(4), UNIT),
				Error::<Test>::NotRegistered
			);
			// A stake past u128::MAX.
			assert_ok!(Bittensor::add_stake(RuntimeOrigin::signed(3), UNIT));
			assert_noop!(
				Bittensor::add_stake(RuntimeOrigin::signed(3), u128::MAX),
				Error::<Test>::Overflow
			);
			// The whole free balance cannot go on hold: the account must keep its ED.
			let free = Balances::balance(&3);
			assert_noop!(
				Bittensor::add_stake(RuntimeOrigin::signed(3), free),
				Error::<Test>::InsufficientBalance
			);
		});
	}
}

mod remove_stake {
	use super::*;

	#[test]
	fn remove_stake_releases_the_amount() {
		ExtBuilder::default().neurons(vec![(3, 10 * UNIT)]).build_and_execute(|| {
			let free = Balances::balance(&3);
			assert_ok!(Bittensor::remove_stake(RuntimeOrigin::signed(3), 4 * UNIT));
			assert_eq!(stake(0), 6 * UNIT);
			assert_eq!(held(3, HoldReason::Stake), 6 * UNIT);
			assert_eq!(Balances::balance(&3), free + 4 * UNIT);
			assert_eq!(
				bittensor_events().last(),
				Some(&Event::StakeRemoved { uid: 0, amount: 4 * UNIT, stake: 6 * UNIT })
			);
		});
	}

	#[test]
	fn remove_stake_fails_beyond_the_stake() {
		ExtBuilder::default().neurons(vec![(3, 10 * UNIT)]).build_and_execute(|| {
			assert_noop!(
				Bittensor::remove_stake(RuntimeOrigin::signed(3), 10 * UNIT + 1),
				Error::<Test>::InsufficientStake
			);
			assert_noop!(Bittensor::remove_stake(RuntimeOrigin::signed(3), 0), Error::<Test>::ZeroAmount);
			assert_noop!(
				Bittensor::remove_stake(RuntimeOrigin::signed(8), 1),
				Error::<Test>::NotRegistered
			);
		});
	}
}

/// Minted stake: pending on the pallet account until the neuron's stake is touched or settled.
mod pending {
	use super::*;
	use crate::{Pallet, Stakes};

	fn pending_hold() -> u128 {
		held(Pallet::<Test>::account_id(), HoldReason::PendingStake)
	}

	/// One neuron (account 1, 10 TAO) that voted for itself for one block: the whole tau is
	/// its `dS`, pending.
	fn minted_once(test: impl FnOnce(u128)) {
		ExtBuilder::default().neurons(vec![(1, 10 * UNIT)]).tau(UNIT).build_and_execute(|| {
			next_block();
			let ds = stake(0) - 10 * UNIT;
			assert_eq!(ds, UNIT, "one neuron gets all of tau");
			test(ds);
		});
	}

	#[test]
	fn the_block_step_mints_into_the_pending_hold() {
		ExtBuilder::default().neurons(vec![(1, 10 * UNIT), (2, 30 * UNIT)]).tau(UNIT).build_and_execute(|| {
			let issuance = Balances::total_issuance();
			next_block();
			let minted = stake(0) + stake(1) - 40 * UNIT;
			// The stake vector has the whole stakes, the accounts' holds only what they staked,
			// and the pallet account holds the difference; issuance grew by exactly that.
			assert_eq!(Stakes::<Test>::get().into_inner(), vec![(0, stake(0)), (1, stake(1))]);
			assert_eq!((held(1, HoldReason::Stake), held(2, HoldReason::Stake)), (10 * UNIT, 30 * UNIT));
			assert_eq!(pending_hold(), minted);
			assert_eq!(Balances::total_issuance(), issuance + minted);
			assert_eq!(Pallet::<Test>::pending_of(&1, stake(0)), stake(0) - 10 * UNIT);
		});
	}

	#[test]
	fn settle_stake_by_anyone_moves_the_pending_part_onto_the_hold() {
		minted_once(|ds| {
			let issuance = Balances::total_issuance();
			// Account 50 is no neuron; it settles neuron 0 all the same.
			assert_ok!(Bittensor::settle_stake(RuntimeOrigin::signed(50), 0));
			assert_eq!(held(1, HoldReason::Stake), 10 * UNIT + ds);
			assert_eq!(pending_hold(), 0);
			assert_eq!(stake(0), 10 * UNIT + ds, "settling changes where it is held, not S");
			assert_eq!(Balances::total_issuance(), issuance);
			assert_eq!(
				bittensor_events().last(),
				Some(&Event::StakeSettled { uid: 0, amount: ds, stake: 10 * UNIT + ds })
			);
			// Then nothing is left to settle, and an unknown uid is refused.
			assert_noop!(Bittensor::settle_stake(RuntimeOrigin::signed(50), 0), Error::<Test>::NothingToSettle);
			assert_noop!(Bittensor::settle_stake(RuntimeOrigin::signed(50), 9), Error::<Test>::UnknownUid);
		});
	}

	#[test]
	fn remove_stake_pays_out_the_pending_part() {
		minted_once(|ds| {
			let free = Balances::balance(&1);
			// More than was staked: the minted part counts.
			assert_ok!(Bittensor::remove_stake(RuntimeOrigin::signed(1), 10 * UNIT + ds));
			assert_eq!(Balances::balance(&1), free + 10 * UNIT + ds);
			assert_eq!((stake(0), held(1, HoldReason::Stake), pending_hold()), (0, 0, 0));
			// And not one base unit more.
			assert_noop!(Bittensor::remove_stake(RuntimeOrigin::signed(1), 1), Error::<Test>::InsufficientStake);
		});
	}

	#[test]
	fn unregister_pays_out_the_whole_stake() {
		minted_once(|ds| {
			let free = Balances::balance(&1);
			assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(1)));
			assert_eq!(Balances::balance(&1), free + 10 * UNIT + ds + DEPOSIT);
			assert_eq!(Balances::total_balance_on_hold(&1), 0);
			assert_eq!(pending_hold(), 0);
			assert!(Stakes::<Test>::get().is_empty());
			assert!(bittensor_events().contains(&Event::Unregistered {
				uid: 0,
				who: 1,
				stake: 10 * UNIT + ds,
				deposit: DEPOSIT
			}));
		});
	}

	#[test]
	fn add_stake_settles_first() {
		minted_once(|ds| {
			assert_ok!(Bittensor::add_stake(RuntimeOrigin::signed(1), 5 * UNIT));
			assert_eq!(stake(0), 15 * UNIT + ds);
			assert_eq!(held(1, HoldReason::Stake), 15 * UNIT + ds);
			assert_eq!(pending_hold(), 0);
		});
	}
}
