//! The emulator of the metadata service.
