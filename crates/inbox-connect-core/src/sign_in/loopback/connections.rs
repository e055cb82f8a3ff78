//! The receiver's open connections, oldest first, with a cap. Past the cap, a new connection
//! evicts the oldest one that is not in the middle of a request: a flood of idle sockets pushes out
//! its own sockets, never the browser's fresh callback. (A semaphore on accept would instead make
//! the callback wait until a flooding socket times out.)

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio_util::sync::{CancellationToken, WaitForCancellationFuture};

/// The open connections of one receiver (both its listeners).
pub(super) struct Connections {
    cap: usize,
    open: Mutex<VecDeque<Arc<Tracked>>>,
}

#[derive(Default)]
struct Tracked {
    requests: AtomicUsize,
    evict: CancellationToken,
}

impl Tracked {
    fn is_idle(&self) -> bool {
        self.requests.load(Ordering::Acquire) == 0
    }
}

/// One connection's place; dropping it (the connection ended) frees the place.
pub(super) struct Slot {
    tracked: Arc<Tracked>,
    connections: Arc<Connections>,
}

/// Counts a connection's requests in progress, for [`Slot`]'s eviction order.
#[derive(Clone)]
pub(super) struct Activity(Arc<Tracked>);

/// A request in progress on its connection, until dropped.
pub(super) struct DuringRequest(Arc<Tracked>);

impl Connections {
    pub(super) fn new(cap: usize) -> Arc<Connections> {
        Arc::new(Connections {
            cap,
            open: Mutex::new(VecDeque::new()),
        })
    }

    /// Registers a just-accepted connection, evicting one if that goes past the cap (the
    /// newcomer itself only when every older one is in the middle of a request).
    pub(super) fn admit(self: &Arc<Connections>) -> Slot {
        let tracked = Arc::new(Tracked::default());
        let mut open = self.lock();
        open.push_back(tracked.clone());
        if open.len() > self.cap {
            evict_oldest_idle(&mut open);
        }
        Slot {
            tracked,
            connections: self.clone(),
        }
    }

    /// Evicts the oldest idle connection, to free its file descriptor.
    pub(super) fn evict_oldest_idle(&self) {
        evict_oldest_idle(&mut self.lock());
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<Arc<Tracked>>> {
        crate::sync::lock(&self.open)
    }
}

fn evict_oldest_idle(open: &mut VecDeque<Arc<Tracked>>) {
    if let Some(at) = open.iter().position(|t| t.is_idle()) {
        if let Some(evicted) = open.remove(at) {
            evicted.evict.cancel();
        }
    }
}

impl Slot {
    /// Resolves when this connection was evicted: it should close at once.
    pub(super) fn evicted(&self) -> WaitForCancellationFuture<'_> {
        self.tracked.evict.cancelled()
    }

    pub(super) fn activity(&self) -> Activity {
        Activity(self.tracked.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.connections
            .lock()
            .retain(|t| !Arc::ptr_eq(t, &self.tracked));
    }
}

impl Activity {
    pub(super) fn begin(&self) -> DuringRequest {
        self.0.requests.fetch_add(1, Ordering::AcqRel);
        DuringRequest(self.0.clone())
    }
}

impl Drop for DuringRequest {
    fn drop(&mut self) {
        self.0.requests.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evicted(slot: &Slot) -> bool {
        slot.tracked.evict.is_cancelled()
    }

    #[test]
    fn past_the_cap_the_oldest_idle_connection_goes_and_the_newest_stays() {
        let connections = Connections::new(2);
        let slots: Vec<Slot> = (0..5).map(|_| connections.admit()).collect();
        let gone: Vec<bool> = slots.iter().map(evicted).collect();
        assert_eq!(gone, [true, true, true, false, false]);
        assert_eq!(connections.lock().len(), 2);
    }

    #[test]
    fn a_connection_in_the_middle_of_a_request_is_passed_over() {
        let connections = Connections::new(2);
        let busy = connections.admit();
        let _request = busy.activity().begin();
        let idle = connections.admit();
        let newest = connections.admit();
        assert!(!evicted(&busy) && evicted(&idle) && !evicted(&newest));

        // Every older connection busy: the newcomer is the one turned away.
        let _second = newest.activity().begin();
        let excess = connections.admit();
        assert!(evicted(&excess) && !evicted(&busy) && !evicted(&newest));
    }

    #[test]
    fn an_ended_connection_frees_its_place_and_a_finished_request_makes_it_idle() {
        let connections = Connections::new(2);
        let first = connections.admit();
        drop(connections.admit());
        let request = first.activity().begin();
        let _third = connections.admit();
        assert!(!evicted(&first), "a place was free");
        drop(request);
        connections.evict_oldest_idle();
        assert!(evicted(&first), "idle again once its request ended");
    }
}
