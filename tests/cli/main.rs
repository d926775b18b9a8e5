//! Integration tests: the real `imds` and `imds-mock` binaries over real loopback HTTP.

mod support;

mod bare_metal;
// The modules built for Unix only test what Windows does not have. Here: `--shell` in real
// shells, and the modes and owners of `-o` and `--authorized-keys` files.
#[cfg(unix)]
mod boot;
mod claims;
mod collections;
mod commands;
// Signals to `token --refresh` and `exec`, and commands run by sh.
#[cfg(unix)]
mod credentials;
// Linux's /sys and /dev trees, with their symbolic links.
#[cfg(unix)]
mod disks;
mod doctor;
// The files room's rules: modes, owners, links, directories swapped under it.
#[cfg(unix)]
mod files;
mod generated;
mod hardening;
mod hostile;
mod identity;
mod layout;
mod library;
mod mock;
mod output;
mod pages;
mod raw;
mod retries;
mod sdks;
// A sh script with a stand-in systemctl.
#[cfg(unix)]
mod spot;
mod startup;
mod tokens;
mod watch;
