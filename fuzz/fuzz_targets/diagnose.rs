//! Any text a user can paste into "explain this error page": diagnosing it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    std::hint::black_box(inbox_connect_core::diagnosis::diagnose(text));
});
