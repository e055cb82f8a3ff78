//! How long the IT admin waits for the tenant checklist once signed in, and how many HTTP round
//! trips reading the organization costs: against the in-process sandbox tenant over real loopback
//! HTTP. Prints figures; asserts nothing about speed.
//!
//! Run: `scripts/bench` (or `cargo bench -p inbox-connect-core --bench admin_check`).

mod figures;

use inbox_connect_test_support as support;

use std::sync::Arc;
use std::time::Instant;

use entra_sandbox::seed::defaults::{ADMIN_PASSWORD, ADMIN_UPN};
use inbox_connect_core::admin::{self, AdminContext, AdminScopes};
use support::browser::{answers, client, walk, TestBrowser};
use support::sandbox::{profile, start};

/// Timed checklist reads with one admin sign-in.
const RUNS: usize = 25;

#[tokio::main]
async fn main() {
    let sandbox = start().await;
    let (browser, mut links) = TestBrowser::new();
    let ctx = AdminContext::new(profile(&sandbox), Arc::new(browser));
    let admin_browser = async {
        let link = links
            .recv()
            .await
            .expect("the admin's sign-in link is opened");
        walk(&client(), &link, &answers(ADMIN_UPN, ADMIN_PASSWORD)).await
    };
    let (session, _) = tokio::join!(
        admin::sign_in(&ctx, AdminScopes::Verify, Some(ADMIN_UPN), None),
        admin_browser
    );
    let session = session.expect("the admin signs in");

    let mut times = Vec::with_capacity(RUNS);
    let mut trips = Vec::with_capacity(RUNS);
    let mut items = 0;
    for _ in 0..RUNS {
        let before = sandbox.control().requests_served();
        let started = Instant::now();
        let snapshot = admin::read_tenant(&ctx, &session)
            .await
            .expect("the organization is read");
        let checklist =
            admin::evaluate(ctx.profile(), &[], &snapshot).expect("the checklist is evaluated");
        times.push(started.elapsed());
        trips.push(sandbox.control().requests_served() - before);
        items = checklist.items.len();
    }
    figures::times(
        "signed_in_to_checklist_ms",
        times,
        &format!("{items} items from the tenant's Graph reads"),
    );
    figures::round_trips("checklist_http_round_trips", trips);
}
