//! A mock runtime: system, balances, session (one dummy key a validator) and this pallet.
//! The session handler records what Aura and GRANDPA would be told.

use crate::{self as pallet_validator_set};
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use sp_runtime::{
	testing::UintAuthorityId,
	traits::{ConvertInto, OpaqueKeys},
	BuildStorage, KeyTypeId,
};
use std::cell::RefCell;

/// Account ids in the mock; validator `v`'s session key is `UintAuthorityId(v)`.
pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

/// Blocks per session in the mock.
pub const PERIOD: u64 = 10;
/// What a session key registration holds.
pub const KEY_DEPOSIT: u64 = 5;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		ValidatorSet: pallet_validator_set,
		Session: pallet_session,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

thread_local! {
	/// The keys of each `on_new_session` the handler saw: `(changed, current validators)`.
	pub static SESSIONS: RefCell<Vec<(bool, Vec<AccountId>)>> = const { RefCell::new(Vec::new()) };
	/// The authorities as the handler last set them (what Aura would author with).
	pub static AUTHORITIES: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Stands for Aura and GRANDPA: takes the validators' keys when the session says they changed.
pub struct Handler;
impl pallet_session::SessionHandler<AccountId> for Handler {
	const KEY_TYPE_IDS: &'static [KeyTypeId] = &[sp_runtime::key_types::DUMMY];

	fn on_genesis_session<Ks: OpaqueKeys>(validators: &[(AccountId, Ks)]) {
		AUTHORITIES.with(|a| *a.borrow_mut() = keys_of(validators));
	}

	fn on_new_session<Ks: OpaqueKeys>(
		changed: bool,
		validators: &[(AccountId, Ks)],
		_queued: &[(AccountId, Ks)],
	) {
		SESSIONS.with(|s| s.borrow_mut().push((changed, validators.iter().map(|(v, _)| *v).collect())));
		if changed {
			AUTHORITIES.with(|a| *a.borrow_mut() = keys_of(validators));
		}
	}

	fn on_disabled(_validator_index: u32) {}
}

fn keys_of<Ks: OpaqueKeys>(validators: &[(AccountId, Ks)]) -> Vec<u64> {
	validators
		.iter()
		.filter_map(|(_, k)| k.get::<UintAuthorityId>(sp_runtime::key_types::DUMMY))
		.map(|k| k.0)
		.collect()
}

parameter_types! {
	pub const Period: u64 = PERIOD;
	pub const KeyDeposit: u64 = KEY_DEPOSIT;
}

impl pallet_session::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = ValidatorSet;
	type NextSessionRotation = ValidatorSet;
	type SessionManager = ValidatorSet;
	type SessionHandler = Handler;
	type Keys = UintAuthorityId;
	type DisablingStrategy = ();
	type WeightInfo = ();
	type Currency = Balances;
	type KeyDeposit = KeyDeposit;
}

impl pallet_validator_set::Config for Test {
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxValidators = ConstU32<5>;
	type MinValidators = ConstU32<1>;
	type SessionPeriod = Period;
	type WeightInfo = ();
}

/// Validators 1, 2 and 3 at genesis with keys; 4 and 5 are endowed accounts without keys.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=6).map(|a| (a, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_validator_set::GenesisConfig::<Test> { validators: vec![1, 2, 3] }
		.assimilate_storage(&mut t)
		.unwrap();
	pallet_session::GenesisConfig::<Test> {
		keys: (1..=3).map(|v| (v, v, UintAuthorityId(v))).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	SESSIONS.with(|s| s.borrow_mut().clear());
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to `n` with every pallet's hooks.
pub fn run_to(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// The authorities as Aura and GRANDPA would hold them now.
pub fn authorities() -> Vec<u64> {
	AUTHORITIES.with(|a| a.borrow().clone())
}
