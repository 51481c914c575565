//! The server's clock as this process reads it: the offset between the server's clock and
//! this host's, read from the server at most once a minute. Leases, claims and the silence
//! of builds are measured by the server's clock without a round trip each time, and a host
//! whose own clock is off by minutes still agrees with every other.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::model::Timestamp;
use crate::store::StoreError;

/// How long an offset read from the server is used before it is read again (clocks drift
/// by far less than a millisecond in that time).
const REFRESH: Duration = Duration::from_secs(60);

/// The offset of the server's clock from this host's, and when it was read.
#[derive(Debug, Default)]
pub(super) struct ServerClock {
    offset: Mutex<Option<(Instant, i64)>>,
}

impl ServerClock {
    /// The server's time now: this host's time plus the offset, which `read` (a query of
    /// the server's clock) refreshes when it is older than a minute.
    pub(super) fn now(
        &self,
        read: impl FnOnce() -> Result<Timestamp, StoreError>,
    ) -> Result<Timestamp, StoreError> {
        let mut held = self.offset.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, offset)) = *held
            && at.elapsed() < REFRESH
        {
            return Ok(Timestamp(Timestamp::now().0 + offset));
        }
        let before = Timestamp::now();
        let server = read()?;
        let after = Timestamp::now();
        // The server read its clock somewhere in the round trip: its middle, at best.
        let offset = server.0 - (before.0 + after.0) / 2;
        *held = Some((Instant::now(), offset));
        Ok(Timestamp(after.0 + offset))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_is_read_once_and_applied_to_this_hosts_clock() {
        let clock = ServerClock::default();
        let ahead = 5 * 60_000;
        let first = clock
            .now(|| Ok(Timestamp(Timestamp::now().0 + ahead)))
            .unwrap();
        assert!(
            (first.0 - Timestamp::now().0 - ahead).abs() < 1_000,
            "{first:?}"
        );
        // Within the minute the server is not asked again.
        let second = clock
            .now(|| panic!("read again within the minute"))
            .unwrap();
        assert!(second >= first && (second.0 - Timestamp::now().0 - ahead).abs() < 1_000);
        // A failed read is an error, and leaves nothing cached.
        let fresh = ServerClock::default();
        let err = fresh.now(|| {
            Err(StoreError::Corrupt {
                what: "clock",
                detail: "x".into(),
            })
        });
        assert!(err.is_err() && fresh.offset.lock().unwrap().is_none());
    }
}
