//! The reads behind the runtime API.

use crate::{mock::*, ChainParams, InflationMode, NeuronInfo, Ranks};
use frame_support::assert_ok;
use sp_arithmetic::Perbill;

fn p(parts: u32) -> Perbill {
	Perbill::from_parts(parts)
}

#[test]
fn neurons_come_by_uid_with_their_rank_and_effective_row() {
	ExtBuilder::default()
		.neurons(vec![(1, 300 * UNIT), (2, 200 * UNIT), (3, 100 * UNIT)])
		.weights(vec![(0, vec![(0, 2), (1, 1), (2, 1)]), (1, vec![(0, 1)])])
		.build_and_execute(|| {
			// Given a block step over three neurons,
			next_block();
			let ranks = Ranks::<Test>::get().into_inner();
			assert_eq!(ranks.len(), 3);
			// then every neuron comes back, sorted by uid, with the rank of the step and the
			// stake after its inflation.
			let all = Bittensor::api_neurons();
			assert_eq!(all.iter().map(|n| n.uid).collect::<Vec<_>>(), vec![0, 1, 2]);
			for info in &all {
				assert_eq!(Some(info.clone()), Bittensor::api_neuron(info.uid));
				assert_eq!(info.stake, stake(info.uid));
				assert_eq!(info.deposit, DEPOSIT);
				assert_eq!(info.rank, ranks[info.uid as usize].1);
				assert_eq!(Bittensor::api_stake(info.uid), Some(info.stake));
				assert_eq!(Bittensor::api_uid_of(info.account), Some(info.uid));
			}
			assert_eq!(all[0].weights, vec![(0, p(500_000_000)), (1, p(250_000_000)), (2, p(250_000_000))]);
			assert_eq!(all[1].weights, vec![(0, Perbill::one())]);
			// A neuron without weights has full self-weight.
			assert_eq!(all[2].weights, vec![(2, Perbill::one())]);
			assert_eq!(Bittensor::api_ranks(), ranks);

			// When neuron 2 leaves, it is gone from every read at once, and row 0 counts
			// without it, renormalized, both in the list and for the single reads.
			assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(3)));
			let all = Bittensor::api_neurons();
			assert_eq!(all.iter().map(|n| n.uid).collect::<Vec<_>>(), vec![0, 1]);
			let row0 = vec![(0, p(666_666_667)), (1, p(333_333_333))];
			assert_eq!(all[0].weights, row0);
			assert_eq!(Bittensor::api_weights(0), Some(row0));
			assert_eq!(Bittensor::api_neuron(2), None);
			assert_eq!(Bittensor::api_stake(2), None);
			assert_eq!(Bittensor::api_weights(2), None);
			assert_eq!(Bittensor::api_uid_of(3), None);
		});
}

#[test]
fn a_neuron_registered_after_the_last_step_has_rank_zero() {
	ExtBuilder::default().neurons(vec![(1, 100 * UNIT)]).build_and_execute(|| {
		next_block();
		assert!(Bittensor::api_neuron(0).unwrap().rank > 0);
		assert_ok!(Bittensor::register(RuntimeOrigin::signed(2)));
		let new = Bittensor::api_neuron(1).unwrap();
		assert_eq!((new.account, new.stake, new.rank), (2, 0, 0));
		assert_eq!(new.weights, vec![(1, Perbill::one())]);
	});
}

#[test]
fn params_report_storage_constants_and_counters() {
	let mode = InflationMode::Adaptive { target: p(500_000_000), gain: p(10_000_000), max: 7 * UNIT };
	ExtBuilder::default()
		.neurons(vec![(1, 100 * UNIT), (2, 100 * UNIT)])
		.weights(vec![(0, vec![(0, 1), (1, 1)])])
		.epsilon(p(250_000_000))
		.tau(3 * UNIT)
		.mode(mode)
		.build_and_execute(|| {
			assert_eq!(
				Bittensor::api_params(),
				ChainParams {
					max_weight_change: p(250_000_000),
					inflation_per_block: 3 * UNIT,
					inflation_mode: mode,
					max_neurons: MAX_NEURONS,
					max_weights_per_row: MAX_ROW,
					registration_deposit: DEPOSIT,
					neuron_count: 2,
					next_uid: 2,
					total_weight_entries: 3,
					total_minted: 0,
				}
			);
			next_block();
			let after = Bittensor::api_params();
			assert_eq!(after.total_minted, crate::TotalMinted::<Test>::get());
			assert!(after.total_minted > 0);
		});
}

#[test]
fn unknown_uids_read_as_none() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Bittensor::api_neurons(), Vec::<NeuronInfo<u64>>::new());
		assert_eq!(Bittensor::api_neuron(0), None);
		assert_eq!(Bittensor::api_ranks(), vec![]);
		assert_eq!(Bittensor::api_weights(0), None);
	});
}

#[test]
fn the_lite_metagraph_is_the_full_one_without_rows_and_rows_come_on_request() {
	ExtBuilder::default()
		.neurons(vec![(1, 300 * UNIT), (2, 200 * UNIT), (3, 100 * UNIT)])
		.weights(vec![(0, vec![(0, 2), (1, 1), (2, 1)]), (1, vec![(0, 1)])])
		.build_and_execute(|| {
			next_block();
			let full = Bittensor::api_neurons();
			let lite = Bittensor::api_neurons_lite();
			assert_eq!(lite.len(), full.len());
			for (l, f) in lite.iter().zip(&full) {
				assert_eq!(
					(l.uid, l.account, l.stake, l.deposit, l.rank, l.entries as usize),
					(f.uid, f.account, f.stake, f.deposit, f.rank, f.weights.len())
				);
			}
			assert_eq!(lite.iter().map(|l| l.entries).collect::<Vec<_>>(), vec![3, 1, 1]);
			// Rows of a set, in the order asked, None for a uid never given out;
			assert_eq!(
				Bittensor::api_rows(Some(vec![2, 9, 0])),
				vec![(2, Some(full[2].weights.clone())), (9, None), (0, Some(full[0].weights.clone()))]
			);
			// all rows by uid.
			let all: Vec<_> = full.iter().map(|n| (n.uid, Some(n.weights.clone()))).collect();
			assert_eq!(Bittensor::api_rows(None), all);

			// When neuron 2 leaves, the lite view drops it at once; row 0's count is the row as
			// the last block step ranked it, with its entry for uid 2, until the next step.
			assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(3)));
			let lite = Bittensor::api_neurons_lite();
			assert_eq!(lite.iter().map(|l| (l.uid, l.entries)).collect::<Vec<_>>(), vec![(0, 3), (1, 1)]);
			// Its rows leave the departed entry out at once, renormalized.
			let row0 = vec![(0, p(666_666_667)), (1, p(333_333_333))];
			assert_eq!(Bittensor::api_rows(Some(vec![0])), vec![(0, Some(row0))]);
			next_block();
			assert_eq!(Bittensor::api_neurons_lite()[0].entries, 2);
		});
}

#[test]
fn the_lite_metagraph_is_its_records_and_states_and_counts_rows_as_ranked() {
	ExtBuilder::default()
		.neurons(vec![(1, 300 * UNIT), (2, 200 * UNIT), (3, 100 * UNIT)])
		.weights(vec![(0, vec![(0, 2), (1, 1), (2, 1)])])
		.epsilon(Perbill::one())
		.build_and_execute(|| {
			// Before any block step (genesis), a row's count is its stored length.
			let (_, states) = Bittensor::api_neuron_states();
			assert_eq!(states.iter().map(|s| (s.uid, s.entries)).collect::<Vec<_>>(), vec![(0, 3), (1, 1), (2, 1)]);
			next_block();
			let (digest, records) = Bittensor::api_neuron_records();
			let (same, states) = Bittensor::api_neuron_states();
			assert_eq!(digest, same);
			let lite = Bittensor::api_neurons_lite();
			assert_eq!(lite.len(), 3);
			for ((l, (uid, record)), state) in lite.iter().zip(&records).zip(&states) {
				assert_eq!((l.uid, l.account, l.deposit), (*uid, record.account, record.deposit));
				assert_eq!((l.uid, l.stake, l.rank, l.entries), (state.uid, state.stake, state.rank, state.entries));
			}
			// A row set in this block counts as the step ranks it, at the end of the block.
			assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(2), vec![(0, 1), (1, 1)]));
			assert_eq!(Bittensor::api_neuron_states().1[1].entries, 1);
			next_block();
			assert_eq!(Bittensor::api_neuron_states().1[1].entries, 2);
		});
}

#[test]
fn the_records_digest_changes_with_the_records_and_only_with_them() {
	let chain = || ExtBuilder::default().neurons(vec![(1, 300 * UNIT), (2, 200 * UNIT)]).epsilon(Perbill::one());
	let mut digests = Vec::new();
	chain().build_and_execute(|| {
		let (d0, records) = Bittensor::api_neuron_records();
		assert_eq!(records.iter().map(|(uid, n)| (*uid, n.account)).collect::<Vec<_>>(), vec![(0, 1), (1, 2)]);
		// Stake, weights and the block step leave it as it is;
		assert_ok!(Bittensor::add_stake(RuntimeOrigin::signed(1), UNIT));
		assert_ok!(Bittensor::set_weights(RuntimeOrigin::signed(1), vec![(0, 1), (1, 1)]));
		next_block();
		assert_eq!(Bittensor::api_neuron_records().0, d0);
		assert_eq!(Bittensor::api_neuron_states().0, d0);
		// a registration and an unregistration each change it, to a digest not seen before.
		assert_ok!(Bittensor::register(RuntimeOrigin::signed(3)));
		let d1 = Bittensor::api_neuron_records().0;
		assert_ok!(Bittensor::unregister(RuntimeOrigin::signed(3)));
		let d2 = Bittensor::api_neuron_records().0;
		assert!(d1 != d0 && d2 != d0 && d2 != d1);
		digests.push(d1);
	});
	// On another fork of the same chain, another account registers as uid 2: the same count
	// and the same next uid, other records, another digest.
	chain().build_and_execute(|| {
		assert_ok!(Bittensor::register(RuntimeOrigin::signed(4)));
		assert_eq!(Bittensor::api_neuron_records().1.last().map(|(uid, _)| *uid), Some(2));
		assert_ne!(Bittensor::api_neuron_records().0, digests[0]);
	});
	// The same history gives the same digest.
	chain().build_and_execute(|| {
		assert_ok!(Bittensor::register(RuntimeOrigin::signed(3)));
		assert_eq!(Bittensor::api_neuron_records().0, digests[0]);
	});
}
