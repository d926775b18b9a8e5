//! Reads the instance document once a minute for an hour, as an agent on an instance would,
//! printing its status and health. One session serves the whole hour: it mints its identity
//! token on the first read, mints a new one before that expires, and mints again after a 401,
//! on any call. A read that fails is reported and the next minute tried; settings that cannot
//! work end the program.
//!
//! Run it on an instance, or against the emulator:
//!
//! ```sh
//! imds-mock -- cargo run --example every_minute
//! ```
//!
//! `IMDS_ENDPOINT`, `IMDS_WAIT` (a window for each read), `IMDS_TIMEOUT` and the other `IMDS_*`
//! variables apply as they do to `imds`.

use std::time::{Duration, Instant};

use imds_client::{Kind, Session, Settings};

/// How often the document is read, and how many times.
const INTERVAL: Duration = Duration::from_secs(60);
const READS: u32 = 60;

fn main() -> Result<(), imds_client::Error> {
    let settings = Settings::from_env()?;
    let session = Session::new(&settings)?;
    let mut next = Instant::now();
    for minute in 0..READS {
        match session.document("instance") {
            Ok(instance) => println!(
                "{minute:2}: {} status {}, health {}",
                instance["name"], instance["status"], instance["health_state"]
            ),
            // A read the service refuses for good, or a wrong endpoint, will not get better.
            Err(e) if matches!(e.kind(), Kind::Usage | Kind::Refused) => return Err(e),
            Err(e) => eprintln!("{minute:2}: {}", e.message()),
        }
        // Drift-free: the next read is a whole interval after the last one was due.
        next += INTERVAL;
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    Ok(())
}
