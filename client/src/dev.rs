//! The well-known dev accounts (`//Alice` … `//Ferdie`), funded in the dev and local presets.

use crate::{AccountId, Error};
use subxt_signer::sr25519::{dev as keyring, Keypair};

/// The names of the dev accounts, lower case.
pub const NAMES: [&str; 6] = ["alice", "bob", "charlie", "dave", "eve", "ferdie"];

/// The sr25519 key pair of the dev account `name` (`alice`, `bob`, … case-insensitive).
pub fn signer(name: &str) -> Result<Keypair, Error> {
	Ok(match name.to_ascii_lowercase().as_str() {
		"alice" => keyring::alice(),
		"bob" => keyring::bob(),
		"charlie" => keyring::charlie(),
		"dave" => keyring::dave(),
		"eve" => keyring::eve(),
		"ferdie" => keyring::ferdie(),
		_ => return Err(Error::UnknownDevAccount(name.to_string())),
	})
}

/// The account id of the dev account `name`.
pub fn account_id(name: &str) -> Result<AccountId, Error> {
	Ok(signer(name)?.public_key().into())
}

/// The sr25519 key pair of a derivation path of the dev phrase, e.g. `//Neuron7` (the same
/// key `subkey inspect //Neuron7` shows); any secret URI ([`crate::keys::from_suri`]).
pub fn derived(path: &str) -> Result<Keypair, Error> {
	crate::keys::from_suri(path)
}
