// The IT admin's screen: who can grant, what is granted, "Grant for my organization" and its
// outcome, and the way to the read-only check of the organization's setup.
import { explanation, nextSteps } from "../advice.js";
import { $, announce, clearMessages, currentState, setState, showError, showNotice } from "../dom.js";
import { adminTrip } from "../flow.js";
import { onLanguageChange, say, t } from "../i18n.js";
import * as commands from "../commands.js";
import { renderPermissionList } from "../permissions.js";
import { app } from "../store.js";

/** What `admin_info` returned: the roles that can grant, the read-only scopes, the consent-box note, the organization. */
let adminInfo = null;
/** The grant's outcome shown, for its texts in another language. */
let grant = null;

/** Shows the admin screen: who can grant, what is asked for, the organization pre-filled. */
export async function openAdmin() {
  clearMessages();
  try {
    adminInfo = await commands.adminInfo();
  } catch (error) {
    showError(error, "error.heading.admin_open");
    return;
  }
  if (adminInfo.organization && !$("admin-organization").value.trim()) {
    $("admin-organization").value = adminInfo.organization;
  }
  renderRoles();
  renderPermissionList($("admin-grant-scopes"), app.info.features.filter((f) => f.default).flatMap((f) => f.scopes));
  renderPermissionList($("admin-verify-scopes"), adminInfo.verify_scopes);
  $("admin-verify-consent-note").textContent = say(adminInfo.consent_note);
  $("admin-grant-result").hidden = true;
  grant = null;
  setState("admin");
}

function renderRoles() {
  if (adminInfo) $("admin-grant-roles").textContent = t("admin.who_can_grant", { roles: say(adminInfo.grant.message) });
}

/** The organization and admin account typed on the admin screen. */
export function adminTarget() {
  return {
    organization: $("admin-organization").value.trim() || null,
    loginHint: $("admin-hint").value.trim() || null,
  };
}

/** "Grant for my organization": the admin-consent page, then its outcome on the admin screen. */
export async function grantForOrganization(button) {
  const { organization, loginHint } = adminTarget();
  if (!organization) {
    if (currentState() !== "admin") await openAdmin();
    // Said beside the field, not only to screen readers.
    $("admin-organization-error").hidden = false;
    $("admin-organization").setAttribute("aria-invalid", "true");
    $("admin-organization").focus();
    announce(t("admin.organization_first"));
    return;
  }
  const from = currentState();
  // The admin's account takes Microsoft's sign-in to them, whoever the browser is signed in as.
  const result = await adminTrip(button, commands.adminBeginGrant, { organization, loginHint }, "error.heading.admin_grant");
  if (!result) return;
  grant = { outcome: result.outcome, organization };
  const said = renderGrant();
  if (from === "checklist") {
    // Granted from the checklist: the admin stays on it, and "Check again" shows the grant.
    setState("checklist");
    const message = { key: result.outcome.outcome === "granted" ? "checklist.granted" : "checklist.not_granted", params: said };
    showNotice(message);
    announce(t(message.key, message.params));
    return;
  }
  setState("admin");
  $("admin-grant-result-heading").focus();
  announce(t("admin.grant.announce", said));
}

/** Graph's permission names without the resource prefix the redirect carries. */
function bareScope(scope) {
  return scope.replace(/^https:\/\/graph\.microsoft\.com\//i, "");
}

/** Shows the grant's outcome on the admin screen; returns its heading and text. */
function renderGrant() {
  if (!grant) return null;
  const { outcome, organization } = grant;
  const box = $("admin-grant-result");
  box.dataset.outcome = outcome.outcome;
  let heading;
  let text;
  if (outcome.outcome === "granted") {
    heading = t("admin.grant.granted_heading");
    const scopes = outcome.scopes.map(bareScope).filter((s) => s.includes(".")).join(", ");
    // The redirect's tenant is shown, never trusted (it can be forged); the typed name reads better.
    const other = outcome.tenant && outcome.tenant !== organization;
    const key = other
      ? (scopes ? "admin.grant.granted_tenant_scopes" : "admin.grant.granted_tenant")
      : (scopes ? "admin.grant.granted_scopes" : "admin.grant.granted");
    text = t(key, { vendor: app.info.vendor, organization, tenant: outcome.tenant, scopes });
  } else if (outcome.outcome === "declined") {
    heading = t("admin.grant.not_granted_heading");
    text = t("admin.grant.declined", { explanation: explanation(outcome.diagnosis) });
  } else {
    heading = t("admin.grant.not_granted_heading");
    const needs = outcome.needs_admin_role;
    text = needs
      ? t("admin.grant.needs_role", { needs: say(needs.message) })
      : t("admin.grant.refused", {
        explanation: explanation(outcome.diagnosis),
        step: nextSteps(outcome.diagnosis)[0] || "",
      });
  }
  $("admin-grant-result-heading").textContent = heading;
  $("admin-grant-result-text").textContent = text;
  box.hidden = false;
  return { heading, text };
}

function relabel() {
  renderRoles();
  if (grant && !$("admin-grant-result").hidden) renderGrant();
}

/** `verify`: the read-only check (it ends on the checklist); `back`: the recruiter's screen. */
export function init({ verify, back }) {
  $("admin-form").addEventListener("submit", (e) => e.preventDefault());
  $("admin-organization").addEventListener("input", () => {
    $("admin-organization-error").hidden = true;
    $("admin-organization").removeAttribute("aria-invalid");
  });
  $("admin-grant").addEventListener("click", (e) => grantForOrganization(e.currentTarget));
  $("admin-verify").addEventListener("click", (e) => verify(e.currentTarget));
  $("admin-back").addEventListener("click", back);
  onLanguageChange(relabel);
}
