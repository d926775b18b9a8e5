//! Signals for the commands that outlive one request: a command run by `imds exec` (or by the
//! emulator's exec mode) gets the SIGTERM and SIGHUP sent to us, and `token --refresh` and
//! `imds watch` wait between steps in a way that SIGTERM or SIGINT ends at once. What a command
//! does when stopped is its own business.

#[cfg(unix)]
pub use unix::{Stop, forward_to, hold_for_child};

#[cfg(not(unix))]
pub use portable::{Stop, forward_to, hold_for_child};

#[cfg(unix)]
mod unix {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::sync::atomic::{AtomicI32, Ordering};
    use std::time::{Duration, Instant};

    /// The command's process id, read by the signal handler (atomics are async-signal-safe).
    static CHILD: AtomicI32 = AtomicI32::new(0);
    /// The write end of [`Stop`]'s pipe, for the handler; -1 until one is installed.
    static WAKE: AtomicI32 = AtomicI32::new(-1);
    /// The first SIGTERM or SIGINT received (it decides the exit status); 0 for none.
    static RECEIVED: AtomicI32 = AtomicI32::new(0);

    /// A SIGTERM or SIGHUP that came before the command's id was known; 0 for none.
    static PENDING: AtomicI32 = AtomicI32::new(0);

    extern "C" fn pass_on(signal: libc::c_int) {
        PENDING.store(signal, Ordering::SeqCst);
        deliver();
    }

    /// Sends the pending signal to the command, once, if its id is known. Called by the
    /// handler and after the id is stored, so a signal between the two is not lost.
    fn deliver() {
        let pid = CHILD.load(Ordering::SeqCst);
        if pid > 0 {
            let signal = PENDING.swap(0, Ordering::SeqCst);
            if signal != 0 {
                // SAFETY: kill(2) is async-signal-safe; pid is our own child's.
                unsafe {
                    libc::kill(pid, signal);
                }
            }
        }
    }

    /// Before the command starts: from now on SIGTERM and SIGHUP are kept for it (a signal
    /// that came between its start and [`forward_to`] would otherwise end imds and leave the
    /// command running), and SIGINT is left to the process group (a terminal's Ctrl-C reaches
    /// the command already; passing it on would deliver it twice).
    pub fn hold_for_child() {
        let handler = pass_on as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: installing a handler that only calls kill(2) and uses atomics.
        unsafe {
            libc::signal(libc::SIGTERM, handler);
            libc::signal(libc::SIGHUP, handler);
            libc::signal(libc::SIGINT, libc::SIG_IGN);
        }
    }

    /// The command started as `pid`: SIGTERM and SIGHUP go to it, one that came already too.
    pub fn forward_to(pid: u32) {
        CHILD.store(pid as i32, Ordering::SeqCst);
        deliver();
    }

    extern "C" fn note(signal: libc::c_int) {
        let _ = RECEIVED.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
        let fd = WAKE.load(Ordering::SeqCst);
        if fd >= 0 {
            let byte = 1u8;
            // SAFETY: write(2) is async-signal-safe; the pipe is non-blocking, so a full pipe
            // (a waiter woken already) drops the byte instead of blocking the handler.
            unsafe {
                libc::write(fd, (&byte as *const u8).cast(), 1);
            }
        }
    }

    /// SIGTERM and SIGINT noted instead of ending the process, and a wait they cut short (the
    /// self-pipe trick: the handler writes a byte that `poll` sees).
    pub struct Stop {
        read: OwnedFd,
        _write: OwnedFd,
    }

    impl Stop {
        /// Installs the handlers for SIGTERM and SIGINT. Requests under way go on (system
        /// calls restart); the caller looks at [`Stop::received`] between steps.
        pub fn install() -> std::io::Result<Stop> {
            let mut fds = [0; 2];
            // SAFETY: pipe(2) fills two descriptors that we own from here on.
            if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // SAFETY: both are open descriptors nobody else owns.
            let (read, write) =
                unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
            for fd in [&read, &write] {
                // SAFETY: fcntl(2) on descriptors we own. Close-on-exec keeps them from the
                // programs we run; non-blocking keeps the handler from ever blocking.
                unsafe {
                    libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC);
                    let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
                    libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
                }
            }
            WAKE.store(write.as_raw_fd(), Ordering::SeqCst);
            for signal in [libc::SIGTERM, libc::SIGINT] {
                // SAFETY: a handler that only stores to atomics and calls write(2); the
                // sigaction struct is zeroed, then filled.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = note as extern "C" fn(libc::c_int) as libc::sighandler_t;
                    action.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut action.sa_mask);
                    if libc::sigaction(signal, &action, std::ptr::null_mut()) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
            }
            Ok(Stop {
                read,
                _write: write,
            })
        }

        /// The signal received so far, if any.
        pub fn received(&self) -> Option<i32> {
            match RECEIVED.load(Ordering::SeqCst) {
                0 => None,
                n => Some(n),
            }
        }

        /// Waits `timeout`, or less if SIGTERM or SIGINT comes; the signal, if one came.
        pub fn wait(&self, timeout: Duration) -> Option<i32> {
            let until = Instant::now() + timeout;
            loop {
                if let Some(n) = self.received() {
                    return Some(n);
                }
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return None;
                }
                let ms = left.as_millis().clamp(1, i32::MAX as u128) as i32;
                let mut fd = libc::pollfd {
                    fd: self.read.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one pollfd on a descriptor we own; EINTR just loops.
                unsafe {
                    libc::poll(&mut fd, 1, ms);
                }
            }
        }
    }
}

#[cfg(not(unix))]
mod portable {
    use std::time::Duration;

    /// Without POSIX signals, Ctrl-C ends the process as it always does.
    pub fn hold_for_child() {}

    /// Likewise.
    pub fn forward_to(_pid: u32) {}

    /// Without POSIX signals, a wait is a sleep.
    pub struct Stop;

    impl Stop {
        pub fn install() -> std::io::Result<Stop> {
            Ok(Stop)
        }
        pub fn received(&self) -> Option<i32> {
            None
        }
        pub fn wait(&self, timeout: Duration) -> Option<i32> {
            std::thread::sleep(timeout);
            None
        }
    }
}

/// A process's exit status as a shell reports it: its code, or 128+N when signal N ended it.
pub fn shell_status(status: std::process::ExitStatus) -> i32 {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        status
            .code()
            .or_else(|| status.signal().map(|n| 128 + n))
            .unwrap_or(1)
    }
    #[cfg(not(unix))]
    {
        status.code().unwrap_or(1)
    }
}
