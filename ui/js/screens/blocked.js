// The blocked screen: why Microsoft refused, who can fix it, what to do, the admin-consent link
// with its QR code and the message to IT, the pending approval, and the details for IT. The
// message to IT and the report are the core's (English) texts.
import { explanation, nextSteps } from "../advice.js";
import { copyField } from "../copy.js";
import { $, clearMessages, currentState, el, renderFacts, setState, showError, showNotice } from "../dom.js";
import { connectedAction, signIn } from "../flow.js";
import { onLanguageChange, t } from "../i18n.js";
import * as commands from "../commands.js";
import { busy } from "../ipc.js";
import {
  checkNow, init as initRecheck, looksQuietly, pendingAsked, renderLastCheck, renderPending, showPending,
} from "../recheck.js";
import { app } from "../store.js";

/** Who can fix it (the core's stable `fixed_by`). */
const FIXED_BY = {
  it_admin: "blocked.fixed_by.it_admin",
  vendor: "blocked.fixed_by.vendor",
  recruiter: "blocked.fixed_by.recruiter",
};

/** A screen title per cause (the core's stable cause ids). */
const CAUSE_HEADINGS = {
  admin_consent_required: "cause.admin_consent_required",
  admin_approval_request_possible: "cause.admin_approval_request_possible",
  user_declined: "cause.user_declined",
  user_not_assigned: "cause.user_not_assigned",
  conditional_access_blocked: "cause.conditional_access_blocked",
  mfa_required: "cause.mfa_required",
  app_not_found_in_tenant: "cause.app_not_found_in_tenant",
  wrong_account_type: "cause.wrong_account_type",
  redirect_uri_mismatch: "cause.vendor_setup",
  pkce_or_client_config_error: "cause.vendor_setup",
  invalid_or_expired_grant: "cause.invalid_or_expired_grant",
  mailbox_not_exchange_online: "cause.mailbox_not_exchange_online",
  insufficient_permissions: "cause.insufficient_permissions",
  throttled: "cause.throttled",
  transient_service_error: "cause.transient_service_error",
  device_or_platform_not_allowed: "cause.device_or_platform_not_allowed",
  account_locked_or_disabled: "cause.account_locked_or_disabled",
  password_expired: "cause.password_expired",
  invalid_credentials: "cause.invalid_credentials",
  clock_skew: "cause.clock_skew",
  wrong_endpoint_or_protocol: "cause.vendor_setup",
  tenant_not_found: "cause.tenant_not_found",
  service_principal_missing: "cause.service_principal_missing",
  identity_provider_error: "cause.identity_provider_error",
  other: "cause.other",
};

/** The blocked status shown, for its texts in another language. */
let shown = null;

/** The texts of the blocked screen (no commands: safe to run again in another language). */
function renderTexts(blocked) {
  const d = blocked.diagnosis;
  const vendor = app.info.vendor;
  // After the "Approval required" page the request is with IT: the screen says what happens
  // next instead of asking for what was done.
  const requested = Boolean(blocked.pending_approval) && d.cause === "admin_approval_request_possible";
  $("blocked-heading").textContent = requested
    ? t("blocked.requested.heading")
    : t(CAUSE_HEADINGS[d.cause] || CAUSE_HEADINGS.other, { vendor });
  $("blocked-explanation").textContent = requested ? t("blocked.requested.explanation", { vendor }) : explanation(d);
  const steps = requested
    ? [t("blocked.requested.step.review"), t("blocked.requested.step.green"), t("blocked.requested.step.not_sent")]
    : nextSteps(d);
  $("blocked-steps").replaceChildren(...steps.map((step) => el("li", "", step)));
  $("blocked-fixed-by").textContent = FIXED_BY[d.fixed_by] ? t(FIXED_BY[d.fixed_by], { vendor }) : d.fixed_by;
  // Writing to IT is the next step until IT was asked (by Microsoft's page, or by this screen).
  $("email-it").classList.toggle("primary", !asked(blocked));
  if (blocked.admin_consent && !$("admin-qr").classList.contains("loading")) {
    $("admin-qr").alt = t("blocked.qr_alt", { tenant: blocked.admin_consent.tenant });
  }
  const f = d.facts;
  const facts = [["code", d.code], ["timestamp", f.timestamp], ["trace_id", f.trace_id],
    ["correlation_id", f.correlation_id], ["request_id", f.request_id], ["account", f.account],
    ["tenant", f.tenant], ["error", f.error], ["graph_code", f.graph_code], ["http_status", f.http_status]];
  const rows = renderFacts($("blocked-facts"), facts);
  const checked = renderLastCheck(blocked.last_check || null);
  $("blocked-details").hidden = rows === 0 && !checked;
}

/** Why Microsoft refused, who can fix it, what to do, and what to send to IT. */
export function renderBlocked(blocked) {
  shown = blocked;
  const d = blocked.diagnosis;
  $("view-blocked").dataset.cause = d.cause;
  const pending = blocked.pending_approval;
  if (pending) app.lastFeatures = pending.features;
  $("tenant-form").hidden = !blocked.needs_tenant;
  renderAdminLink(blocked.admin_consent);
  renderItMessage(blocked.it_message);
  // An admin's grant only lifts consent causes: no "Grant access" for a policy or a mailbox.
  $("blocked-admin-row").hidden = !blocked.admin_consent && !blocked.needs_tenant;
  renderTexts(blocked);
  $("blocked-report").textContent = blocked.report;
  setState("blocked");
  showPending(blocked);
}

/** For a cause IT must remove and no consent lifts: the ready message to IT. */
function renderItMessage(message) {
  $("it-fix-box").hidden = !message;
  if (!message) return;
  $("it-fix-message").value = `Subject: ${message.it_request.subject}\n\n${message.it_request.body}`;
}

/** The link the QR code shows (or is being made for). */
let qrFor = null;

/** The admin-consent link with its Copy button, QR code and the message to IT. */
function renderAdminLink(link) {
  $("admin-link-box").hidden = !link;
  if (!link) return;
  $("admin-tenant").textContent = link.tenant;
  $("admin-link").value = link.url;
  $("it-message").value = `Subject: ${link.it_request.subject}\n\n${link.it_request.body}`;
  if (qrFor === link.url) return;
  qrFor = link.url;
  const img = $("admin-qr");
  // The image keeps its place while it is made, so nothing below it moves under a pointer (or a
  // click) when it appears.
  img.classList.add("loading");
  img.hidden = false;
  img.alt = "";
  commands.adminConsentQr().then((svg) => {
    if (qrFor !== link.url) return;
    // An SVG in an <img> cannot run scripts; the CSP allows data: images.
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    img.alt = t("blocked.qr_alt", { tenant: link.tenant });
    img.classList.remove("loading");
  }).catch(() => {
    qrFor = null;
    img.hidden = true;
  });
}

/** The Copy buttons whose text goes to IT to approve. */
const ASKS_IT = new Set(["copy-admin-link", "copy-it-message"]);

/** Whether IT was asked for the approval the screen waits for. */
function asked(blocked) {
  return Boolean(blocked.pending_approval && blocked.pending_approval.asked_at);
}

/** Tells the app IT was asked; the pending box then waits for IT, and "Check again" leads. */
function itAsked() {
  commands.itAsked().then((status) => {
    if (!status.blocked) return;
    shown = status.blocked;
    $("email-it").classList.toggle("primary", !asked(status.blocked));
    pendingAsked(status.blocked);
  }).catch(() => {});
}

function relabel() {
  if (!shown || currentState() !== "blocked") return;
  renderTexts(shown);
  renderPending();
}

/** `renderStatus`: shows a status the core answered; `openAdmin`: the IT admin's screen. */
export function init({ renderStatus, openAdmin }) {
  initRecheck();
  $("blocked-admin").addEventListener("click", openAdmin);
  for (const button of ["copy-admin-link", "copy-it-message", "copy-it-fix-message", "copy-report"]) {
    $(button).addEventListener("click", async () => {
      // The link or the message copied is on its way to IT.
      if (await copyField(button) && ASKS_IT.has(button)) itAsked();
    });
  }
  // A message too long for a mailto: link opens with its subject only; the body is copied here.
  for (const [button, copy] of [["email-it", "copy-it-message"], ["email-it-fix", "copy-it-fix-message"]]) {
    $(button).addEventListener("click", async () => {
      try {
        const opened = await commands.emailIt();
        itAsked();
        if (!opened.whole) {
          // "Copied" only when it was; otherwise the message is selected for Control+C.
          const copied = await copyField(copy);
          showNotice({ key: copied ? "blocked.email.paste_body" : "blocked.email.copy_body" });
        }
      } catch (e) {
        showError(e, "error.heading.email_it");
      }
    });
  }
  // A look without a page when the app can name the account or organization, else a sign-in.
  $("recheck").addEventListener("click", async (e) => {
    const button = e.currentTarget;
    if (await looksQuietly()) return checkNow();
    return signIn(button, commands.beginSignIn, { features: app.lastFeatures });
  });
  $("tenant-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    clearMessages();
    await busy($("make-admin-link"), async () => {
      try {
        renderStatus(await commands.adminConsentLink($("organization-input").value));
        $("admin-link-heading").focus();
      } catch (error) {
        showError(error, "error.heading.admin_link");
      }
    });
  });
  $("blocked-retry").addEventListener("click", (e) => signIn(e.currentTarget, commands.beginSignIn, { features: app.lastFeatures }));
  $("blocked-forget").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, commands.disconnect, "error.heading.forget_sign_in"));
  onLanguageChange(relabel);
}
