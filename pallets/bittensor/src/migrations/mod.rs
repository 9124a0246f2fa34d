//! Storage migrations: one module a version step, each a [`VersionedMigration`] that runs only
//! while the on-chain storage version is its `FROM`, and then sets it to its `TO`.
//!
//! Each step is written against the old layout as it is encoded (its own `storage_alias`es of
//! plain SCALE types), not against today's types, so that it keeps compiling, and keeps meaning
//! the same bytes, whatever the pallet's types become later. A runtime lists [`Migrations`] in
//! its `Executive`; steps whose `FROM` is not the chain's version do nothing but one read.
//!
//! [`VersionedMigration`]: frame_support::migrations::VersionedMigration

pub mod v1;
pub mod v2;
pub mod v3;
pub mod v4;

/// Every step of this pallet, oldest first: what a runtime's `Executive` lists.
pub type Migrations<T> =
	(v1::MigrateV0ToV1<T>, v2::MigrateV1ToV2<T>, v3::MigrateV2ToV3<T>, v4::MigrateV3ToV4<T>);
