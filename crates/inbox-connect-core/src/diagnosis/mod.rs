//! Consent diagnosis: from what Microsoft sent back to why the connection failed, who can fix it, and
//! what to do next.
//!
//! Input is any artifact of a failed connection (an authorize redirect, the token endpoint's error
//! JSON, Graph's error JSON, or text pasted from Microsoft's error page, in whatever wrapping: log
//! lines, exceptions, CSV, HTML, URL encoding), or the fields the library already parsed from one;
//! output is a [`Diagnosis`]. Unknown codes get a generic answer, never a failure; work is bounded
//! for any input size (decode.rs reads at most [`MAX_SCAN`] bytes of it).

mod advice;
mod cause;
mod decode;
mod evidence;
mod table;
mod verdict;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::refusal::{GraphErrorFields, OAuthErrorFields};
use crate::words::{Language, Words};

pub use advice::{all_advice, AdviceEntry, FixedBy};
pub use cause::Cause;
pub use decode::MAX_SCAN;
pub use evidence::Facts;
pub use table::{AadstsEntry, Refinement, TableError, Tables};
pub use verdict::{Clue, ClueKind, Confidence};

/// Why a connection failed and what to do about it.
///
/// The texts are `Cow` so that a diagnosis read back (a pending approval kept across restarts)
/// is the same type as a fresh one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// The cause, from a closed set.
    pub cause: Cause,
    /// A finer detail (`risky_app`, `device_not_compliant`, …) when one is known.
    pub detail: Option<Cow<'static, str>>,
    /// The leading Microsoft code (`AADSTS90094`) or Graph code, when there was one.
    pub code: Option<String>,
    /// Who can remove the cause.
    pub fixed_by: FixedBy,
    /// The key of the advice below, for the window's own words
    /// (`admin_consent_required.risky_app`).
    pub advice: Cow<'static, str>,
    /// The cause in plain words (English).
    pub explanation: Cow<'static, str>,
    /// What to do, in order.
    pub next_steps: Vec<Cow<'static, str>>,
    /// The facts IT needs to look the failure up.
    pub facts: Facts,
    /// How sure the cause is.
    pub confidence: Confidence,
    /// What the diagnosis read that points to the cause, the deciding clue first.
    pub evidence: Vec<Clue>,
    /// A second cause that fits what was read, less specific than `cause`.
    pub also_possible: Option<Cause>,
}

/// Diagnoses an artifact of a failed connection, of any of the accepted shapes.
pub fn diagnose(artifact: &str) -> Diagnosis {
    diagnose_with(artifact, Facts::default())
}

/// Diagnoses an artifact, adding what the app already knows (account, tenant) to the facts; what the
/// artifact itself says wins.
pub fn diagnose_with(artifact: &str, known: Facts) -> Diagnosis {
    conclude(evidence::read(artifact), known)
}

/// Diagnoses the OAuth error fields of an authorize redirect or a token response, as the library
/// parsed them.
pub fn diagnose_oauth(fields: &OAuthErrorFields, known: Facts) -> Diagnosis {
    conclude(evidence::from_oauth(fields), known)
}

/// Diagnoses a Graph error, as the library parsed it.
pub fn diagnose_graph(fields: &GraphErrorFields, known: Facts) -> Diagnosis {
    conclude(evidence::from_graph(fields), known)
}

fn conclude(mut evidence: evidence::Evidence, known: Facts) -> Diagnosis {
    let facts = &mut evidence.facts;
    facts.account = facts.account.take().or(known.account);
    facts.tenant = facts.tenant.take().or(known.tenant);
    facts.http_status = facts.http_status.or(known.http_status);
    let verdict = verdict::decide(&evidence);
    let finding = verdict.finding;
    let advised = Diagnosis::of(
        finding.cause,
        finding.detail.map(Cow::Borrowed),
        evidence.facts,
    );
    Diagnosis {
        // The code that decided leads, not merely the first one read.
        code: verdict.code.or(advised.code),
        confidence: verdict.confidence,
        evidence: verdict.clues,
        also_possible: verdict.also_possible,
        ..advised
    }
}

impl Diagnosis {
    /// The diagnosis of a cause already found (kept across a restart): the advice follows from
    /// the cause and its detail. It was decided from Microsoft's answer then, so it stands as sure;
    /// the clues of that answer are not kept.
    pub fn of(cause: Cause, detail: Option<Cow<'static, str>>, facts: Facts) -> Diagnosis {
        let advice = advice::advise(cause, detail.as_deref());
        Diagnosis {
            cause,
            detail,
            code: facts.code().or_else(|| facts.graph_code.clone()),
            fixed_by: advice.fixed_by,
            advice: Cow::Borrowed(advice.key),
            explanation: Cow::Borrowed(advice.explanation),
            next_steps: advice
                .next_steps
                .iter()
                .map(|s| Cow::Borrowed(*s))
                .collect(),
            facts,
            confidence: Confidence::High,
            evidence: Vec::new(),
            also_possible: None,
        }
    }
}

impl Diagnosis {
    /// The cause in plain words, in `language` (the catalogs word the advice under its key;
    /// English where one has no words for it).
    pub fn explanation_in(&self, language: Language) -> String {
        language
            .try_say(&format!("advice.{}.explanation", self.advice), &[])
            .unwrap_or_else(|| self.explanation.to_string())
    }

    /// What to do, in order, in `language`.
    pub fn next_steps_in(&self, language: Language) -> Vec<String> {
        self.next_steps
            .iter()
            .enumerate()
            .map(|(n, step)| {
                language
                    .try_say(&self.step_key(n + 1), &[])
                    .unwrap_or_else(|| step.to_string())
            })
            .collect()
    }

    /// The first thing to do, as the catalogs' key (`None` when the advice has no steps).
    pub(crate) fn first_step(&self) -> Option<Words> {
        (!self.next_steps.is_empty()).then(|| Words::new(&self.step_key(1)))
    }

    /// The catalog key of step `n` (from 1) of this advice.
    fn step_key(&self, n: usize) -> String {
        format!("advice.{}.steps.{n}", self.advice)
    }
}

#[cfg(test)]
mod tests;
