//! Entry points for `cargo fuzz` (fuzz/ at the repository root), behind the `fuzzing` feature:
//! the crate-private readers of what a browser hands the loopback receiver.

use crate::sign_in::loopback::query::unique_params;
use crate::sign_in::loopback::{Answer, Callback};

/// Reads a callback's query as the receiver does: its parameters (a repeated one is refused),
/// then the sign-in answer they carry. Tells what it came to: `None` for a refused query,
/// `Some(false)` for a stray request, `Some(true)` for an answer.
pub fn callback_query(query: &str) -> Option<bool> {
    let params = unique_params(query).ok()?;
    Some(<Callback as Answer>::from_query(&params).is_some())
}
