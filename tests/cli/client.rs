//! Tests for the client: commands, HTTP, tokens, exit codes.
