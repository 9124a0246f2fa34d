//! Keys from what people type: a secret URI (a dev name, a mnemonic, a hex seed, each with
//! derivation paths), a key file, and accounts by SS58 address, hex public key or dev name.

use crate::{dev, AccountId, Error};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// What a secret URI may be, for the messages.
const WHAT_A_SURI_IS: &str = "give a dev name (alice), a //Path, a 12- or 24-word mnemonic or a 0x seed";

/// The sr25519 key pair of a secret URI, as `bittensor-node key inspect` reads it: a dev name
/// (`alice` … `ferdie`, any case, is `//Alice` …), a derivation path of the dev phrase
/// (`//Bob//hot`), a mnemonic (`"word … word//hard/soft///password"`) or a `0x` seed.
pub fn from_suri(suri: &str) -> Result<Keypair, Error> {
	if let Ok(pair) = dev::signer(suri) {
		return Ok(pair)
	}
	// The secret itself never goes into the message.
	let uri: SecretUri = suri
		.parse()
		.map_err(|e| Error::BadKey(format!("not a secret URI ({e:?}): {WHAT_A_SURI_IS}")))?;
	Keypair::from_uri(&uri).map_err(|e| Error::BadKey(format!("not a secret URI that makes a key ({e:?}): {WHAT_A_SURI_IS}")))
}

/// The secret URI in a key file: the file `bittensor-node key generate --output-type json`
/// writes (its `secretPhrase`, else its `secretSeed`), or a text file whose first line is the
/// secret URI. On Unix, a file that others may read is refused, as ssh refuses such keys.
pub fn suri_from_file(path: &std::path::Path) -> Result<String, String> {
	let shown = path.display();
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(path).map_err(|e| format!("key file {shown}: {e}"))?.permissions().mode();
		if mode & 0o077 != 0 {
			return Err(format!(
				"key file {shown} can be read by others (mode {:o}); make it private: chmod 600 {shown}",
				mode & 0o777
			))
		}
	}
	let text = std::fs::read_to_string(path).map_err(|e| format!("key file {shown}: {e}"))?;
	if text.trim_start().starts_with('{') {
		let json: serde_json::Value =
			serde_json::from_str(&text).map_err(|e| format!("key file {shown}: not JSON: {e}"))?;
		return ["secretPhrase", "secretSeed"]
			.iter()
			.find_map(|k| json[*k].as_str().map(str::to_owned))
			.ok_or_else(|| format!("key file {shown}: no `secretPhrase` or `secretSeed`"))
	}
	text.lines()
		.map(str::trim)
		.find(|l| !l.is_empty())
		.map(str::to_owned)
		.ok_or_else(|| format!("key file {shown} is empty"))
}

/// An account named by its SS58 address, its `0x` hex public key (32 bytes) or a dev name.
pub fn account(s: &str) -> Result<AccountId, String> {
	if let Ok(id) = dev::account_id(s) {
		return Ok(id)
	}
	if let Some(hex) = s.strip_prefix("0x") {
		let bytes = hex::decode(hex).map_err(|e| format!("`{s}`: not hex: {e}"))?;
		let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| format!("`{s}`: {} bytes, not 32", b.len()))?;
		return Ok(AccountId::from(bytes))
	}
	s.parse::<AccountId>()
		.map_err(|e| format!("`{s}` is not an SS58 address, a 0x public key or a dev name: {e}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn from_suri_reads_dev_names_paths_and_phrases() {
		let alice = dev::signer("alice").unwrap().public_key().0;
		assert_eq!(from_suri("Alice").unwrap().public_key().0, alice);
		assert_eq!(from_suri("//Alice").unwrap().public_key().0, alice);
		let phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
		assert_eq!(from_suri(&format!("{phrase}//Alice")).unwrap().public_key().0, alice);
		assert_ne!(from_suri("//Alice//hot").unwrap().public_key().0, alice);
		assert!(from_suri("not a phrase").is_err());
	}

	#[test]
	fn account_reads_ss58_hex_and_dev_names() {
		let bob = dev::account_id("bob").unwrap();
		assert_eq!(account("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty").unwrap(), bob);
		assert_eq!(account(&format!("0x{}", hex::encode(bob.0))).unwrap(), bob);
		assert_eq!(account("bob").unwrap(), bob);
		assert!(account("0x1234").unwrap_err().contains("2 bytes, not 32"));
		assert!(account("5Fnot").is_err());
	}

	#[test]
	fn suri_from_file_reads_json_and_text_and_refuses_open_files() {
		let dir = std::env::temp_dir().join(format!("bittensor-keys-{}", std::process::id()));
		std::fs::create_dir_all(&dir).unwrap();
		let json = dir.join("k.json");
		std::fs::write(&json, r#"{"secretPhrase": "a b c", "ss58Address": "5x"}"#).unwrap();
		let text = dir.join("k.txt");
		std::fs::write(&text, "\n//Bob//hot\n").unwrap();
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(&json, std::fs::Permissions::from_mode(0o644)).unwrap();
			assert!(suri_from_file(&json).unwrap_err().contains("chmod 600"));
			for f in [&json, &text] {
				std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o600)).unwrap();
			}
		}
		assert_eq!(suri_from_file(&json).unwrap(), "a b c");
		assert_eq!(suri_from_file(&text).unwrap(), "//Bob//hot");
		std::fs::remove_dir_all(&dir).unwrap();
	}
}
