//! Sign-in attempts limited per client address: after [`MAX_FAILURES`] failures within
//! [`WINDOW`], further attempts from that address are refused until the window passes.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed sign-ins an address may make within [`WINDOW`].
pub(crate) const MAX_FAILURES: u32 = 10;

/// The window failures are counted in.
pub(crate) const WINDOW: Duration = Duration::from_secs(600);

/// The most addresses tracked at once (older windows are forgotten first).
const MAX_ADDRESSES: usize = 100_000;

/// Failures per address.
#[derive(Debug, Default)]
pub(crate) struct SignInLimiter {
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl SignInLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, (Instant, u32)>> {
        // One insert or update at a time: a panic leaves the map whole.
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether `addr` may try now.
    pub(crate) fn allows(&self, addr: IpAddr) -> bool {
        let now = Instant::now();
        self.lock()
            .get(&addr)
            .is_none_or(|(since, n)| now.duration_since(*since) >= WINDOW || *n < MAX_FAILURES)
    }

    /// Counts a failure of `addr`.
    pub(crate) fn failed(&self, addr: IpAddr) {
        let now = Instant::now();
        let mut failures = self.lock();
        if failures.len() >= MAX_ADDRESSES {
            failures.retain(|_, (since, _)| now.duration_since(*since) < WINDOW);
        }
        let entry = failures.entry(addr).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
    }

    /// Forgets `addr`'s failures after it signed in.
    pub(crate) fn succeeded(&self, addr: IpAddr) {
        self.lock().remove(&addr);
    }
}
