//! The sandbox clock: wall time plus an offset tests can advance (codes and tokens expire by it).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// A shareable clock; clones see the same offset.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_secs: Arc<AtomicI64>,
}

impl Clock {
    /// The current sandbox time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::seconds(self.offset_secs.load(Ordering::SeqCst))
    }

    /// The current sandbox time in Unix seconds (JWT `iat`/`exp`).
    pub fn unix(&self) -> i64 {
        self.now().timestamp()
    }

    /// Moves sandbox time forward.
    pub fn advance(&self, by: Duration) {
        let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX / 2);
        self.offset_secs.fetch_add(secs, Ordering::SeqCst);
    }
}
