//! A mock runtime: system, balances and this pallet, with small bounds.

use crate::{self as pallet_bittensor, InflationMode, Uid};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstBool, ConstU128, ConstU32, Hooks},
};
use sp_arithmetic::Perbill;
use sp_runtime::BuildStorage;

/// Account ids in the mock.
pub type AccountId = u64;
type Block = frame_system::mocking::MockBlock<Test>;

/// One TAO: 10^12 base units, as in the runtime.
pub const UNIT: u128 = 1_000_000_000_000;
/// The registration deposit in the mock.
pub const DEPOSIT: u128 = UNIT;
/// What every endowed account holds at genesis.
pub const ENDOWMENT: u128 = 1_000_000_000 * UNIT;
/// The most neurons in the mock.
pub const MAX_NEURONS: u32 = 64;
/// The longest row in the mock.
pub const MAX_ROW: u32 = 16;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Bittensor: pallet_bittensor,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u128>;
	// Real database weights, so that tests of costs (migrations, the block step) compare
	// non-zero amounts.
	type DbWeight = frame_support::weights::constants::RocksDbWeight;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = u128;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub const MaxNeurons: u32 = MAX_NEURONS;
	pub const BittensorPalletId: frame_support::PalletId = frame_support::PalletId(*b"bt/stake");
}

impl pallet_bittensor::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxNeurons = MaxNeurons;
	type MaxWeightsPerRow = ConstU32<MAX_ROW>;
	type RegistrationDeposit = ConstU128<DEPOSIT>;
	type IssuanceIsClosed = ConstBool<true>;
	type PalletId = BittensorPalletId;
	type WeightInfo = ();
}

/// Builds the genesis of a test.
pub struct ExtBuilder {
	endowed: Vec<(AccountId, u128)>,
	neurons: Vec<(AccountId, u128)>,
	weights: Vec<(Uid, Vec<(Uid, u32)>)>,
	epsilon: Perbill,
	tau: u128,
	mode: InflationMode,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			endowed: (1..=200).map(|a| (a, ENDOWMENT)).collect(),
			neurons: vec![],
			weights: vec![],
			epsilon: Perbill::from_percent(50),
			tau: UNIT,
			mode: InflationMode::Fixed,
		}
	}
}

impl ExtBuilder {
	/// Neurons at genesis: `(account, stake)`, given uids 0, 1, … in order.
	pub fn neurons(mut self, neurons: Vec<(AccountId, u128)>) -> Self {
		self.neurons = neurons;
		self
	}
	/// Genesis rows `(uid, raw scores)`.
	pub fn weights(mut self, weights: Vec<(Uid, Vec<(Uid, u32)>)>) -> Self {
		self.weights = weights;
		self
	}
	/// Epsilon.
	pub fn epsilon(mut self, epsilon: Perbill) -> Self {
		self.epsilon = epsilon;
		self
	}
	/// Tau.
	pub fn tau(mut self, tau: u128) -> Self {
		self.tau = tau;
		self
	}
	/// Inflation mode.
	pub fn mode(mut self, mode: InflationMode) -> Self {
		self.mode = mode;
		self
	}
	/// An account's genesis balance.
	pub fn balance(mut self, who: AccountId, amount: u128) -> Self {
		self.endowed.retain(|(a, _)| *a != who);
		self.endowed.push((who, amount));
		self
	}

	/// The externalities of this genesis, at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.endowed, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_bittensor::GenesisConfig::<Test> {
			max_weight_change: self.epsilon,
			inflation_per_block: self.tau,
			inflation_mode: self.mode,
			neurons: self.neurons,
			weights: self.weights,
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			// What a runtime's genesis does for every pallet (`OnGenesis`).
			use frame_support::traits::GetStorageVersion;
			Bittensor::in_code_storage_version().put::<Bittensor>();
		});
		ext
	}

	/// Runs `test` at block 1, then ends the block (the block step runs) and checks the pallet's
	/// invariants (`try_state`).
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			Bittensor::do_try_state().expect("invariants hold at genesis");
			test();
			next_block();
		})
	}
}

/// Ends the current block (the block step runs), checks the invariants, and starts the next.
pub fn next_block() {
	let now = System::block_number();
	Bittensor::on_finalize(now);
	Bittensor::do_try_state().expect("invariants hold after every block");
	System::set_block_number(now + 1);
	Bittensor::on_initialize(now + 1);
}

/// The pallet's events so far, oldest first.
pub fn bittensor_events() -> Vec<pallet_bittensor::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Bittensor(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// A row as `(uid, parts)`.
pub fn row(uid: Uid) -> Vec<(Uid, u32)> {
	pallet_bittensor::Weights::<Test>::get(uid)
		.map(|r| r.iter().map(|(j, w)| (*j, w.deconstruct())).collect())
		.unwrap_or_default()
}

/// A neuron's whole stake `S_uid` (settled and pending).
pub fn stake(uid: Uid) -> u128 {
	Bittensor::stake_of(uid).unwrap_or(0)
}
