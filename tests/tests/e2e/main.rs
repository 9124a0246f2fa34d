//! The end-to-end tests, one module a subject, built as one test binary: the harness, the client
//! and the node's RPC types are compiled and linked once for all of them.
//!
//! `scripts/test.sh` runs them in stages by module, with a filter per module
//! (`cargo test --release --workspace --test e2e -- cli:: python::`); one module alone runs
//! the same way (`cargo test --release --workspace --test e2e -- rpc_limits:: --nocapture`).
//! Every module must be in one of that script's stages; the script checks it.

mod bad_input;
mod cli;
mod crash;
mod exits;
mod fees;
mod finality;
mod foundation;
mod js;
mod load;
mod metrics;
mod pallet;
mod paper_loop;
mod proxy;
mod python;
mod rpc;
mod rpc_limits;
mod scale;
mod upgrade;
mod validators;
mod warp;
