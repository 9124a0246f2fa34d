//! Genesis presets: `development` (one validator, Alice), `local_testnet` (Alice and Bob) and
//! `local_testnet_4` (Alice, Bob, Charlie and Dave); and the scale network (Alice validating
//! `n` neurons with `k` entries a row, [`scale_genesis_config`]), which the node builds itself.
//!
//! Served through `GenesisBuilder`; the node's `--dev` and `--chain local` and
//! `export-chain-spec` build their chain specs from these.

use crate::{
	AccountId, Balance, BalancesConfig, BittensorConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	SudoConfig, ValidatorSetConfig, UNIT,
};
use pallet_bittensor::InflationMode;
use sp_runtime::Perbill;
use alloc::{vec, vec::Vec};
use frame_support::{build_struct_json_patch, traits::Get};
use sp_runtime::traits::{BlakeTwo256, Hash as HashT};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each endowed dev account holds at genesis: one million TAO.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// tau in the presets: one TAO minted per block.
pub const PRESET_TAU: Balance = UNIT;
/// epsilon in the presets: a row may move 0.1 (L2) per block.
pub const PRESET_MAX_WEIGHT_CHANGE: Perbill = Perbill::from_percent(10);

/// The neurons of the `development` preset: Alice, Bob, Charlie and Dave with 4,000, 3,000,
/// 2,000 and 1,000 TAO of stake (uids 0 to 3), and rows that weight each other.
fn dev_neurons() -> (Vec<(AccountId, Balance)>, Vec<(u32, Vec<(u32, u32)>)>) {
	let neurons = vec![
		(Sr25519Keyring::Alice.to_account_id(), 4_000 * UNIT),
		(Sr25519Keyring::Bob.to_account_id(), 3_000 * UNIT),
		(Sr25519Keyring::Charlie.to_account_id(), 2_000 * UNIT),
		(Sr25519Keyring::Dave.to_account_id(), 1_000 * UNIT),
	];
	let weights = vec![
		(0, vec![(0, 50), (1, 30), (2, 20)]),
		(1, vec![(0, 40), (1, 60)]),
		(2, vec![(2, 50), (3, 50)]),
		(3, vec![(0, 30), (3, 70)]),
	];
	(neurons, weights)
}

/// The session genesis of `validators`: each validator's account with its Aura and GRANDPA
/// keys. Aura and GRANDPA take their first authorities from it (their own genesis stays empty).
fn session_keys(validators: &[(AccountId, AuraId, GrandpaId)]) -> Vec<(AccountId, AccountId, SessionKeys)> {
	validators
		.iter()
		.map(|(account, aura, grandpa)| {
			(account.clone(), account.clone(), SessionKeys { aura: aura.clone(), grandpa: grandpa.clone() })
		})
		.collect()
}

/// The genesis state shared by all presets.
fn testnet_genesis(
	initial_authorities: Vec<(AccountId, AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
	neurons: (Vec<(AccountId, Balance)>, Vec<(u32, Vec<(u32, u32)>)>),
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		validator_set: ValidatorSetConfig {
			validators: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		session: SessionConfig { keys: session_keys(&initial_authorities) },
		sudo: SudoConfig { key: Some(root) },
		bittensor: BittensorConfig {
			max_weight_change: PRESET_MAX_WEIGHT_CHANGE,
			inflation_per_block: PRESET_TAU,
			inflation_mode: InflationMode::Fixed,
			neurons: neurons.0,
			weights: neurons.1,
		},
	})
}

/// A dev keyring validator (`//Alice`, …): its account (sr25519), its Aura key (sr25519, the
/// same key) and its GRANDPA key (ed25519).
fn authority_keys(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AccountId, AuraId, GrandpaId) {
	(aura.to_account_id(), aura.public().into(), grandpa.public().into())
}

/// The well-known dev accounts (Alice … Ferdie and their stashes), all endowed.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// The `development` preset: Alice is the only validator and the sudo key; Alice, Bob,
/// Charlie and Dave are neurons (see [`dev_neurons`]).
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		dev_neurons(),
	)
}

/// The `local_testnet` preset: Alice and Bob validate; Alice is the sudo key; no neurons yet.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		(vec![], vec![]),
	)
}

/// The name of the four-validator preset.
pub const LOCAL_TESTNET_4_PRESET: &str = "local_testnet_4";

/// The `local_testnet_4` preset: Alice, Bob, Charlie and Dave validate (GRANDPA finalizes with
/// any three of them); Alice is the sudo key; no neurons yet.
pub fn local_4_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			authority_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
		(vec![], vec![]),
	)
}

/// The account of synthetic neuron `i` of the scale network: `blake2_256("bittensor/scale" ++
/// i as u32 LE)`. Nobody holds its key; these neurons only vote as genesis set them.
pub fn scale_account(i: u32) -> AccountId {
	let mut seed = b"bittensor/scale".to_vec();
	seed.extend_from_slice(&i.to_le_bytes());
	AccountId::from(<BlakeTwo256 as HashT>::hash(&seed).0)
}

/// The stake of synthetic neuron `i` of the scale network: `1000 + i mod 1000` TAO.
pub fn scale_stake(i: u32) -> Balance {
	(1_000 + Balance::from(i % 1_000)) * UNIT
}

/// The raw scores of row `i` of the scale network: `k` distinct uids spread evenly over
/// `0..n` starting at `i` (so a neuron votes for itself), with scores `1 + (i + m) mod 7`.
pub fn scale_row(i: u32, n: u32, k: u32) -> Vec<(u32, u32)> {
	let k = k.clamp(1, n.max(1));
	let step = n.checked_div(k).unwrap_or(1).max(1);
	let mut row: Vec<(u32, u32)> = (0..k)
		.map(|m| {
			let uid = i.saturating_add(m.saturating_mul(step)).checked_rem(n).unwrap_or(0);
			(uid, 1 + i.saturating_add(m) % 7)
		})
		.collect();
	row.sort_unstable();
	row.dedup_by_key(|(uid, _)| *uid);
	row
}

/// The genesis of the scale network: `n` neurons with `k` entries a row. Alice validates and
/// is the sudo key, the dev accounts are endowed, and neurons `0..n` are [`scale_account`]s
/// with [`scale_stake`]s and [`scale_row`]s, each endowed with its stake, the deposit its
/// registration holds (`math::registration_deposit`: it doubles with each sixteenth of
/// `MaxNeurons` registered before it) and 10 TAO.
///
/// Not a `GenesisBuilder` preset: the node hands a genesis to the runtime as pretty-printed
/// JSON in one buffer, which at 4,096 × 256 is about 60 MB, above the 32 MiB the runtime's
/// allocator gives at once. The node builds this one natively (`--chain scale`).
#[cfg(feature = "std")]
pub fn scale_genesis_config(n: u32, k: u32) -> RuntimeGenesisConfig {
	let alice = authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice);
	let neurons: Vec<(AccountId, Balance)> = (0..n).map(|i| (scale_account(i), scale_stake(i))).collect();
	let base: Balance = <crate::Runtime as pallet_bittensor::Config>::RegistrationDeposit::get();
	let max = <crate::Runtime as pallet_bittensor::Config>::MaxNeurons::get();
	let mut balances: Vec<(AccountId, Balance)> =
		dev_accounts().into_iter().map(|a| (a, ENDOWMENT)).collect();
	balances.extend(neurons.iter().zip(0u32..).map(|((a, s), i)| {
		(a.clone(), s + pallet_bittensor::math::registration_deposit(base, i, max) + 10 * UNIT)
	}));
	RuntimeGenesisConfig {
		balances: BalancesConfig { balances, ..Default::default() },
		validator_set: ValidatorSetConfig { validators: vec![alice.0.clone()] },
		session: SessionConfig { keys: session_keys(&[alice]), ..Default::default() },
		sudo: SudoConfig { key: Some(Sr25519Keyring::Alice.to_account_id()) },
		bittensor: BittensorConfig {
			max_weight_change: PRESET_MAX_WEIGHT_CHANGE,
			inflation_per_block: PRESET_TAU,
			inflation_mode: InflationMode::Fixed,
			neurons,
			weights: (0..n).map(|i| (i, scale_row(i, n, k))).collect(),
		},
		..Default::default()
	}
}

/// The JSON patch of the preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		LOCAL_TESTNET_4_PRESET => local_4_config_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime serves.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(LOCAL_TESTNET_4_PRESET),
	]
}
