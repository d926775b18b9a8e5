//! Integration tests: the real `imds` and `imds-mock` binaries over real loopback HTTP.

mod support;

mod client;
mod mock;
mod output;
mod raw;
mod shell;
