//! Builds the runtime's wasm blob, reproducibly (skipped with `SKIP_WASM_BUILD=1`).
//!
//! The blob must not depend on where the clone, the cargo home or the build cache live, so that
//! anyone can rebuild a release from its commit and get the same blake2-256 (SPEC §10). Two
//! things would make it depend on them, and this build avoids both:
//!
//! - **Crate hashes.** Cargo hashes a path dependency that lies outside the workspace being
//!   built by its absolute path, and that hash reaches the blob (symbol names, type ids). The
//!   usual wasm builder compiles the runtime from a generated workspace in the target dir, where
//!   the runtime *is* such an outside path. Here the runtime is built from this workspace itself
//!   (`cargo rustc -p bittensor-runtime --crate-type cdylib --target wasm32v1-none`), so the
//!   runtime and the pallets are members, hashed by their paths relative to the workspace root.
//! - **File paths in panic locations.** Cargo names members' sources by paths relative to the
//!   workspace root already; the registry's sources (`$CARGO_HOME`) and the build cache are
//!   remapped (`--remap-path-prefix`) to `/cargo` and `/target`. These flags do not enter
//!   cargo's crate hashes, and they do not change between clones on one machine, so a second
//!   clone reuses the compiled wasm dependencies.
//! - **The outer build's environment.** The nested build starts from a clean environment (the
//!   tools, caches, jobserver and registry settings only), so the blob does not depend on which
//!   command, features or wrapper built the node.
//!
//! The blob is compressed as `sp-maybe-compressed-blob` does for `:code`. The build writes
//! `bittensor_runtime.wasm` and `bittensor_runtime.compressed.wasm` into
//! `$CARGO_TARGET_DIR/<profile>/wbuild/bittensor-runtime/` (`bittensor-runtime+try-runtime/`
//! and so on for a build with the runtime's features), and `WASM_BINARY` (the compressed
//! blob, what genesis and `set_code` take) and `WASM_BINARY_BLOATY` into `$OUT_DIR`.

fn main() {
	#[cfg(feature = "std")]
	wasm::build();
}

#[cfg(feature = "std")]
mod wasm {
	use std::{
		env, fs,
		path::{Path, PathBuf},
		process::Command,
	};

	/// Set (to anything) to skip the wasm build: `WASM_BINARY` is then `None`.
	const SKIP: &str = "SKIP_WASM_BUILD";
	/// Extra `RUSTFLAGS` for the wasm build, as with `substrate-wasm-builder`.
	const EXTRA_RUSTFLAGS: &str = "WASM_BUILD_RUSTFLAGS";
	const TARGET: &str = "wasm32v1-none";
	/// The release profile of the wasm build, every key set: `panic` and `lto` as
	/// `substrate-wasm-builder` sets them, the rest cargo's release defaults.
	const PROFILE: [&str; 10] = [
		"profile.release.panic=\"abort\"",
		"profile.release.lto=\"thin\"",
		"profile.release.opt-level=3",
		"profile.release.codegen-units=16",
		"profile.release.debug=false",
		"profile.release.strip=\"debuginfo\"",
		"profile.release.debug-assertions=false",
		"profile.release.overflow-checks=false",
		"profile.release.incremental=false",
		"profile.release.rpath=false",
	];
	/// The runtime's own features (`Cargo.toml`) that a build of the node passes on to the
	/// wasm; `std` never, and not the names of optional dependencies.
	const FORWARDED_FEATURES: [&str; 2] = ["runtime-benchmarks", "try-runtime"];
	const NAME: &str = "bittensor_runtime";

	fn var(name: &str) -> Option<String> {
		println!("cargo:rerun-if-env-changed={name}");
		env::var(name).ok()
	}

	/// The variables the nested build keeps: which compiler, where the tools and caches are, the
	/// jobserver, and how to reach the registry.
	fn kept(name: &str) -> bool {
		matches!(
			name,
			"PATH" | "HOME" | "USER" | "TMPDIR" | "CARGO_HOME" | "RUSTUP_HOME" | "RUSTUP_TOOLCHAIN" | "RUSTC" |
				"CARGO_MAKEFLAGS" | "MAKEFLAGS" | "MFLAGS" | "CARGO_NET_OFFLINE" | "SSL_CERT_FILE" |
				"SSL_CERT_DIR"
		) || name.starts_with("CARGO_HTTP_") ||
			name.starts_with("CARGO_NET_") ||
			name.starts_with("CARGO_REGISTRIES_") ||
			name.to_ascii_lowercase().ends_with("_proxy")
	}

	fn write_consts(out_dir: &Path, blobs: Option<(&Path, &Path)>) {
		let body = match blobs {
			None => "pub const WASM_BINARY_PATH: Option<&str> = None;\n\
				pub const WASM_BINARY: Option<&[u8]> = None;\n\
				pub const WASM_BINARY_BLOATY: Option<&[u8]> = None;\n"
				.to_string(),
			Some((compressed, bloaty)) => format!(
				"/// The path of the compressed runtime blob this crate embeds.\n\
				pub const WASM_BINARY_PATH: Option<&str> = Some({c:?});\n\
				/// The runtime, compressed: what genesis `:code` and `set_code` take.\n\
				pub const WASM_BINARY: Option<&[u8]> = Some(include_bytes!({c:?}));\n\
				/// The runtime, uncompressed.\n\
				pub const WASM_BINARY_BLOATY: Option<&[u8]> = Some(include_bytes!({b:?}));\n",
				c = compressed.display().to_string(),
				b = bloaty.display().to_string(),
			),
		};
		let file = out_dir.join("wasm_binary.rs");
		if fs::read_to_string(&file).ok().as_deref() != Some(body.as_str()) {
			fs::write(&file, body).expect("OUT_DIR is writable");
		}
	}

	/// `<target>/<profile>` of the outer build: the parent of the `build` directory that holds
	/// `OUT_DIR`.
	fn profile_dir(out_dir: &Path) -> PathBuf {
		out_dir
			.ancestors()
			.find(|p| p.file_name().is_some_and(|n| n == "build"))
			.and_then(Path::parent)
			.map(Path::to_path_buf)
			.unwrap_or_else(|| panic!("OUT_DIR {} is not inside a target dir", out_dir.display()))
	}

	fn cargo_home() -> PathBuf {
		match var("CARGO_HOME") {
			Some(h) => PathBuf::from(h),
			None => PathBuf::from(env::var("HOME").unwrap_or_default()).join(".cargo"),
		}
	}

	pub fn build() {
		let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
		if var(SKIP).is_some() {
			write_consts(&out_dir, None);
			return;
		}
		// Read when the script runs, not baked in when it is compiled: cargo reuses one compiled
		// build script for every clone that shares the target directory.
		let runtime_dir =
			PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
		let root = runtime_dir.parent().expect("the runtime sits in the workspace").to_path_buf();
		// Everything the wasm is built from: a change in any of it rebuilds the blob.
		for p in [
			"Cargo.toml",
			"Cargo.lock",
			"rust-toolchain.toml",
			"runtime/Cargo.toml",
			"runtime/build.rs",
			"runtime/src",
			"pallets",
		] {
			println!("cargo:rerun-if-changed={}", root.join(p).display());
		}

		// The runtime's features that the outer build enabled, for the wasm too.
		let features: Vec<&str> = FORWARDED_FEATURES
			.into_iter()
			.filter(|f| env::var_os(format!("CARGO_FEATURE_{}", f.to_uppercase().replace('-', "_"))).is_some())
			.collect();

		// One directory a feature set, so that a `try-runtime` build neither overwrites the
		// plain blob nor recompiles the plain build's dependencies.
		let name = core::iter::once("bittensor-runtime").chain(features.iter().copied());
		let project = profile_dir(&out_dir).join("wbuild").join(name.collect::<Vec<_>>().join("+"));
		let target_dir = project.join("target");
		fs::create_dir_all(&project).expect("the target dir is writable");

		let mut rustflags = vec![
			"-C link-arg=--export-table".to_string(),
			"--cfg substrate_runtime".to_string(),
			// The clone needs none: cargo names members' files relative to the workspace root.
			// The last matching prefix wins: the most specific goes last.
			format!("--remap-path-prefix={}=/cargo", cargo_home().display()),
			format!("--remap-path-prefix={}=/target", target_dir.display()),
		];
		rustflags.extend(var(EXTRA_RUSTFLAGS));

		let cargo = env::var("CARGO").expect("cargo sets CARGO");
		let mut cmd = Command::new(cargo);
		cmd.current_dir(&root)
			// The whole release profile, so that no cargo config (the workspace's, or one in
			// `$CARGO_HOME`) changes the blob.
			.args(PROFILE.iter().flat_map(|kv| ["--config", kv]))
			.args(["rustc", "--locked", "--release", "--lib", "--crate-type", "cdylib"])
			.args(["-p", "bittensor-runtime", "--no-default-features", "--target", TARGET])
			.arg(format!("--manifest-path={}", root.join("Cargo.toml").display()))
			// A clean environment: a build script inherits the outer build's variables
			// (`CARGO_FEATURE_*`, `CARGO_CFG_*` of the host, `OUT_DIR`, `TARGET`, its flags and
			// wrappers, clippy's among them), and the nested build's own build scripts would
			// read those that it does not set, which changes the blob with the outer command.
			.env_clear()
			.envs(env::vars().filter(|(k, _)| kept(k)))
			.env("CARGO_TARGET_DIR", &target_dir)
			.env("RUSTFLAGS", rustflags.join(" "))
			.env(SKIP, "1");
		if !features.is_empty() {
			cmd.args(["--features", &features.join(",")]);
		}
		// In the build script's output (`target/<profile>/build/bittensor-runtime-*/output`).
		println!("wasm build: {cmd:?}");
		let status = cmd.status().expect("cargo runs");
		assert!(status.success(), "the wasm build of the runtime failed: {status}");

		let built = target_dir.join(TARGET).join("release").join(format!("{NAME}.wasm"));
		let bloaty_blob = fs::read(&built)
			.unwrap_or_else(|e| panic!("the wasm build left no {}: {e}", built.display()));
		let compressed_blob = sp_maybe_compressed_blob::compress_strongly(
			&bloaty_blob,
			sp_maybe_compressed_blob::CODE_BLOB_BOMB_LIMIT,
		)
		.expect("the runtime is far below the decompression limit");

		let bloaty = project.join(format!("{NAME}.wasm"));
		let compressed = project.join(format!("{NAME}.compressed.wasm"));
		for (path, blob) in [(&bloaty, &bloaty_blob), (&compressed, &compressed_blob)] {
			if fs::read(path).ok().as_ref() != Some(blob) {
				fs::write(path, blob).expect("the target dir is writable");
			}
		}
		write_consts(&out_dir, Some((&compressed, &bloaty)));
	}
}
