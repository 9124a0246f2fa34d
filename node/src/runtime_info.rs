//! `bittensor-node runtime-info`: the version and hash of a runtime blob.

use std::path::PathBuf;

use sc_executor_common::runtime_blob::RuntimeBlob;
use sp_core::hexdisplay::HexDisplay;

/// Print the version and blake2-256 hash of a runtime: the one built into this node, or a
/// `.wasm` file (compressed or not), as JSON.
#[derive(Debug, clap::Parser)]
pub struct RuntimeInfoCmd {
	/// A runtime blob to read instead of the one built into the node.
	#[arg(long, value_name = "FILE")]
	pub wasm: Option<PathBuf>,
}

/// What a runtime blob says of itself, and its hash.
pub struct RuntimeInfo {
	/// `spec_name` of the runtime version.
	pub spec_name: String,
	/// `spec_version`.
	pub spec_version: u32,
	/// `transaction_version`.
	pub transaction_version: u32,
	/// blake2-256 of the blob as given (the compressed form for `:code`), `0x`-hex.
	pub blake2_256: String,
	/// The blob's length in bytes.
	pub bytes: usize,
}

impl RuntimeInfo {
	/// Reads the version from the blob's `runtime_version` section, without running it.
	pub fn of(code: &[u8]) -> Result<Self, String> {
		let blob = RuntimeBlob::uncompress_if_needed(code)
			.map_err(|e| format!("not a runtime blob: {e}"))?;
		let version = sc_executor::read_embedded_version(&blob)
			.map_err(|e| format!("the runtime version does not decode: {e}"))?
			.ok_or("the blob has no runtime_version section")?;
		Ok(Self {
			spec_name: version.spec_name.to_string(),
			spec_version: version.spec_version,
			transaction_version: version.transaction_version,
			blake2_256: format!("0x{}", HexDisplay::from(&sp_io::hashing::blake2_256(code))),
			bytes: code.len(),
		})
	}

	/// The built-in runtime (`bittensor_runtime::WASM_BINARY`).
	pub fn built_in() -> Result<Self, String> {
		Self::of(crate::chain_spec::wasm()?)
	}

	/// The JSON the subcommand prints.
	pub fn to_json(&self) -> serde_json::Value {
		serde_json::json!({
			"specName": self.spec_name,
			"specVersion": self.spec_version,
			"transactionVersion": self.transaction_version,
			"blake2_256": self.blake2_256,
			"bytes": self.bytes,
		})
	}
}

impl RuntimeInfoCmd {
	/// Prints the runtime's version and hash.
	pub fn run(&self) -> sc_cli::Result<()> {
		let info = match &self.wasm {
			None => RuntimeInfo::built_in(),
			Some(path) => std::fs::read(path)
				.map_err(|e| format!("{}: {e}", path.display()))
				.and_then(|code| RuntimeInfo::of(&code)),
		}
		.map_err(sc_cli::Error::Input)?;
		println!("{}", info.to_json());
		Ok(())
	}
}
