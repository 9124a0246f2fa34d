//! `bittensor-sim`: the competitive-weights experiments of the BitTensor paper (section 2.2 and
//! 3, Figures 4 and 5) on the chain's own arithmetic (the pallet's `math` module), offline or
//! against a running node. One module a job:
//!
//! - [`network`]: the peers, their Hessians, masks, losses and payoff gradients, the step-size
//!   rules, and bounded steps turned into rows exactly as the chain stores them.
//! - [`stats`]: Pearson and Spearman correlations.
//! - [`figures`]: Figure 4 ([`figures::figure4_run`], [`figures::figure4_table`]) and Figure 5
//!   ([`figures::figure5`], [`figures::time_to_target`]).
//! - [`output`]: CSV files, PNG plots and the printed table.
//! - [`live`]: the same peers as dev accounts on a node, one `set_weights` each per block.
//! - the generator, [`Rng`], and the paper's f64 equations live in `bittensor-reference`, the
//!   one home they share with the pallet's and the end-to-end tests.

pub mod figures;
pub mod live;
pub mod network;
pub mod output;
pub mod stats;

pub use bittensor_reference::Rng;
