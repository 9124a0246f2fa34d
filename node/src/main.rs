//! The BitTensor chain node.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod metrics;
mod rpc;
mod runtime_info;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
