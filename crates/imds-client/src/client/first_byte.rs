//! The first byte of each answer, as it came off the connection: what tells an HTTPS-only
//! service (whose first byte is a TLS record type) from a server that answered in broken HTTP,
//! once the HTTP parser has given up on both.
//!
//! A connector at the end of ureq's chain wraps each connection's transport; the wrapper notes
//! the first byte read after each request it sends. The client reads the note when an answer
//! does not parse.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// The note: 0 before any byte of the latest answer, else the byte plus one.
#[derive(Debug, Clone, Default)]
pub(crate) struct FirstByte(Arc<AtomicU16>);

impl FirstByte {
    /// The first byte of the latest answer, if one came.
    pub(crate) fn get(&self) -> Option<u8> {
        match self.0.load(Ordering::SeqCst) {
            0 => None,
            n => u8::try_from(n - 1).ok(),
        }
    }

    /// Whether the latest answer started like a TLS record (RFC 8446 §5.1: content types 20-23,
    /// then protocol version 3.x), the reply of a server that speaks only HTTPS.
    pub(crate) fn looks_like_tls(&self) -> bool {
        matches!(self.get(), Some(20..=23))
    }

    fn clear(&self) {
        self.0.store(0, Ordering::SeqCst);
    }

    fn set(&self, byte: u8) {
        self.0.store(u16::from(byte) + 1, Ordering::SeqCst);
    }
}

/// The connector that wraps each transport of the chain before it.
#[derive(Debug, Clone)]
pub(crate) struct NoteFirstByte(pub(crate) FirstByte);

impl<In: Transport> Connector<In> for NoteFirstByte {
    type Out = Noting<In>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| Noting {
            inner,
            note: self.0.clone(),
            awaiting: false,
        }))
    }
}

/// A transport that notes the first byte of each answer.
pub(crate) struct Noting<T> {
    inner: T,
    note: FirstByte,
    /// A request went out and no byte of its answer came yet.
    awaiting: bool,
}

impl<T> fmt::Debug for Noting<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Noting").finish_non_exhaustive()
    }
}

impl<T: Transport> Transport for Noting<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        if !self.awaiting {
            self.awaiting = true;
            self.note.clear();
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        let progress = self.inner.await_input(timeout)?;
        if self.awaiting
            && let Some(&byte) = self.inner.buffers().input().first()
        {
            self.note.set(byte);
            self.awaiting = false;
        }
        Ok(progress)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
