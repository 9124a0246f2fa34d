//! Builds the runtime's wasm blob (skipped with `SKIP_WASM_BUILD=1`).

fn main() {
	#[cfg(feature = "std")]
	{
		// The build cache may live outside the clone (`CARGO_TARGET_DIR`), where the wasm
		// builder cannot find this workspace's `Cargo.lock` by itself: point it there, so that
		// the wasm runtime is built with exactly the locked dependencies. Set here rather than
		// in `.cargo/config.toml`, where it would also apply to the wasm builds of dependencies
		// (which are not members of this workspace).
		if std::env::var_os("WASM_BUILD_WORKSPACE_HINT").is_none() {
			let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
			std::env::set_var("WASM_BUILD_WORKSPACE_HINT", workspace);
		}
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
}
