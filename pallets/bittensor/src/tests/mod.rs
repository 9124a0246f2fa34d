//! Tests of the pallet against the mock runtime, by concern.

mod api;
mod block_step;
mod errors;
mod exits;
mod math_reference;
mod migrations;
mod random_calls;
mod simulation;
mod stake;
mod weights;
