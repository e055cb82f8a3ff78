//! When to look again whether an admin approved: when the recruiter comes back to the window, and
//! a few timed looks (soon after the request, as admins often approve within minutes of a
//! message, then less and less often), none once nobody is using the app: each look through the
//! browser opens a tab. A look the recruiter asks for ("Check again") never moves the timed
//! ones: they are the app's promise to catch an approval soon, whatever was clicked meanwhile. A
//! grant this app recorded (the admin granted from this window) makes a look due at once. Pure:
//! the caller passes the time, so the schedule is tested without waiting.
//!
//! The connection owns one schedule and answers the window with a [`RecheckPlan`]
//! ([`crate::Connector::recheck_plan`]); the look itself is [`crate::Connector::recheck`].

use std::time::{Duration, Instant};

const MINUTE: Duration = Duration::from_secs(60);

/// The waits between timed re-checks; after the last one, [`RecheckSchedule::STEADY`].
const BACKOFF: [Duration; 3] = [
    Duration::from_secs(2 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(30 * 60),
];

/// What the window shows about the next look for an approval, and the one timer it sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecheckPlan {
    /// Looks only when asked: no approval is awaited, or nobody can be named for a look without a
    /// page (`quiet` false: each look is a whole sign-in).
    WhenAsked {
        /// Whether a look goes without a sign-in page.
        quiet: bool,
    },
    /// The last look found that Microsoft wants the recruiter to sign in once: no look by itself
    /// until then.
    SignInFirst,
    /// Nobody has used the app for [`RecheckSchedule::IDLE_LIMIT`]: looks resume when someone
    /// does.
    Paused,
    /// The next look without a page, in `in_secs` seconds (0: now).
    Next {
        /// Seconds until the look.
        in_secs: u64,
    },
}

/// How a look for the approval can go, as the connection knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookWay {
    /// Without a page: with the refresh token, or `prompt=none` naming the account or the
    /// organization.
    Quiet,
    /// Nobody can be named: a look is a whole sign-in page.
    SignInPage,
    /// The last look found that Microsoft wants the recruiter to sign in once first.
    AfterSignIn,
}

/// Who asked for a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// The app, on its schedule: the backoff moves on.
    Timed,
    /// The recruiter ("Check again"): the timed looks stay as they were.
    ByHand,
}

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
    /// An admin granted through this app since the last timed look: look now.
    granted: bool,
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
            granted: false,
        }
    }

    /// The user did something (opened the window, clicked): start the backoff over.
    pub fn user_active(&mut self, now: Instant) {
        *self = RecheckSchedule {
            last_check: self.last_check,
            granted: self.granted,
            ..RecheckSchedule::new(now)
        };
    }

    /// The recruiter looked by hand ("Check again") at `now`: the timed looks stay as they were
    /// (one look before IT acted must not push the next to ten minutes); only coming back to the
    /// window right after it does not look again.
    pub fn looked_by_hand(&mut self, now: Instant) {
        self.last_check = now;
    }

    /// An admin granted the app's permissions through this app at `now`: the next look is due at
    /// once (the approval is there; only the recruiter's tokens are missing).
    pub fn grant_recorded(&mut self, now: Instant) {
        self.user_active(now);
        self.granted = true;
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
        self.granted = false;
    }

    /// The wait before the next re-check.
    pub fn next_delay(&self) -> Duration {
        if self.granted {
            return Duration::ZERO;
        }
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

    /// A look of this kind started at `now`.
    pub fn looked(&mut self, look: Look, now: Instant) {
        match look {
            Look::Timed => self.checked(now),
            Look::ByHand => self.looked_by_hand(now),
        }
    }

    /// The plan at `now` while an approval is `awaited` (or not), for a look that would go `way`.
    pub fn plan(&self, now: Instant, awaited: bool, way: LookWay) -> RecheckPlan {
        match (awaited, way) {
            (false, way) | (true, way @ LookWay::SignInPage) => RecheckPlan::WhenAsked {
                quiet: way != LookWay::SignInPage,
            },
            (true, LookWay::AfterSignIn) => RecheckPlan::SignInFirst,
            (true, LookWay::Quiet) => match self.next_due() {
                Some(due) => RecheckPlan::Next {
                    in_secs: due.saturating_duration_since(now).as_secs(),
                },
                None => RecheckPlan::Paused,
            },
        }
    }

    /// The recruiter came back to the window at `now`: whether to look now. Only a wait with
    /// quiet looks has a schedule to restart ([`RecheckSchedule::returned`]).
    pub fn returned_to(&mut self, now: Instant, awaited: bool, way: LookWay) -> bool {
        awaited && way == LookWay::Quiet && self.returned(now)
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

    /// Issue 27: one "Check again" 11 s after the request (IT had not acted yet) left the next
    /// automatic look 10 minutes away; it stays 2 minutes after the request.
    #[test]
    fn a_look_by_hand_never_delays_the_timed_ones() {
        let start = Instant::now();
        let mut schedule = RecheckSchedule::new(start);
        schedule.looked_by_hand(start + Duration::from_secs(11));
        assert_eq!(schedule.next_due(), Some(start + minutes(2)));
        // After a timed look, a look by hand leaves the next at 10 minutes after it.
        schedule.checked(start + minutes(2));
        schedule.looked_by_hand(start + minutes(3));
        assert_eq!(schedule.next_due(), Some(start + minutes(12)));
        // Coming back right after the look by hand does not look again.
        assert!(!schedule.returned(start + minutes(3) + Duration::from_secs(30)));
    }

    #[test]
    fn a_grant_recorded_here_makes_a_look_due_at_once_then_the_backoff_resumes() {
        let start = Instant::now();
        let mut schedule = RecheckSchedule::new(start);
        let granted = start + Duration::from_secs(40);
        schedule.grant_recorded(granted);
        assert!(schedule.is_due(granted));
        // Clicking about the window meanwhile keeps it due.
        schedule.user_active(granted + Duration::from_secs(5));
        assert!(schedule.is_due(granted + Duration::from_secs(5)));
        schedule.checked(granted + Duration::from_secs(6));
        assert_eq!(
            schedule.next_due(),
            Some(granted + Duration::from_secs(6) + minutes(10))
        );
    }

    #[test]
    fn the_plan_times_only_quiet_looks_for_an_awaited_approval() {
        let start = Instant::now();
        let mut schedule = RecheckSchedule::new(start);
        let now = start + minutes(1);
        assert_eq!(
            schedule.plan(now, true, LookWay::Quiet),
            RecheckPlan::Next { in_secs: 60 }
        );
        // Each look would be a sign-in page: only when asked.
        assert_eq!(
            schedule.plan(now, true, LookWay::SignInPage),
            RecheckPlan::WhenAsked { quiet: false }
        );
        assert_eq!(
            schedule.plan(now, true, LookWay::AfterSignIn),
            RecheckPlan::SignInFirst
        );
        // Nothing awaited: "Check again" still looks quietly when it can.
        assert_eq!(
            schedule.plan(now, false, LookWay::AfterSignIn),
            RecheckPlan::WhenAsked { quiet: true }
        );
        // Idle past the limit: paused; the window's return looks at once and resumes the backoff.
        for n in [2, 12, 42, 102] {
            schedule.looked(Look::Timed, start + minutes(n));
        }
        let later = start + minutes(400);
        assert_eq!(
            schedule.plan(later, true, LookWay::Quiet),
            RecheckPlan::Paused
        );
        assert!(!schedule.returned_to(later, false, LookWay::Quiet));
        assert!(!schedule.returned_to(later, true, LookWay::SignInPage));
        assert_eq!(
            schedule.plan(later, true, LookWay::Quiet),
            RecheckPlan::Paused,
            "a return that cannot look leaves the schedule as it was"
        );
        assert!(schedule.returned_to(later, true, LookWay::Quiet));
        assert_eq!(
            schedule.plan(later, true, LookWay::Quiet),
            RecheckPlan::Next { in_secs: 120 }
        );
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
