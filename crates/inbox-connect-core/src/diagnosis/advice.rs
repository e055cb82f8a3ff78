//! What each cause means for the person in front of the app, and who can fix it. Each piece of
//! advice has a stable key (`admin_consent_required.risky_app`): the window words it from its
//! catalogs (`ui/i18n/*.json`, `advice.<key>.explanation` and `advice.<key>.steps.<n>`); the
//! English here is the CLI's, the report's and the catalogs' source (a test keeps them equal).

mod calls;
mod sign_in;

use serde::{Deserialize, Serialize};

use super::cause::Cause;
use Cause::*;
use FixedBy::*;

/// Who can remove the cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixedBy {
    /// The person connecting their mailbox.
    Recruiter,
    /// The organization's IT (an Entra ID administrator).
    ItAdmin,
    /// The recruiting product's vendor (its app registration or client).
    Vendor,
}

/// The plain-language part of a diagnosis, for a cause with one of `details` (or any detail,
/// when there are none).
#[derive(Debug)]
pub struct AdviceEntry {
    /// The stable key (the cause's id, then the detail it is for).
    pub key: &'static str,
    cause: Cause,
    details: &'static [&'static str],
    /// Who can remove the cause.
    pub fixed_by: FixedBy,
    /// The cause in plain words.
    pub explanation: &'static str,
    /// What to do, in order.
    pub next_steps: &'static [&'static str],
}

impl AdviceEntry {
    fn fits(&self, cause: Cause, detail: Option<&str>) -> bool {
        self.cause == cause
            && (self.details.is_empty() || detail.is_some_and(|d| self.details.contains(&d)))
    }
}

/// The advice for a cause; `detail` picks a more precise text where one exists.
pub(crate) fn advise(cause: Cause, detail: Option<&str>) -> &'static AdviceEntry {
    table()
        .find(|a| a.fits(cause, detail))
        .unwrap_or(&UNRECOGNIZED)
}

/// Every cause's advice (each cause wholly in one of the two families).
fn table() -> impl Iterator<Item = &'static AdviceEntry> {
    sign_in::ADVICE.iter().chain(calls::ADVICE.iter())
}

/// Every piece of advice, each once (the UI's catalogs have one entry for each).
pub fn all_advice() -> impl Iterator<Item = &'static AdviceEntry> {
    table().chain(std::iter::once(&UNRECOGNIZED))
}

/// For [`Cause::Other`], and any cause without advice of its own.
static UNRECOGNIZED: AdviceEntry = AdviceEntry {
    key: "other",
    cause: Other,
    details: &[],
    fixed_by: Recruiter,
    explanation: "Microsoft stopped the connection for a reason the app does not recognize.",
    next_steps: &[
        "Try Connect Outlook once more.",
        "If it fails again, copy the diagnostic report and send it to your IT admin or the product's support.",
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    /// No piece of advice is shadowed by another one of its cause (the table is split by family,
    /// and a cause's advice for a detail must come before its advice for any detail).
    #[test]
    fn every_piece_of_advice_is_reachable() {
        for entry in all_advice() {
            let asked: Vec<Option<&str>> = if entry.details.is_empty() {
                vec![None]
            } else {
                entry.details.iter().map(|d| Some(*d)).collect()
            };
            for detail in asked {
                assert_eq!(advise(entry.cause, detail).key, entry.key, "{detail:?}");
            }
        }
    }
}
