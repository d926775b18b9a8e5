//! imds: a client for the IBM Cloud VPC instance metadata service, and its emulator.
//!
//! The `imds` binary is a thin shell over [`app::run`]; `imds-mock` over [`mock`].

pub mod cli;
pub mod doctor;
pub mod error;
pub mod output;
pub mod settings;

#[cfg(feature = "mock")]
pub mod mock;
