//! Integration tests: the real `imds` and `imds-mock` binaries over real loopback HTTP.

mod support;

mod bare_metal;
mod boot;
mod claims;
mod client;
mod collections;
mod credentials;
mod disks;
mod files;
mod hardening;
mod hostile;
mod identity;
mod layout;
mod library;
mod mock;
mod output;
mod raw;
mod sdks;
mod shell;
mod spot;
mod startup;
mod watch;
