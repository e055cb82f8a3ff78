//! Weighing the clues: which cause explains the paste, how sure that is, and what else fits.
//!
//! Microsoft advises keying off the OAuth `error` value first and AADSTS numbers second, because
//! codes and texts change (docs/entra-reference.md, opening caveat). But people paste what wraps the real
//! refusal too (an `invalid_grant` around an AADSTS50076, a 503 around a Conditional Access block).
//! So a clue that names a specific cause beats a catch-all one, and among those alike a code beats
//! Microsoft's words, which beat the `error` value, which beats the HTTP status. A few `error` values
//! decide on their own (a server error is a server error whatever code rides along).

use serde::{Deserialize, Serialize};

use super::cause::Cause;
use super::evidence::Evidence;
use super::table::{Finding, Tables};

/// How sure the diagnosis is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Only a catch-all sign (an HTTP status) or nothing at all.
    Low,
    /// Microsoft's words or its `error` value, or codes that disagree.
    Medium,
    /// A code from Microsoft's reference (or a decisive `error` value).
    High,
}

/// What kind of thing a clue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClueKind {
    /// An AADSTS number, with Microsoft's name for it.
    AadstsCode,
    /// A Microsoft Graph (or Exchange Online) error code.
    GraphCode,
    /// Words of Microsoft's pages or messages.
    Phrase,
    /// The OAuth `error` value.
    OauthError,
    /// The HTTP status.
    HttpStatus,
    /// The personal-account tenant of the signed-in account.
    Tenant,
    /// Only part of a very long paste was read.
    InputCut,
}

/// One thing the diagnosis read, in the words it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clue {
    /// What it is.
    pub kind: ClueKind,
    /// The words matched (a code with Microsoft's name for it, the phrase, `error=…`).
    pub text: String,
}

/// The decision.
pub(crate) struct Verdict {
    pub finding: Finding<'static>,
    pub confidence: Confidence,
    pub clues: Vec<Clue>,
    pub also_possible: Option<Cause>,
    /// The code of the deciding clue, when a code decided (`AADSTS50126`, `ErrorAccessDenied`).
    pub code: Option<String>,
}

/// How strong a kind of clue is, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Status,
    OAuthError,
    Phrase,
    Code,
}

struct Candidate {
    finding: Finding<'static>,
    strength: Strength,
    clue: Clue,
    code: Option<String>,
}

/// The personal-account tenant (docs/entra-reference.md §1.1): its presence means a Microsoft account, not a work account.
const PERSONAL_ACCOUNT_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

fn clue(kind: ClueKind, text: String) -> Clue {
    Clue { kind, text }
}

/// Every clue of the evidence that points to a cause, in the order they were read.
fn candidates(evidence: &Evidence, tables: &'static Tables) -> Vec<Candidate> {
    let facts = &evidence.facts;
    let lower = evidence.text.to_lowercase();
    let mut found = Vec::new();
    for code in &facts.aadsts_codes {
        if let Some(entry) = tables.aadsts(*code) {
            found.push(Candidate {
                finding: entry.finding_in(&lower),
                strength: Strength::Code,
                clue: clue(ClueKind::AadstsCode, format!("AADSTS{code} {}", entry.name)),
                code: Some(format!("AADSTS{code}")),
            });
        }
    }
    if let Some(code) = facts.graph_code.as_deref() {
        if let Some(finding) = tables.graph(code, &lower) {
            found.push(Candidate {
                finding,
                strength: Strength::Code,
                clue: clue(ClueKind::GraphCode, code.to_owned()),
                code: Some(code.to_owned()),
            });
        }
    }
    for (_, phrase) in tables.find_phrases(&evidence.text) {
        found.push(Candidate {
            finding: phrase.finding(),
            strength: Strength::Phrase,
            clue: clue(ClueKind::Phrase, phrase.words.clone()),
            code: None,
        });
    }
    if let Some(error) = facts.error.as_deref() {
        if let Some(entry) = tables.oauth_error(error) {
            found.push(Candidate {
                finding: entry.finding(),
                strength: Strength::OAuthError,
                clue: clue(ClueKind::OauthError, format!("error={error}")),
                code: None,
            });
        }
    }
    if let Some(status) = facts.http_status {
        if let Some(finding) = tables.status(status) {
            found.push(Candidate {
                finding,
                strength: Strength::Status,
                clue: clue(ClueKind::HttpStatus, format!("HTTP {status}")),
                code: None,
            });
        }
    }
    if let (None, Some(seconds)) = (facts.http_status, facts.retry_after.as_deref()) {
        // Microsoft asks to wait only when it throttles (429) or is busy (503).
        found.push(Candidate {
            finding: Finding {
                cause: Cause::Throttled,
                detail: None,
                also: Some(Cause::TransientServiceError),
            },
            strength: Strength::Status,
            clue: clue(ClueKind::HttpStatus, format!("Retry-After: {seconds}")),
            code: None,
        });
    }
    if facts.tenant.as_deref() == Some(PERSONAL_ACCOUNT_TENANT) {
        found.push(Candidate {
            finding: Finding {
                cause: Cause::WrongAccountType,
                detail: Some("personal_account"),
                also: None,
            },
            strength: Strength::Status,
            clue: clue(ClueKind::Tenant, PERSONAL_ACCOUNT_TENANT.to_owned()),
            code: None,
        });
    }
    found
}

/// A decisive OAuth `error` value (or a cancel subcode), which no code overrides.
fn decisive(evidence: &Evidence, tables: &'static Tables) -> Option<(Finding<'static>, Clue)> {
    let facts = &evidence.facts;
    let error = facts.error.as_deref()?;
    // MSAL treats error_subcode=cancel as a user cancel whatever the error (docs/entra-reference.md §1.4).
    if facts
        .error_subcode
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("cancel"))
    {
        let finding = Finding {
            cause: Cause::UserDeclined,
            detail: Some("cancelled"),
            also: None,
        };
        return Some((
            finding,
            clue(ClueKind::OauthError, "error_subcode=cancel".into()),
        ));
    }
    let entry = tables.oauth_error(error).filter(|e| e.decisive)?;
    Some((
        entry.finding(),
        clue(ClueKind::OauthError, format!("error={error}")),
    ))
}

pub(crate) fn decide(evidence: &Evidence) -> Verdict {
    let tables = Tables::get();
    let mut cut = evidence.cut_from.map(|total| {
        clue(
            ClueKind::InputCut,
            format!(
                "read the first and the last {} KiB of {total} bytes",
                super::decode::MAX_SCAN / 2048
            ),
        )
    });
    if let Some((finding, decisive_clue)) = decisive(evidence, tables) {
        return Verdict {
            finding,
            confidence: Confidence::High,
            clues: std::iter::once(decisive_clue).chain(cut.take()).collect(),
            also_possible: finding.also,
            code: None,
        };
    }
    let found = candidates(evidence, tables);
    // A cause that several clues point to is the likelier among equals ("AADSTS70002: Error
    // validating credentials. AADSTS50011: The reply address …" is about the reply address).
    let support =
        |cause: Cause, all: &[Candidate]| all.iter().filter(|c| c.finding.cause == cause).count();
    let supports: Vec<usize> = found
        .iter()
        .map(|c| support(c.finding.cause, &found))
        .collect();
    let mut ranked: Vec<(usize, Candidate)> = supports.into_iter().zip(found).collect();
    // Stable: among clues alike, the one read first (the description's own code) leads.
    ranked.sort_by_key(|(support, c)| {
        (
            std::cmp::Reverse(!c.finding.cause.is_generic()),
            std::cmp::Reverse(c.strength),
            std::cmp::Reverse(*support),
        )
    });
    let found: Vec<Candidate> = ranked.into_iter().map(|(_, c)| c).collect();
    let Some(best) = found.first() else {
        return Verdict {
            finding: Finding {
                cause: Cause::Other,
                detail: None,
                also: None,
            },
            confidence: Confidence::Low,
            clues: cut.into_iter().collect(),
            also_possible: None,
            code: None,
        };
    };
    let cause = best.finding.cause;
    let rival = found
        .iter()
        .find(|c| c.finding.cause != cause && !c.finding.cause.is_generic());
    let disputed = rival.is_some_and(|r| r.strength == best.strength);
    let confidence = match best.strength {
        Strength::Code if !disputed => Confidence::High,
        Strength::Code | Strength::Phrase | Strength::OAuthError => Confidence::Medium,
        Strength::Status => Confidence::Low,
    };
    Verdict {
        finding: best.finding,
        confidence,
        also_possible: best.finding.also.or(rival.map(|r| r.finding.cause)),
        code: best.code.clone(),
        clues: found.into_iter().map(|c| c.clue).chain(cut).collect(),
    }
}
