//! Diagnoses every case of the corpus (tests/diagnosis-corpus/cases.toml) and prints "N/M right"
//! with each miss, and how long the corpus took. Asserts nothing: the test of the same name holds
//! the figure to its threshold.

use inbox_connect_test_support::corpus;

use std::time::Instant;

fn main() {
    let started = Instant::now();
    let score = corpus::run();
    print!("{}", score.report());
    println!(
        "diagnosis corpus: {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
