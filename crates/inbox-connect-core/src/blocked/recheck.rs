//! When to look again whether an admin approved: when the recruiter comes back to the window, and
//! a few timed looks (soon after the request, as admins often approve within minutes of a
//! message, then less and less often), none once nobody is using the app: each look through the
//! browser opens a tab. Pure: the caller passes the time, so the schedule is tested without
//! waiting.
//!
//! The look itself is [`crate::Connector::recheck`].

use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);

/// The waits between timed re-checks; after the last one, [`RecheckSchedule::STEADY`].
const BACKOFF: [Duration; 3] = [
    Duration::from_secs(2 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(30 * 60),
];

/// The re-check timetable of one wait for approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecheckSchedule {
    /// Re-checks done since the last user activity.
    attempts: usize,
    /// When the last re-check ran (or the schedule started, or the user was last active).
    last: Instant,
    /// When the last re-check ran (or the schedule started).
    last_check: Instant,
    /// When the user last did something in the app.
    last_activity: Instant,
}

impl RecheckSchedule {
    /// The wait between re-checks once the backoff has run out.
    pub const STEADY: Duration = Duration::from_secs(60 * 60);
    /// How long after the user's last activity re-checks stop (each opens a browser tab, which is
    /// only acceptable while someone is there to see the result).
    pub const IDLE_LIMIT: Duration = Duration::from_secs(2 * 60 * 60);
    /// How long after a look coming back to the window looks again.
    pub const RETURN_GAP: Duration = MINUTE;

    /// A schedule starting at `now` (the request for approval, or the app's start while one is
    /// pending).
    pub fn new(now: Instant) -> RecheckSchedule {
        RecheckSchedule {
            attempts: 0,
            last: now,
            last_check: now,
            last_activity: now,
        }
    }

    /// The user did something (opened the window, clicked): start the backoff over.
    pub fn user_active(&mut self, now: Instant) {
        *self = RecheckSchedule {
            last_check: self.last_check,
            ..RecheckSchedule::new(now)
        };
    }

    /// The user came back to the window at `now`: whether to look now (the last look is over
    /// [`RecheckSchedule::RETURN_GAP`] old). The backoff starts over either way.
    pub fn returned(&mut self, now: Instant) -> bool {
        self.user_active(now);
        now.saturating_duration_since(self.last_check) >= Self::RETURN_GAP
    }

    /// A re-check ran at `now` (and the approval is still missing).
    pub fn checked(&mut self, now: Instant) {
        self.attempts += 1;
        self.last = now;
        self.last_check = now;
    }

    /// The wait before the next re-check.
    pub fn next_delay(&self) -> Duration {
        BACKOFF.get(self.attempts).copied().unwrap_or(Self::STEADY)
    }

    /// When the next re-check is due, or `None` when the app has been idle too long (re-checks
    /// resume with [`RecheckSchedule::user_active`]).
    pub fn next_due(&self) -> Option<Instant> {
        let due = self.last + self.next_delay();
        (due.duration_since(self.last_activity) <= Self::IDLE_LIMIT).then_some(due)
    }

    /// Whether a re-check is due at `now`.
    pub fn is_due(&self, now: Instant) -> bool {
        self.next_due().is_some_and(|due| now >= due)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(n: u64) -> Duration {
        MINUTE * u32::try_from(n).unwrap_or(u32::MAX)
    }

    #[test]
    fn backs_off_then_goes_hourly_then_stops_when_idle() {
        let start = Instant::now();
        let mut schedule = RecheckSchedule::new(start);
        let mut now = start;
        let mut waits = Vec::new();
        while let Some(due) = schedule.next_due() {
            waits.push((due - now).as_secs() / 60);
            now = due;
            schedule.checked(now);
        }
        // 2+10+30 = 42 min, then hourly: 102 min; the next (162 min) is past the 2 h limit.
        assert_eq!(waits, [2, 10, 30, 60]);
        assert!(!schedule.is_due(now + minutes(600)));
    }

    #[test]
    fn user_activity_restarts_the_backoff_and_the_idle_clock() {
        let start = Instant::now();
        let mut schedule = RecheckSchedule::new(start);
        for n in [2, 12, 42, 102] {
            schedule.checked(start + minutes(n));
        }
        assert_eq!(schedule.next_due(), None);
        let back = start + minutes(300);
        schedule.user_active(back);
        assert_eq!(schedule.next_due(), Some(back + minutes(2)));
        assert!(!schedule.is_due(back + Duration::from_secs(119)));
        assert!(schedule.is_due(back + minutes(2)));
    }

    #[test]
    fn coming_back_looks_unless_a_look_just_ran() {
        let start = Instant::now();
        let mut schedule = RecheckSchedule::new(start);
        assert!(!schedule.returned(start + Duration::from_secs(30)));
        assert!(schedule.returned(start + minutes(5)));
        schedule.checked(start + minutes(5));
        assert!(!schedule.returned(start + minutes(5) + Duration::from_secs(59)));
        assert!(schedule.returned(start + minutes(6)));
        // Coming back restarts the timed looks from then.
        assert_eq!(schedule.next_due(), Some(start + minutes(8)));
    }
}
