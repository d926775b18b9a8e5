//! Integration tests: the real `imds` and `imds-mock` binaries over real loopback HTTP.

mod support;

mod boot;
mod client;
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
mod startup;
mod watch;
