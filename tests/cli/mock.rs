//! Tests for the emulator, driven over HTTP.
