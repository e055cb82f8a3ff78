//! Consent diagnosis: from what Microsoft sent back to why the connection failed, who can fix it, and
//! what to do next.
//!
//! Input is any artifact of a failed connection (an authorize redirect, the token endpoint's error
//! JSON, Graph's error JSON, or text pasted from Microsoft's error page, with or without log text
//! around it); output is a [`Diagnosis`]. Unknown codes get a generic answer, never a failure.

mod advice;
mod cause;
mod evidence;

use serde::Serialize;

pub use advice::FixedBy;
pub use cause::Cause;
pub use evidence::Facts;

/// Why a connection failed and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// The cause, from a closed set.
    pub cause: Cause,
    /// A finer detail (`risky_app`, `device_not_compliant`, …) when one is known.
    pub detail: Option<&'static str>,
    /// The leading Microsoft code (`AADSTS90094`) or Graph code, when there was one.
    pub code: Option<String>,
    /// Who can remove the cause.
    pub fixed_by: FixedBy,
    /// The cause in plain words.
    pub explanation: &'static str,
    /// What to do, in order.
    pub next_steps: Vec<&'static str>,
    /// The facts IT needs to look the failure up.
    pub facts: Facts,
}

/// Diagnoses an artifact of a failed connection, of any of the accepted shapes.
pub fn diagnose(artifact: &str) -> Diagnosis {
    diagnose_with(artifact, Facts::default())
}

/// Diagnoses an artifact, adding what the app already knows (account, tenant) to the facts; what the
/// artifact itself says wins.
pub fn diagnose_with(artifact: &str, known: Facts) -> Diagnosis {
    let mut evidence = evidence::read(artifact);
    let facts = &mut evidence.facts;
    facts.account = facts.account.take().or(known.account);
    facts.tenant = facts.tenant.take().or(known.tenant);
    facts.http_status = facts.http_status.or(known.http_status);
    let (cause, detail) = cause::classify(&evidence);
    let advice = advice::advise(cause, detail);
    let code = evidence
        .facts
        .code()
        .or_else(|| evidence.facts.graph_code.clone());
    Diagnosis {
        cause,
        detail,
        code,
        fixed_by: advice.fixed_by,
        explanation: advice.explanation,
        next_steps: advice.next_steps.to_vec(),
        facts: evidence.facts,
    }
}

#[cfg(test)]
mod tests;
