//! The connection's one re-check schedule: when the app looks next whether an admin approved, from
//! what only the connection knows (whether an approval is awaited, whether a look can go without a
//! page, what the last look found). The shell and the window show the plan and fire its timer.

use std::time::Instant;

use super::Connector;
use crate::blocked::recheck::{Look, RecheckPlan, RecheckSchedule};
use crate::sync::lock;

impl Connector {
    /// When the app looks next, or why it does not; `active`: the recruiter just did something in
    /// the window (the backoff starts over: someone is there to see the result).
    pub async fn recheck_plan(&self, active: bool) -> RecheckPlan {
        let session = self.inner.session.lock().await;
        let now = Instant::now();
        let mut schedule = lock(&self.inner.recheck);
        if active {
            schedule.user_active(now);
        }
        schedule.plan(now, session.waiting(), session.look_way())
    }

    /// The recruiter came back to the window: whether to look now (quietly, for an awaited
    /// approval, the last look over [`RecheckSchedule::RETURN_GAP`] old).
    pub async fn recheck_on_return(&self) -> bool {
        let session = self.inner.session.lock().await;
        lock(&self.inner.recheck).returned_to(Instant::now(), session.waiting(), session.look_way())
    }

    /// An admin granted the app's permissions through this app: the next look is due at once.
    pub fn grant_recorded(&self) {
        lock(&self.inner.recheck).grant_recorded(Instant::now());
    }

    /// A look started now.
    pub(super) fn looked(&self, look: Look) {
        lock(&self.inner.recheck).looked(look, Instant::now());
    }

    /// A sign-in with a page ended now: Microsoft was just asked, so the looks start from here.
    pub(super) fn restart_looks(&self) {
        *lock(&self.inner.recheck) = RecheckSchedule::new(Instant::now());
    }
}
