//! The way out: a neuron always gets its stake and deposit back (`unregister` is free of fees),
//! and the deposit that prices a slot by how many are taken.

use crate::{math, mock::*, Error, HoldReason};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::CheckIfFeeless,
	traits::fungible::{Inspect, InspectHold},
};

fn is_feeless(call: crate::Call<Test>, who: AccountId) -> bool {
	RuntimeCall::Bittensor(call).is_feeless(&RuntimeOrigin::signed(who))
}

#[test]
fn only_a_neurons_unregister_is_feeless() {
	ExtBuilder::default().neurons(vec![(1, 10 * UNIT)]).build_and_execute(|| {
		use crate::Call;
		// A registered neuron's unregister; not an account's that is not a neuron.
		assert!(is_feeless(Call::unregister {}, 1));
		assert!(!is_feeless(Call::unregister {}, 2));
		// Every other call pays, remove_stake of the whole stake included (the block step
		// would re-arm a free removal every block).
		assert!(!is_feeless(Call::remove_stake { amount: 10 * UNIT }, 1));
		assert!(!is_feeless(Call::register {}, 2));
		assert!(!is_feeless(Call::add_stake { amount: UNIT }, 1));
		assert!(!is_feeless(Call::set_weights { weights: vec![(0, 1)] }, 1));
		assert!(!is_feeless(Call::settle_stake { uid: 0 }, 1));
		// An unregistered neuron cannot unregister again for free.
		assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(1)));
		assert!(!is_feeless(Call::unregister {}, 1));
	});
}

#[test]
fn stake_all_but_the_existential_deposit_then_get_it_all_back() {
	let endowment = 100 * UNIT;
	ExtBuilder::default().balance(50, endowment).build_and_execute(|| {
		let ed = <Balances as Inspect<AccountId>>::minimum_balance();
		assert_ok!(Bittensor::register(RuntimeOrigin::signed(50)));
		let uid = Bittensor::uid_of(&50).unwrap();
		// Everything but the existential deposit goes on hold as stake: free is exactly the ED,
		let all = Balances::balance(&50) - ed;
		assert_ok!(Bittensor::add_stake(RuntimeOrigin::signed(50), all));
		assert_eq!(Balances::balance(&50), ed);
		// and one base unit more is refused.
		assert_noop!(Bittensor::add_stake(RuntimeOrigin::signed(50), 1), Error::<Test>::InsufficientBalance);
		// and the block steps mint onto the stake meanwhile.
		next_block();
		next_block();
		// The way out needs no free balance: unregistering is feeless, and gives back the whole
		// stake (the minted part included) and the deposit.
		assert!(is_feeless(crate::Call::unregister {}, 50));
		let whole = stake(uid);
		assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(50)));
		assert_eq!(Balances::balance_on_hold(&HoldReason::Stake.into(), &50), 0);
		assert_eq!(Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &50), 0);
		assert_eq!(Balances::balance(&50), ed + whole + DEPOSIT);
		// Nothing was lost: the endowment and whatever the block steps minted onto the stake.
		assert!(Balances::balance(&50) >= endowment);
	});
}

#[test]
fn the_deposit_doubles_with_each_sixteenth_of_the_slots_and_each_neuron_gets_its_own_back() {
	// MaxNeurons 64: a sixteenth is 4 neurons.
	assert_eq!(MAX_NEURONS / math::DEPOSIT_DOUBLINGS, 4);
	let neurons: Vec<(AccountId, u128)> = (1..=3).map(|a| (a, 0)).collect();
	ExtBuilder::default().neurons(neurons).build_and_execute(|| {
		// Three registered: the fourth still holds the base deposit,
		assert_eq!(Bittensor::registration_deposit(), DEPOSIT);
		assert_ok!(Bittensor::register(RuntimeOrigin::signed(4)));
		assert_eq!(Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &4), DEPOSIT);
		// the fifth (4 taken) twice that, the ninth (8 taken) four times,
		assert_eq!(Bittensor::registration_deposit(), 2 * DEPOSIT);
		for who in 5..=8 {
			assert_ok!(Bittensor::register(RuntimeOrigin::signed(who)));
			assert_eq!(Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &who), 2 * DEPOSIT);
		}
		assert_eq!(Bittensor::registration_deposit(), 4 * DEPOSIT);
		assert_eq!(Bittensor::api_params().registration_deposit, 4 * DEPOSIT);
		// and as neurons leave the price falls back, while each gets back what it held.
		let free = Balances::balance(&8);
		assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(8)));
		assert_eq!(Balances::balance(&8), free + 2 * DEPOSIT);
		assert_eq!(Bittensor::registration_deposit(), 2 * DEPOSIT);
		let free = Balances::balance(&1);
		assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(1)));
		assert_eq!(Balances::balance(&1), free + DEPOSIT);
	});
}

#[test]
fn a_newcomer_who_cannot_pay_the_price_of_the_moment_is_refused_and_nothing_changes() {
	let neurons: Vec<(AccountId, u128)> = (1..=4).map(|a| (a, 0)).collect();
	ExtBuilder::default().neurons(neurons).balance(300, 2 * DEPOSIT).build_and_execute(|| {
		// 4 taken: the price is 2 deposits, and holding it would leave no existential deposit.
		assert_eq!(Bittensor::registration_deposit(), 2 * DEPOSIT);
		assert_noop!(Bittensor::register(RuntimeOrigin::signed(300)), Error::<Test>::InsufficientBalance);
	});
}
