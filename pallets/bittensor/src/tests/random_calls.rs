//! Random sequences of calls and blocks, good and bad: no panic, every rejection leaves the
//! state untouched, and `try_state` holds after every block (issuance exact in integers among
//! its checks).
//!
//! CI runs 96 sequences; `scripts/fuzz.sh` runs `BITTENSOR_FUZZ_SEQUENCES` (10^5) and prints
//! what they did: calls, blocks, and the rejections by error.

use crate::{mock::*, InflationMode};
use frame_support::traits::Hooks;
use proptest::prelude::*;
use sp_arithmetic::Perbill;
use std::{collections::BTreeMap, sync::Mutex};

/// How many sequences: `$BITTENSOR_FUZZ_SEQUENCES`, or 96.
fn sequences() -> u32 {
	std::env::var("BITTENSOR_FUZZ_SEQUENCES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
}

/// What the sequences did, over all of them: calls, blocks, and rejections by error.
#[derive(Default)]
struct Tally {
	sequences: u64,
	calls: u64,
	blocks: u64,
	accepted: u64,
	rejected: BTreeMap<String, u64>,
}

static TALLY: Mutex<Option<Tally>> = Mutex::new(None);

fn tally(f: impl FnOnce(&mut Tally)) {
	let mut guard = TALLY.lock().unwrap_or_else(|e| e.into_inner());
	f(guard.get_or_insert_with(Tally::default));
}

/// The error's name as the metadata gives it (`Bittensor::NotRegistered`, `BadOrigin`, …).
fn error_name(e: &sp_runtime::DispatchError) -> String {
	match e {
		// Only this pallet's calls are made, so a module error is one of its own.
		sp_runtime::DispatchError::Module(m) => format!("Bittensor::{}", m.message.unwrap_or("?")),
		other => format!("{other:?}"),
	}
}

#[derive(Clone, Debug)]
enum Action {
	Register(u64),
	Unregister(u64),
	AddStake(u64, u128),
	RemoveStake(u64, u128),
	SetWeights(u64, Vec<(u32, u32)>),
	SetParams(Option<u32>, Option<u128>, bool),
	NotRoot(u64),
	NextBlock,
}

fn action() -> impl Strategy<Value = Action> {
	let who = 1u64..=12;
	let amount = prop_oneof![Just(0u128), 1u128..1_000_000, 1_000_000_000_000u128..100_000_000_000_000_000, Just(u128::MAX)];
	prop_oneof![
		2 => who.clone().prop_map(Action::Register),
		1 => who.clone().prop_map(Action::Unregister),
		2 => (who.clone(), amount.clone()).prop_map(|(w, a)| Action::AddStake(w, a)),
		1 => (who.clone(), amount).prop_map(|(w, a)| Action::RemoveStake(w, a)),
		4 => (who.clone(), prop::collection::vec((0u32..14, prop_oneof![Just(0u32), 0u32..=u32::MAX]), 0..20))
			.prop_map(|(w, s)| Action::SetWeights(w, s)),
		1 => (prop::option::of(0u32..=1_000_000_000), prop::option::of(prop_oneof![0u128..1_000_000_000_000_000, Just(u128::MAX)]), any::<bool>())
			.prop_map(|(e, t, a)| Action::SetParams(e, t, a)),
		1 => who.prop_map(Action::NotRoot),
		3 => Just(Action::NextBlock),
	]
}

fn apply(action: &Action) -> Result<(), sp_runtime::DispatchError> {
	let o = RuntimeOrigin::signed;
	match action.clone() {
		Action::Register(w) => Bittensor::register(o(w)),
		Action::Unregister(w) => Bittensor::unregister(o(w)),
		Action::AddStake(w, a) => Bittensor::add_stake(o(w), a),
		Action::RemoveStake(w, a) => Bittensor::remove_stake(o(w), a),
		Action::SetWeights(w, s) => Bittensor::set_weights(o(w), s).map(|_| ()).map_err(|e| e.error),
		Action::SetParams(e, t, adaptive) => Bittensor::set_params(
			RuntimeOrigin::root(),
			e.map(Perbill::from_parts),
			t,
			adaptive.then_some(InflationMode::Adaptive {
				target: Perbill::from_percent(40),
				gain: Perbill::from_percent(5),
				max: 10 * UNIT,
			}),
		),
		Action::NotRoot(w) => Bittensor::set_params(o(w), None, Some(1), None),
		Action::NextBlock => {
			next_block();
			Ok(())
		},
	}
}

/// Runs one sequence in a fresh mock: every rejection changes nothing, `try_state` holds after
/// every block (in `next_block`), and a fresh block's `on_initialize` only reserves weight.
fn run_sequence(actions: &[Action]) {
	ExtBuilder::default()
		.neurons(vec![(1, 10 * UNIT), (2, 0)])
		.epsilon(Perbill::from_percent(60))
		.build_and_execute(|| {
			let mut outcomes = Vec::with_capacity(actions.len());
			for action in actions {
				let root_before = sp_io::storage::root(sp_runtime::StateVersion::V1);
				let events_before = System::events().len();
				let result = apply(action);
				if result.is_err() {
					// A rejection changes nothing.
					assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root_before, "{action:?}");
					assert_eq!(System::events().len(), events_before);
				}
				outcomes.push((matches!(action, Action::NextBlock), result.err().map(|e| error_name(&e))));
			}
			tally(|t| {
				t.sequences += 1;
				for (block, error) in outcomes {
					if block {
						t.blocks += 1;
						continue;
					}
					t.calls += 1;
					match error {
						None => t.accepted += 1,
						Some(e) => *t.rejected.entry(e).or_default() += 1,
					}
				}
			});
			// A fresh block's on_initialize only reserves the block step's weight: it writes
			// nothing, and reserves at least the benchmarked step for the neurons there are.
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			let reserved = Bittensor::on_initialize(System::block_number());
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
			let n = crate::Neurons::<Test>::count();
			let step = <<Test as crate::Config>::WeightInfo as crate::WeightInfo>::block_step(n);
			assert!(reserved.all_gte(step), "{reserved:?} does not cover the step of {n} neurons, {step:?}");
		});
}

#[test]
fn random_calls_never_panic_and_keep_the_invariants() {
	let started = std::time::Instant::now();
	let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(sequences()));
	let result = runner.run(&prop::collection::vec(action(), 1..80), |actions| {
		run_sequence(&actions);
		Ok(())
	});
	if let Err(e) = result {
		panic!("{e}");
	}
	tally(|t| {
		println!(
			"random calls: {} sequences, {} calls ({} accepted), {} blocks (try_state after each), \
			 0 panics, 0 invariant failures, in {:.1} s",
			t.sequences,
			t.calls,
			t.accepted,
			t.blocks,
			started.elapsed().as_secs_f64()
		);
		for (error, count) in &t.rejected {
			println!("  rejected {count:>8} x {error}");
		}
	});
}
