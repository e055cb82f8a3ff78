//! Any query a browser (or a forger) can send to the loopback receiver: reading it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // A request's query reaches the receiver as text (hyper refuses a non-UTF-8 request line).
    if let Ok(query) = std::str::from_utf8(data) {
        std::hint::black_box(inbox_connect_core::fuzzing::callback_query(query));
    }
});
