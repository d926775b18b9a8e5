//! Tests for the output rules of DESIGN.md §3.
