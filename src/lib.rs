//! imds: a client for the IBM Cloud VPC instance metadata service, and its emulator.
//!
//! The `imds` binary is a thin shell over [`app::run`]; `imds-mock` over [`mock`].

pub mod app;
pub mod cli;
pub mod client;
pub mod doctor;
pub mod error;
pub mod field;
pub mod output;
pub mod resource;
pub mod session;
pub mod settings;
pub mod text;
pub mod token;
pub mod values;

pub use error::{Error, Kind};

#[cfg(feature = "mock")]
pub mod mock;
