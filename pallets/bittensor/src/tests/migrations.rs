//! Storage migrations, each from its old layout written raw into the mock.

use crate::{
	migrations::{
		v1::{InnerMigrateV0ToV1, MigrateV0ToV1},
		v2::MigrateV1ToV2,
		v3::MigrateV2ToV3,
	},
	mock::*, GenesisIssuance, HoldReason, Neurons, Pallet, Stakes, TotalWeightEntries, Weights,
};
use codec::Encode;
use frame_support::{
	storage::unhashed,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion, UncheckedOnRuntimeUpgrade},
};
use sp_io::hashing::{twox_128, twox_64};

/// The raw key of `Bittensor::<item>` (a value) or of one of its `Twox64Concat` `u32` keys.
fn key(item: &str, uid: Option<u32>) -> Vec<u8> {
	let mut k = [twox_128(b"Bittensor"), twox_128(item.as_bytes())].concat();
	if let Some(uid) = uid {
		k.extend(twox_64(&uid.encode()));
		k.extend(uid.encode());
	}
	k
}

mod v1 {
	use super::*;

	/// Version 0 on a chain whose genesis clipped a row: rows `(uid, parts)` as v0 encodes
	/// them, and a counter that counted 7 entries more than the rows hold.
	fn v0_chain() -> Vec<(u32, Vec<(u32, u32)>)> {
		let rows = vec![
			(0, vec![(0, 600_000_000), (1, 400_000_000)]),
			(1, vec![(1, 1_000_000_000)]),
			(2, vec![(0, 250_000_000), (1, 250_000_000), (2, 500_000_000)]),
		];
		for (uid, row) in &rows {
			unhashed::put_raw(&key("Weights", Some(*uid)), &row.encode());
		}
		unhashed::put_raw(&key("TotalWeightEntries", None), &(6u64 + 7).encode());
		StorageVersion::new(0).put::<Pallet<Test>>();
		rows
	}

	fn genesis() -> ExtBuilder {
		ExtBuilder::default().neurons(vec![(1, 100 * UNIT), (2, 50 * UNIT), (3, 10 * UNIT)])
	}

	#[test]
	fn migrate_v0_to_v1_recounts_entries_and_keeps_rows() {
		genesis().build_and_execute(|| {
			// Given a chain at storage version 0 with a drifted entry counter,
			let rows = v0_chain();
			assert_eq!(
				Bittensor::do_try_state(),
				Err(sp_runtime::TryRuntimeError::Other("entry counter differs from the rows")),
				"the drift is what try_state catches"
			);
			let neurons: Vec<_> = Neurons::<Test>::iter().collect();

			// when the step runs (with its pre/post checks under try-runtime),
			#[cfg(feature = "try-runtime")]
			let weight = MigrateV0ToV1::<Test>::try_on_runtime_upgrade(true).unwrap();
			#[cfg(not(feature = "try-runtime"))]
			let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();

			// then the chain is at version 1, the counter is the rows' 6 entries, every row
			// reads back as today's type unchanged, the neurons are untouched,
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
			assert_eq!(TotalWeightEntries::<Test>::get(), 6);
			for (uid, row) in rows {
				assert_eq!(
					Weights::<Test>::get(uid).unwrap().iter().map(|(j, w)| (*j, w.deconstruct())).collect::<Vec<_>>(),
					row
				);
			}
			assert_eq!(Neurons::<Test>::iter().collect::<Vec<_>>(), neurons);
			// it cost the three rows and the counter, plus the version's read and write,
			let db = <Test as frame_system::Config>::DbWeight::get();
			assert_eq!(weight, db.reads_writes(3 + 1, 1) + db.reads_writes(1, 1));
			// and the invariants hold.
			Bittensor::do_try_state().unwrap();
		});
	}

	#[test]
	fn migrate_v0_to_v1_twice_changes_nothing() {
		genesis().build_and_execute(|| {
			// Given a chain that ran the step once,
			v0_chain();
			MigrateV0ToV1::<Test>::on_runtime_upgrade();
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);

			// when it runs again, then it only reads the version and the state is as it was;
			let weight = MigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(weight, <Test as frame_system::Config>::DbWeight::get().reads(1));
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
			// and the step itself, run again past the version gate, changes nothing either.
			InnerMigrateV0ToV1::<Test>::on_runtime_upgrade();
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}

	#[test]
	#[should_panic(expected = "more than MaxWeightsPerRow")]
	fn genesis_refuses_a_row_longer_than_max_weights_per_row() {
		// Version 1 chains cannot start with the drift that the step repairs.
		let neurons: Vec<_> = (1..=MAX_ROW as u64 + 1).map(|a| (a, UNIT)).collect();
		let long_row: Vec<_> = (0..=MAX_ROW).map(|j| (j, 1)).collect();
		ExtBuilder::default().neurons(neurons).weights(vec![(0, long_row)]).build();
	}
}

mod v2 {
	use super::*;
	use frame_support::traits::fungible::{Inspect, InspectHold, Mutate};

	/// Version 1 as it stood: records `(account, stake, deposit)` with every stake held on its
	/// account, no stake vector, no pallet account. Returns the records.
	fn v1_chain() -> Vec<(u32, (u64, u128, u128))> {
		let records: Vec<(u32, (u64, u128, u128))> = Neurons::<Test>::iter()
			.map(|(uid, n)| (uid, (n.account, stake(uid), n.deposit)))
			.collect();
		for (uid, record) in &records {
			unhashed::put_raw(&key("Neurons", Some(*uid)), &record.encode());
		}
		unhashed::kill(&key("Stakes", None));
		// The pallet account did not exist; its existential deposit was not in issuance.
		let account = Pallet::<Test>::account_id();
		let ed = Balances::balance(&account);
		Balances::set_balance(&account, 0);
		GenesisIssuance::<Test>::mutate(|i| *i -= ed);
		StorageVersion::new(1).put::<Pallet<Test>>();
		records
	}

	fn genesis() -> ExtBuilder {
		ExtBuilder::default()
			.neurons(vec![(1, 100 * UNIT), (2, 50 * UNIT), (3, 0), (4, 7 * UNIT + 3)])
			.weights(vec![(0, vec![(1, 1), (2, 1)]), (3, vec![(0, 2), (3, 1)])])
	}

	#[test]
	fn migrate_v1_to_v2_moves_every_stake_into_the_vector() {
		genesis().build_and_execute(|| {
			// Given a version 1 chain (a neuron that left, so the uids have a gap),
			assert_ok_unregister(3);
			let records = v1_chain();
			let rows: Vec<_> = Weights::<Test>::iter().collect();
			let issuance = Balances::total_issuance();
			assert!(Bittensor::do_try_state().is_err(), "version 2 cannot read it");

			// when the step runs (with its pre/post checks under try-runtime),
			#[cfg(feature = "try-runtime")]
			let weight = MigrateV1ToV2::<Test>::try_on_runtime_upgrade(true).unwrap();
			#[cfg(not(feature = "try-runtime"))]
			let weight = MigrateV1ToV2::<Test>::on_runtime_upgrade();

			// then it is at version 2, every neuron kept its account, deposit and stake, all of
			// it settled, the rows are untouched,
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
			let expected: Vec<(u32, u128)> = records.iter().map(|(uid, (_, s, _))| (*uid, *s)).collect();
			let mut expected = expected;
			expected.sort();
			assert_eq!(Stakes::<Test>::get().into_inner(), expected);
			assert_eq!(expected.iter().map(|(u, _)| *u).collect::<Vec<_>>(), vec![0, 1, 3]);
			for (uid, (account, s, deposit)) in records {
				let now = Neurons::<Test>::get(uid).unwrap();
				assert_eq!((now.account, now.deposit), (account, deposit));
				assert_eq!(Balances::balance_on_hold(&HoldReason::Stake.into(), &account), s);
			}
			assert_eq!(Weights::<Test>::iter().collect::<Vec<_>>(), rows);
			// the pallet account exists with its existential deposit, minted and accounted,
			let ed = <Balances as Inspect<_>>::minimum_balance();
			assert_eq!(Balances::balance(&Pallet::<Test>::account_id()), ed);
			assert_eq!(Balances::total_issuance(), issuance + ed);
			// it cost two reads and a write a neuron and a few more, plus the version's,
			let db = <Test as frame_system::Config>::DbWeight::get();
			assert_eq!(weight, db.reads_writes(2 * 3 + 3, 3 + 4) + db.reads_writes(1, 1));
			// and the invariants hold, through the next block too.
			Bittensor::do_try_state().unwrap();
			next_block();
		});
	}

	fn assert_ok_unregister(who: u64) {
		frame_support::assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(who)));
	}

	#[test]
	fn migrate_v1_to_v2_twice_changes_nothing() {
		genesis().build_and_execute(|| {
			v1_chain();
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let weight = MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(weight, <Test as frame_system::Config>::DbWeight::get().reads(1));
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}
}

mod v3 {
	use super::*;
	use crate::{NeuronsDigest, RankedEntries};

	fn genesis() -> ExtBuilder {
		ExtBuilder::default().neurons(vec![(1, 100 * UNIT), (2, 50 * UNIT), (3, 10 * UNIT)])
	}

	#[test]
	fn migrate_v2_to_v3_starts_the_digest_from_the_records() {
		// Given a chain whose neuron 1 left, at version 2 (no digest),
		genesis().build_and_execute(|| {
			frame_support::assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(2)));
			next_block();
			let records = Bittensor::api_neuron_records().1;
			let ranked = RankedEntries::<Test>::get();
			assert_eq!(ranked.len(), 2);
			unhashed::kill(&key("NeuronsDigest", None));
			unhashed::kill(&key("RankedEntries", None));
			StorageVersion::new(2).put::<Pallet<Test>>();
			assert!(Bittensor::do_try_state().is_err(), "version 3 misses the ranked lengths");
			// At the block that set the code (before its migration), the runtime API makes the
			// digest from the records, as the migration will store it.
			let before = Bittensor::api_neuron_states().0;
			assert_eq!(Bittensor::api_neuron_records().0, before);

			// when the step runs (with its pre/post checks under try-runtime),
			#[cfg(feature = "try-runtime")]
			let weight = MigrateV2ToV3::<Test>::try_on_runtime_upgrade(true).unwrap();
			#[cfg(not(feature = "try-runtime"))]
			let weight = MigrateV2ToV3::<Test>::on_runtime_upgrade();

			// then it is at version 3, the records are as they were, and the digest is that
			// of registering them one after another by uid from zero, by hand:
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 3);
			assert_eq!(Bittensor::api_neuron_records().1, records);
			let mut digest = [0u8; 32];
			for (uid, n) in &records {
				let change = (0u8, *uid, n.account, n.deposit);
				digest = sp_io::hashing::blake2_256(&(b"bittensor/neurons", digest, change).encode());
			}
			assert_eq!(NeuronsDigest::<Test>::get(), digest);
			assert_eq!(before, digest);
			// the ranked lengths are the last step's,
			assert_eq!(RankedEntries::<Test>::get(), ranked);
			// it cost two reads a neuron, three more and two writes, plus the version's,
			let db = <Test as frame_system::Config>::DbWeight::get();
			assert_eq!(weight, db.reads_writes(2 + 2 + 2, 2) + db.reads_writes(1, 1));
			// and a registration then goes on from it.
			frame_support::assert_ok!(Bittensor::register(RuntimeOrigin::signed(5)));
			assert_ne!(NeuronsDigest::<Test>::get(), digest);
			Bittensor::do_try_state().unwrap();
			next_block();
		});
	}

	#[test]
	fn migrate_v2_to_v3_twice_changes_nothing() {
		genesis().build_and_execute(|| {
			StorageVersion::new(2).put::<Pallet<Test>>();
			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let weight = MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert_eq!(weight, <Test as frame_system::Config>::DbWeight::get().reads(1));
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}
}

mod v4 {
	use super::*;
	use crate::{math, migrations::v4::MigrateV3ToV4, Inflation, InflationMode, InflationPerBlock};
	use sp_arithmetic::Perbill;

	fn adaptive(max: u128) -> InflationMode {
		InflationMode::Adaptive { target: Perbill::from_percent(50), gain: Perbill::from_percent(1), max }
	}

	#[test]
	fn migrate_v3_to_v4_brings_tau_under_the_adaptive_max_and_the_max_under_max_tau() {
		for (tau, mode, want_tau, want_mode) in [
			// What version 3's set_params let through: tau above the adaptive max.
			(5 * UNIT, adaptive(2 * UNIT), 2 * UNIT, adaptive(2 * UNIT)),
			// What version 3's genesis let through: a max above MAX_TAU.
			(UNIT, adaptive(u128::MAX), UNIT, adaptive(math::MAX_TAU)),
			// Agreeing parameters stay as they are.
			(UNIT, adaptive(2 * UNIT), UNIT, adaptive(2 * UNIT)),
			(7 * UNIT, InflationMode::Fixed, 7 * UNIT, InflationMode::Fixed),
		] {
			ExtBuilder::default().neurons(vec![(1, UNIT)]).build_and_execute(|| {
				InflationPerBlock::<Test>::put(tau);
				Inflation::<Test>::put(mode);
				StorageVersion::new(3).put::<Pallet<Test>>();
				if math::params_agree(tau, &mode).is_err() {
					assert!(Bittensor::do_try_state().is_err(), "version 4's try_state sees {tau} {mode:?}");
				}
				#[cfg(feature = "try-runtime")]
				MigrateV3ToV4::<Test>::try_on_runtime_upgrade(true).unwrap();
				#[cfg(not(feature = "try-runtime"))]
				MigrateV3ToV4::<Test>::on_runtime_upgrade();
				assert_eq!(Pallet::<Test>::on_chain_storage_version(), 4);
				assert_eq!((InflationPerBlock::<Test>::get(), Inflation::<Test>::get()), (want_tau, want_mode));
				Bittensor::do_try_state().unwrap();
			});
		}
	}

	#[test]
	fn migrate_v3_to_v4_twice_changes_nothing() {
		ExtBuilder::default().build_and_execute(|| {
			InflationPerBlock::<Test>::put(5 * UNIT);
			Inflation::<Test>::put(adaptive(2 * UNIT));
			StorageVersion::new(3).put::<Pallet<Test>>();
			MigrateV3ToV4::<Test>::on_runtime_upgrade();
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let weight = MigrateV3ToV4::<Test>::on_runtime_upgrade();
			assert_eq!(weight, <Test as frame_system::Config>::DbWeight::get().reads(1));
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}
}
