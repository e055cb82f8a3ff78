//! The diagnosis corpus stays at or above its threshold, and no paste crashes or hangs the
//! diagnosis, whatever its size.

use inbox_connect_test_support::corpus;

use std::time::{Duration, Instant};

use inbox_connect_core::diagnosis::{diagnose, Cause, ClueKind, MAX_SCAN};

/// At least 95 % of the corpus right: a regression shows as a drop below it.
const THRESHOLD_PERCENT: usize = 95;

#[test]
fn the_corpus_is_diagnosed_right() {
    let score = corpus::run();
    let report = score.report();
    println!("{report}");
    assert!(score.total >= 100, "{report}");
    assert!(
        score.right * 100 >= score.total * THRESHOLD_PERCENT,
        "below {THRESHOLD_PERCENT} %: {report}"
    );
}

/// Issue 31's families (cancellation in each SDK's words, device and app state, personal accounts,
/// services not enabled, Graph and Exchange answers, `invalid_grant` by its description) are all
/// right: each is a real paste with its source, and a miss is a regression of a whole family.
#[test]
fn issue_31_families_are_all_right() {
    let score = corpus::run_where(|path| path.starts_with("issue-31/"));
    let report = score.report();
    println!("{report}");
    assert!(score.total >= 80, "{report}");
    assert_eq!(score.right, score.total, "{report}");
}

#[test]
fn ten_megabytes_of_junk_are_read_in_bounded_time() {
    // Braces, percent signs, quotes, tags and code-like digits: every unwrapping has work to do.
    let chunk = "{\"error\": %7B%22 <div>&amp; \\\"x\\\" \"\" AADSTS 1234 error=? code: 99999 } ";
    let junk = chunk.repeat(10 * 1024 * 1024 / chunk.len());
    let pasted = format!("{junk}AADSTS50076: you must use multi-factor authentication");
    let started = Instant::now();
    let d = diagnose(&pasted);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // The tail is read: the code at the end of a long log is found.
    assert_eq!(d.cause, Cause::MfaRequired);
    let cut = d.evidence.iter().find(|c| c.kind == ClueKind::InputCut);
    assert!(
        cut.is_some_and(|c| c.text.contains(&pasted.len().to_string())),
        "{:?}",
        d.evidence
    );
    assert!(pasted.len() > MAX_SCAN);
}

#[test]
fn odd_input_never_panics() {
    for text in [
        "",
        "{",
        "%",
        "%E2%82",
        "\\u12",
        "<",
        "</",
        "error=",
        "AADSTS",
        "aadsts99999999999",
        "\"\"\"\"",
        "é".repeat(MAX_SCAN).as_str(),
    ] {
        let d = diagnose(text);
        assert_eq!(d.cause, Cause::Other, "{text:?}");
    }
}
