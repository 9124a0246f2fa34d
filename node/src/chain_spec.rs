//! Chain specs built into the node: `dev`, `local`, `local4` and `scale`, from the runtime's
//! genesis presets, and `scale-<n>x<k>`, a scale network of any size the runtime allows.

use bittensor_runtime::{TOKEN_DECIMALS, WASM_BINARY};
use sc_service::ChainType;

/// The chain spec type of this node (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token symbol, decimals and SS58 prefix, for wallets and polkadot.js.
fn properties() -> sc_chain_spec::Properties {
	let mut p = sc_chain_spec::Properties::new();
	p.insert("tokenSymbol".into(), "TAO".into());
	p.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

/// The runtime built into the node.
pub fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime wasm is not available: this node was built with SKIP_WASM_BUILD".to_string()
	})
}

/// The single-validator development chain (`--dev`): Alice authors and finalizes.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("BitTensor Development")
		.with_id("bittensor_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(sp_genesis_builder::DEV_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The two-validator local testnet (`--chain local`): Alice and Bob.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("BitTensor Local Testnet")
		.with_id("bittensor_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(properties())
		.build())
}

/// The four-validator local testnet (`--chain local4`): Alice, Bob, Charlie and Dave.
pub fn local_4_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("BitTensor Local Testnet (4 validators)")
		.with_id("bittensor_local4")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(bittensor_runtime::genesis_config_presets::LOCAL_TESTNET_4_PRESET)
		.with_properties(properties())
		.build())
}

/// A single-validator (Alice) network of `n` synthetic neurons with `k` weights a row, for load
/// and latency measurements (`--chain scale` is `MaxNeurons` × `MaxWeightsPerRow`,
/// `--chain scale-<n>x<k>` any size within them). Its genesis storage is built here, natively,
/// by the runtime's own genesis code (`genesis_config_presets::scale_genesis_config`), with the
/// runtime's code put in `:code`: handing a million weight entries to the wasm genesis builder
/// as JSON is more than one wasm allocation may hold.
pub fn scale_chain_spec(size: Option<(u32, u32)>) -> Result<ChainSpec, String> {
	use bittensor_runtime::{
		configs::{MAX_NEURONS, MAX_WEIGHTS_PER_ROW},
		genesis_config_presets::scale_genesis_config,
	};
	use sc_chain_spec::ChainSpec as _;
	use sp_runtime::BuildStorage;
	let (n, k) = size.unwrap_or((MAX_NEURONS, MAX_WEIGHTS_PER_ROW));
	if n > MAX_NEURONS || k > MAX_WEIGHTS_PER_ROW || k > n {
		return Err(format!(
			"scale-{n}x{k}: the runtime allows at most {MAX_NEURONS} neurons and \
			 {MAX_WEIGHTS_PER_ROW} entries a row, and a row cannot name more neurons than there are"
		));
	}
	let mut storage = scale_genesis_config(n, k).build_storage()?;
	storage.top.insert(sp_core::storage::well_known_keys::CODE.to_vec(), wasm()?.to_vec());
	let mut spec = ChainSpec::builder(wasm()?, None)
		.with_name(&format!("BitTensor Scale {n}x{k}"))
		.with_id("bittensor_scale")
		// A test chain: manual and instant sealing are allowed on it.
		.with_chain_type(ChainType::Development)
		.with_properties(properties())
		.with_genesis_config_patch(serde_json::json!({}))
		.build();
	spec.set_storage(storage);
	Ok(spec)
}

/// `<n>x<k>` of a `scale-<n>x<k>` chain id.
pub fn parse_scale_size(size: &str) -> Result<(u32, u32), String> {
	let bad = || format!("`scale-{size}`: expected `scale-<neurons>x<entries a row>`, e.g. `scale-1024x64`");
	let (n, k) = size.split_once('x').ok_or_else(bad)?;
	let (n, k) = (n.parse::<u32>().map_err(|_| bad())?, k.parse::<u32>().map_err(|_| bad())?);
	if n == 0 || k == 0 {
		return Err(bad());
	}
	Ok((n, k))
}
