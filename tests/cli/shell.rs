//! Tests for completions, man pages, doctor and the README.
