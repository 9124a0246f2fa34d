//! Genesis presets: `development` (one validator, Alice) and `local_testnet` (Alice and Bob).
//!
//! Served through `GenesisBuilder`; the node's `--dev` and `--chain local` and
//! `export-chain-spec` build their chain specs from these.

use crate::{AccountId, Balance, BalancesConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each endowed dev account holds at genesis: one million TAO.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The genesis state shared by all presets.
fn testnet_genesis(
	initial_authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed_accounts.iter().cloned().map(|k| (k, ENDOWMENT)).collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| x.0.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: initial_authorities.iter().map(|x| (x.1.clone(), 1)).collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
	})
}

/// The Aura (sr25519) and GRANDPA (ed25519) keys of a dev keyring validator (`//Alice`, …).
fn authority_keys(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The well-known dev accounts (Alice … Ferdie and their stashes), all endowed.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// The `development` preset: Alice is the only validator and the sudo key.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `local_testnet` preset: Alice and Bob validate; Alice is the sudo key.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice), authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON patch of the preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime serves.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
