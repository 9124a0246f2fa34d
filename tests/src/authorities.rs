//! Who validates, read over RPC: the Aura and GRANDPA authorities, the session's and the
//! admin's validator sets, and each block's author (its Aura slot over the authorities at its
//! parent), all from `state_getStorage` and `chain_getHeader`.

use crate::{client::Hash, hex0x, unhex, Client};
use codec::{Compact, Decode};
use serde_json::{json, Value};
use sp_crypto_hashing::twox_128;

/// A 32-byte public key or account id.
pub type Key = [u8; 32];

/// The SCALE bytes of the storage value `pallet::item` at `at`, if it is set.
pub async fn storage_value(api: &Client, pallet: &str, item: &str, at: Hash) -> Option<Vec<u8>> {
	let key = hex0x(&[twox_128(pallet.as_bytes()), twox_128(item.as_bytes())].concat());
	let value: Option<String> = api.call("state_getStorage", vec![json!(key), json!(at)]).await.unwrap();
	value.map(|v| unhex(&v))
}

/// A SCALE `Vec` whose items start with a 32-byte key and are `stride` bytes long: the keys.
pub fn decode_keys(bytes: &[u8], stride: usize) -> Vec<Key> {
	let mut input = bytes;
	let Compact(n) = Compact::<u32>::decode(&mut input).expect("a SCALE vector starts with its length");
	assert_eq!(input.len(), n as usize * stride, "{n} items of {stride} bytes");
	input.chunks(stride).map(|item| item[..32].try_into().unwrap()).collect()
}

async fn keys(api: &Client, pallet: &str, item: &str, stride: usize, at: Hash) -> Vec<Key> {
	storage_value(api, pallet, item, at).await.map_or_else(Vec::new, |b| decode_keys(&b, stride))
}

/// `Aura::Authorities` at `at`: who authors the blocks built on `at`, in slot order.
pub async fn aura(api: &Client, at: Hash) -> Vec<Key> {
	keys(api, "Aura", "Authorities", 32, at).await
}

/// `Grandpa::Authorities` at `at` (each with its weight, dropped here).
pub async fn grandpa(api: &Client, at: Hash) -> Vec<Key> {
	keys(api, "Grandpa", "Authorities", 40, at).await
}

/// `Grandpa::CurrentSetId` at `at`.
pub async fn grandpa_set_id(api: &Client, at: Hash) -> u64 {
	storage_value(api, "Grandpa", "CurrentSetId", at).await.map_or(0, |b| u64::decode(&mut &b[..]).unwrap())
}

/// `Session::Validators` at `at`: the accounts of the current session.
pub async fn session_validators(api: &Client, at: Hash) -> Vec<Key> {
	keys(api, "Session", "Validators", 32, at).await
}

/// `Session::QueuedKeys` at `at`: each queued validator's account, Aura key and GRANDPA key.
pub async fn queued_keys(api: &Client, at: Hash) -> Vec<(Key, Key, Key)> {
	let Some(bytes) = storage_value(api, "Session", "QueuedKeys", at).await else { return Vec::new() };
	let mut input = &bytes[..];
	let Compact(n) = Compact::<u32>::decode(&mut input).unwrap();
	assert_eq!(input.len(), n as usize * 96, "(account, aura, grandpa) items");
	input
		.chunks(96)
		.map(|c| (c[..32].try_into().unwrap(), c[32..64].try_into().unwrap(), c[64..].try_into().unwrap()))
		.collect()
}

/// `ValidatorSet::Validators` at `at`: the admin's set.
pub async fn admin_set(api: &Client, at: Hash) -> Vec<Key> {
	keys(api, "ValidatorSet", "Validators", 32, at).await
}

/// The header of `hash`: its number, its parent, and its Aura slot (the `aura` pre-runtime
/// digest), as `chain_getHeader` gives them.
pub async fn header(api: &Client, hash: Hash) -> (u64, Hash, u64) {
	let header: Value = api.call("chain_getHeader", vec![json!(hash)]).await.unwrap();
	let number = u64::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
	let parent: Hash = serde_json::from_value(header["parentHash"].clone()).unwrap();
	// PreRuntime (6) ++ b"aura" ++ compact length 8 (0x20) ++ the slot, u64 little endian.
	let slot = header["digest"]["logs"]
		.as_array()
		.unwrap()
		.iter()
		.map(|log| unhex(log.as_str().unwrap()))
		.find(|log| log.starts_with(&[6, b'a', b'u', b'r', b'a', 0x20]))
		.map(|log| u64::from_le_bytes(log[6..14].try_into().unwrap()))
		.expect("an Aura block has a slot digest");
	(number, parent, slot)
}

/// The block `hash`'s number and its author's Aura key: the authority of its slot among those
/// at its parent.
pub async fn author(api: &Client, hash: Hash) -> (u64, Key) {
	let (number, parent, slot) = header(api, hash).await;
	let set = aura(api, parent).await;
	(number, set[(slot % set.len() as u64) as usize])
}
