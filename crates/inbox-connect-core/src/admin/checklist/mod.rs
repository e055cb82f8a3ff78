//! The tenant checklist: a pure evaluation of what the admin path read, one item per setting that
//! decides whether recruiters can connect, each with its colour, what it means for recruiters,
//! the fix and where to make it.
//!
//! `facts` gathers what every item needs, `names` puts names on the people, groups and roles the
//! settings name; `item` builds an item (or says why its setting could not be read); the items
//! themselves are judged by subject: the app in the tenant (`app`), consent (`consent`) and
//! Conditional Access (`conditional_access`). Items speak the Entra admin centre's words, never
//! Graph's property names, as [`Words`] the window puts in its language; the portal's own labels
//! (menu paths, options, role names) stay in English, as Microsoft's documentation names them.

use serde::{Deserialize, Serialize};

use crate::profile::{Feature, Profile, ProfileError, TenantId};
use crate::words::Words;

use super::portal::PortalLocation;
use super::roles::RoleRequirement;
use super::snapshot::TenantSnapshot;

mod app;
mod conditional_access;
mod consent;
mod facts;
mod item;
mod names;

use facts::Facts;

/// Which setting an item is about (stable ids for the UI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemId {
    /// The app's service principal exists and is enabled.
    AppPresent,
    /// Tenant-wide consent covers every permission of the profile.
    OrgConsent,
    /// The user consent setting.
    UserConsent,
    /// Admin consent requests (the approval workflow).
    ConsentRequests,
    /// "Assignment required" and who is assigned.
    Assignment,
    /// Conditional Access policies that apply to the app.
    ConditionalAccess,
    /// Recruiters' approval requests waiting for a reviewer.
    PendingRequests,
    /// The app's publisher is verified.
    VerifiedPublisher,
}

/// An item's colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing to do.
    Green,
    /// Works, with a limit or a risk worth knowing.
    Amber,
    /// Blocks recruiters.
    Red,
    /// Could not be read (the item says which role or permission is needed).
    Unknown,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Which setting.
    pub id: ItemId,
    /// Short title: the setting and its state.
    pub title: Words,
    /// Its colour.
    pub status: Status,
    /// What it means for recruiters, in one sentence.
    pub consequence: Words,
    /// What to change (`None` when nothing needs changing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Words>,
    /// Where to change it.
    pub location: PortalLocation,
    /// Facts behind the colour (missing permissions, who is assigned, policies, requests).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Words>,
    /// When the setting could not be read: the role and permission that can read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<RoleRequirement>,
}

/// The checklist of one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    /// The organization (from the admin's sign-in).
    pub tenant_id: TenantId,
    /// The items, in the order an admin works through them.
    pub items: Vec<ChecklistItem>,
}

impl Checklist {
    /// The item about `id`.
    pub fn item(&self, id: ItemId) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.id == id)
    }
}

/// Evaluates what was read against the profile's permissions for `features` (empty: the
/// profile's defaults).
pub fn evaluate(
    profile: &Profile,
    features: &[Feature],
    snapshot: &TenantSnapshot,
) -> Result<Checklist, ProfileError> {
    let features = profile.features_or_defaults(features);
    let facts = Facts::gather(profile, &features, snapshot)?;
    Ok(Checklist {
        tenant_id: snapshot.tenant_id.clone(),
        items: vec![
            app::app_present(&facts, &snapshot.service_principal),
            consent::org_consent(&facts, &snapshot.org_grants),
            consent::user_consent(&facts, snapshot),
            consent::consent_requests(&facts, &snapshot.consent_request_policy),
            app::assignment(&facts, snapshot),
            conditional_access::conditional_access(&facts, &snapshot.conditional_access),
            consent::pending_requests(&facts, snapshot),
            app::verified_publisher(&facts, &snapshot.service_principal),
        ],
    })
}

#[cfg(test)]
mod tests;
