//! SIGINT and SIGTERM for a watch: noted when they come, acted on between observations, and
//! waking the sleep between polls at once. Nothing else is done in the handler.
//!
//! The handler stores the signal and writes one byte to a pipe (both async-signal-safe); the
//! sleep between polls is a `poll(2)` on that pipe, so it ends the moment a signal comes. A
//! request in progress is not interrupted (`SA_RESTART`): the observation is finished first.

use std::time::Instant;

#[cfg(unix)]
mod imp {
    use std::sync::atomic::{AtomicI32, Ordering};
    use std::time::Instant;

    /// The first signal received, 0 for none.
    static RECEIVED: AtomicI32 = AtomicI32::new(0);
    /// The pipe's write end, -1 before it exists.
    static WAKE: AtomicI32 = AtomicI32::new(-1);

    extern "C" fn on_signal(signal: libc::c_int) {
        let _ = RECEIVED.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
        let fd = WAKE.load(Ordering::SeqCst);
        if fd >= 0 {
            let byte = 1u8;
            // SAFETY: write(2) is async-signal-safe; the end is non-blocking, so a full pipe
            // (a signal already waiting to be seen) only drops this byte.
            unsafe {
                libc::write(fd, (&raw const byte).cast(), 1);
            }
        }
    }

    /// The installed handlers and the pipe's read end.
    pub struct Signals {
        read: libc::c_int,
    }

    impl Signals {
        pub fn install() -> Signals {
            let mut fds = [-1; 2];
            // SAFETY: pipe(2) fills two descriptors we then own; fcntl and sigaction are given
            // valid arguments, and the handler does only async-signal-safe things.
            unsafe {
                if libc::pipe(fds.as_mut_ptr()) == 0 {
                    for fd in fds {
                        libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC);
                        let flags = libc::fcntl(fd, libc::F_GETFL);
                        libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
                    }
                    WAKE.store(fds[1], Ordering::SeqCst);
                }
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                action.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut action.sa_mask);
                libc::sigaction(libc::SIGINT, &action, std::ptr::null_mut());
                libc::sigaction(libc::SIGTERM, &action, std::ptr::null_mut());
            }
            Signals { read: fds[0] }
        }

        pub fn received(&self) -> Option<i32> {
            match RECEIVED.load(Ordering::SeqCst) {
                0 => None,
                n => Some(n),
            }
        }

        /// Sleeps until `until` or a signal, whichever comes first.
        pub fn sleep_until(&self, until: Instant) -> Option<i32> {
            loop {
                if let Some(n) = self.received() {
                    return Some(n);
                }
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return None;
                }
                if self.read < 0 {
                    std::thread::sleep(left.min(std::time::Duration::from_millis(100)));
                    continue;
                }
                let ms = left.as_millis().clamp(1, i32::MAX as u128) as libc::c_int;
                let mut fd = libc::pollfd {
                    fd: self.read,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd; an interrupted poll is simply tried again.
                unsafe {
                    libc::poll(&mut fd, 1, ms);
                }
            }
        }
    }
}

#[cfg(not(unix))]
mod imp {
    use std::time::Instant;

    /// Without Unix signals, Ctrl-C ends the process the system's way.
    pub struct Signals;

    impl Signals {
        pub fn install() -> Signals {
            Signals
        }

        pub fn received(&self) -> Option<i32> {
            None
        }

        pub fn sleep_until(&self, until: Instant) -> Option<i32> {
            std::thread::sleep(until.saturating_duration_since(Instant::now()));
            None
        }
    }
}

/// SIGINT and SIGTERM, caught from [`Signals::install`] on.
pub struct Signals(imp::Signals);

impl Signals {
    /// Catches SIGINT and SIGTERM from now on.
    pub fn install() -> Signals {
        Signals(imp::Signals::install())
    }

    /// The first signal received so far.
    pub fn received(&self) -> Option<i32> {
        self.0.received()
    }

    /// Sleeps until `until`, or returns at once with a signal that comes meanwhile.
    pub fn sleep_until(&self, until: Instant) -> Option<i32> {
        self.0.sleep_until(until)
    }
}
