//! How the benches print their figures: `figure: name key=value ...` lines that `scripts/bench`
//! picks out.

use std::time::Duration;

/// Prints the median, p90, min and max of `times` (in ms), and `note`.
pub fn times(name: &str, mut times: Vec<Duration>, note: &str) {
    times.sort();
    let n = times.len();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "figure: {name} median={:.1} p90={:.1} min={:.1} max={:.1} (n={n}; {note})",
        ms(times[n / 2]),
        ms(times[n * 9 / 10]),
        ms(times[0]),
        ms(times[n - 1]),
    );
}

/// Prints the median of `counts` of HTTP round trips, with their range.
pub fn round_trips(name: &str, mut counts: Vec<u64>) {
    counts.sort();
    let n = counts.len();
    println!(
        "figure: {name}={} (min {}, max {}; counted by the sandbox)",
        counts[n / 2],
        counts[0],
        counts[n - 1]
    );
}
