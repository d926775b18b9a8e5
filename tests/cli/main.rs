//! Integration tests: the real `imds` and `imds-mock` binaries over real loopback HTTP.

mod support;

mod bare_metal;
// The modules built for Unix only test what Windows does not have. Here: `--shell` in real
// shells, and the modes and owners of `-o` and `--authorized-keys` files.
#[cfg(unix)]
mod boot;
mod claims;
mod client;
mod collections;
// Signals to `token --refresh` and `exec`, and commands run by sh.
#[cfg(unix)]
mod credentials;
// Linux's /sys and /dev trees, with their symbolic links.
#[cfg(unix)]
mod disks;
// The files room's rules: modes, owners, links, directories swapped under it.
#[cfg(unix)]
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
// A sh script with a stand-in systemctl.
#[cfg(unix)]
mod spot;
mod startup;
mod watch;
