//! How long a connection takes once Microsoft redirects back, and how many HTTP round trips it
//! costs: the figures of the recruiter's connect path, against the in-process sandbox tenant over
//! real loopback HTTP and the real OS keychain. Prints figures; asserts nothing about speed.
//!
//! Run: `scripts/bench` (or `scripts/lib/test-session.sh cargo bench -p inbox-connect-core --bench connect`).

mod figures;

use inbox_connect_test_support as support;

use std::time::Instant;

use support::browser::{answers, client, manual_client, walk_to_redirect};
use support::sandbox::{profile, start, RILEY, RILEY_PASSWORD};

/// Timed connects after one untimed first connect (which also gives consent).
const RUNS: usize = 25;

#[tokio::main]
async fn main() {
    let sandbox = start().await;
    let vault = support::test_vault("bench");
    let browser = manual_client();
    let follow = client();
    let answers = answers(RILEY, RILEY_PASSWORD);
    let mut times = Vec::with_capacity(RUNS);
    let mut trips = Vec::with_capacity(RUNS);
    for run in 0..=RUNS {
        let (connector, mut links) = support::test_connector(profile(&sandbox), &vault);
        let pending = connector
            .begin_sign_in(&[], None)
            .await
            .expect("sign-in starts");
        let link = links
            .recv()
            .await
            .expect("the browser is asked to open the link");
        let redirect = walk_to_redirect(&browser, &link, &answers).await;
        let before = sandbox.control().requests_served();
        let started = Instant::now();
        let visit = tokio::spawn({
            let follow = follow.clone();
            async move { follow.get(redirect).send().await.map(|r| r.status()) }
        });
        let status = pending.wait().await.expect("the sign-in completes");
        let elapsed = started.elapsed();
        let served = sandbox.control().requests_served() - before;
        visit
            .await
            .expect("the browser task ends")
            .expect("the loopback page loads");
        assert_eq!(
            format!("{:?}", status.state),
            "Connected",
            "the run connected"
        );
        if run > 0 {
            times.push(elapsed);
            trips.push(served);
        }
    }
    let (first, _) = support::test_connector(profile(&sandbox), &vault);
    first
        .disconnect()
        .await
        .expect("the bench's keychain entry is removed");

    figures::times(
        "redirect_to_connected_ms",
        times,
        "code redemption, id token check, keychain write, one Graph $batch",
    );
    figures::round_trips("http_round_trips_after_redirect", trips);
}
