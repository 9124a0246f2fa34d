//! The human output of the read commands (with --json, the RPC's answers are printed instead).

use crate::{Ctx, Failure, Outcome};
use bittensor_client::{json, subxt::dynamic, AccountId, Error};

/// A decimal string without its trailing zeros: `"1.000000000000"` is `"1"`, `"0.100000000"`
/// is `"0.1"`. Exact: only zeros go.
pub fn trim(decimal: &str) -> String {
	match decimal.split_once('.') {
		Some((whole, frac)) => {
			let frac = frac.trim_end_matches('0');
			if frac.is_empty() { whole.to_owned() } else { format!("{whole}.{frac}") }
		},
		None => decimal.to_owned(),
	}
}

/// `Perbill` parts as a trimmed fraction: 100_000_000 is `0.1`, 10^9 is `1`.
pub fn fraction_parts(parts: u32) -> String {
	trim(&json::fraction(json::Perbill::from_parts(parts)))
}

pub fn neurons(neurons: &[json::NeuronLite]) {
	println!("{:>5}  {:<48}  {:>22}  {:>20}  {:>7}", "uid", "account", "stake (TAO)", "rank (TAO)", "entries");
	for n in neurons {
		println!("{:>5}  {:<48}  {:>22}  {:>20}  {:>7}", n.uid, n.account, n.stake, n.rank, n.entries);
	}
}

pub fn neuron(n: &json::Neuron) {
	println!("uid       {}", n.uid);
	println!("account   {}", n.account);
	println!("stake     {} TAO", trim(&n.stake));
	println!("deposit   {} TAO", trim(&n.deposit));
	println!("rank      {} TAO", trim(&n.rank));
	println!("weights   {}", n.weights.iter().map(|(j, w)| format!("{j}:{}", trim(w))).collect::<Vec<_>>().join(" "));
}

pub fn row(row: &[(u32, String)]) {
	println!("{:>5}  weight", "uid");
	for (j, w) in row {
		println!("{j:>5}  {}", trim(w));
	}
}

pub fn params(p: &json::Params) {
	let mode = match &p.inflation_mode {
		json::Mode::Fixed => "fixed".to_owned(),
		json::Mode::Adaptive { target, gain, max } =>
			format!("adaptive (target sparsity {}, gain {}, max {} TAO)", trim(target), trim(gain), trim(max)),
	};
	let rows: [(&str, String); 8] = [
		("epsilon (max row change per block, L2)", trim(&p.max_weight_change)),
		("tau (minted per block)", format!("{} TAO", trim(&p.inflation_per_block))),
		("inflation mode", mode),
		("neurons", format!("{} of at most {} (next uid {})", p.neuron_count, p.max_neurons, p.next_uid)),
		("entries per row, at most", p.max_weights_per_row.to_string()),
		("next registration deposit", format!("{} TAO", trim(&p.registration_deposit))),
		("weight entries in all rows", p.total_weight_entries.to_string()),
		("minted since genesis", format!("{} TAO", trim(&p.total_minted))),
	];
	for (name, value) in rows {
		println!("{name:<40}  {value}");
	}
}

/// The session's validators with their current keys, and the admin's set (what the next
/// rotations will make the session).
pub async fn validators(ctx: &Ctx) -> Outcome {
	#[derive(bittensor_client::subxt::ext::scale_decode::DecodeAsType)]
	#[decode_as_type(crate_path = "bittensor_client::subxt::ext::scale_decode")]
	struct Keys {
		aura: [u8; 32],
		grandpa: [u8; 32],
	}
	let at = ctx.at().await?;
	let client = ctx.client.api().at_block(at).await.map_err(|e| Failure::Chain(e.to_string()))?;
	let storage = client.storage();
	macro_rules! value {
		($pallet:literal, $name:literal, $ty:ty) => {
			storage
				.try_fetch(dynamic::storage::<(), $ty>($pallet, $name), ())
				.await
				.map_err(|e| Failure::Chain(e.to_string()))?
				.map(|v| v.decode().map_err(|e| Failure::Chain(e.to_string())))
				.transpose()?
		};
	}
	let session: Vec<AccountId> = value!("Session", "Validators", Vec<AccountId>).unwrap_or_default();
	let admin: Vec<AccountId> = value!("ValidatorSet", "Validators", Vec<AccountId>).unwrap_or_default();
	let index: u32 = value!("Session", "CurrentIndex", u32).unwrap_or_default();
	let set_id: u64 = value!("Grandpa", "CurrentSetId", u64).unwrap_or_default();
	let mut out = Vec::new();
	for who in &session {
		let keys = storage
			.try_fetch(dynamic::storage::<(AccountId,), Keys>("Session", "NextKeys"), (who.clone(),))
			.await
			.map_err(|e| Failure::Chain(e.to_string()))?
			.map(|v| v.decode().map_err(|e| Failure::Chain(Error::Decode(e.to_string()).to_string())))
			.transpose()?;
		out.push((who.clone(), keys.map(|k| (hex0x(&k.aura), hex0x(&k.grandpa)))));
	}
	if ctx.json {
		let session: Vec<_> = out
			.iter()
			.map(|(who, keys)| {
				serde_json::json!({
					"account": who.to_string(),
					"aura": keys.as_ref().map(|k| k.0.clone()),
					"grandpa": keys.as_ref().map(|k| k.1.clone()),
				})
			})
			.collect();
		let admin: Vec<String> = admin.iter().map(|a| a.to_string()).collect();
		return ctx.print_json(&serde_json::json!({
			"session": index, "grandpaSetId": set_id, "validators": session, "adminSet": admin,
		}))
	}
	println!("session {index}, GRANDPA set {set_id}: {} validators", session.len());
	println!("{:<48}  {:<66}  grandpa key", "account", "aura key (next session)");
	for (who, keys) in &out {
		let (aura, grandpa) = keys.clone().unwrap_or_else(|| ("(none)".into(), "(none)".into()));
		println!("{:<48}  {aura:<66}  {grandpa}", who.to_string());
	}
	if admin == session {
		println!("the admin's set is the session's");
	} else {
		let added: Vec<String> = admin.iter().filter(|a| !session.contains(a)).map(|a| a.to_string()).collect();
		let removed: Vec<String> = session.iter().filter(|a| !admin.contains(a)).map(|a| a.to_string()).collect();
		println!("the admin's set differs (from the next rotations on): + {:?}  - {:?}", added, removed);
	}
	Ok(())
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}
