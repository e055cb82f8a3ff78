// Inbox Connect window: renders the connection states from what the Rust commands return.
// Every command answers with data or rejects with {code, message, action}; tokens and codes never
// come here, so nothing secret can reach the DOM.
"use strict";

const invoke = window.__TAURI__.core.invoke;
/** "No browser tab?" waits this long: before it, people are still typing on Microsoft's page. */
const STUCK_HINT_AFTER_MS = 75000;
/** How long "… copied" stays visible beside its button. */
const COPIED_SHOWN_MS = 8000;

const $ = (id) => document.getElementById(id);

/** What `app_info` returned: vendor name, features with their permissions, sandbox sign-in. */
let info = null;
/** The diagnosis of an error page the user pasted, shown once its sign-in has stopped. */
let pasted = null;
/** Whether the blocked account is known, so "Check again" can look without a sign-in page. */
let silentRecheck = false;
let stuckTimer = 0;
/** The next automatic re-check while waiting for an admin's approval. */
let recheckTimer = 0;
/** The features of the last sign-in, for "Try again" (null: the profile's defaults). */
let lastFeatures = null;
/** Whose browser trip the waiting screen waits for: "recruiter" or "admin" (Cancel differs). */
let waitingFor = "recruiter";
/** What `admin_info` returned: the roles that can grant, the read-only scopes, the consent-box note, the organization. */
let adminInfo = null;
/** The last checklist read, with the admin who signed in (the default reviewer). */
let lastVerification = null;
/** The change shown in the confirmation box, run only by "Confirm and sign in". */
let pendingAction = null;

const HEADINGS = {
  loading: "loading-heading",
  idle: "idle-heading",
  waiting: "waiting-heading",
  connected: "connected-heading",
  needs_reconnect: "reconnect-heading",
  blocked: "blocked-heading",
  error: "error-heading",
  admin: "admin-heading",
  checklist: "checklist-heading",
};

/** Plain names for the core's stable check names. */
const CHECK_NAMES = {
  profile: "Microsoft 365 profile",
  mailbox: "Exchange mailbox",
  calendar: "Calendar",
  test_email: "Test email",
};

const ANNOUNCEMENTS = {
  idle: "Not connected.",
  waiting: "Waiting for you to finish signing in in your browser.",
  connected: "Outlook is connected.",
  needs_reconnect: "Outlook needs to be reconnected.",
  blocked: "Microsoft blocked the connection. See what to do.",
  error: "Outlook could not be connected.",
  admin: "IT admin: approve the app for your organization and check its setup.",
  checklist: "Your organization's setup checklist.",
};

/** Shows one state's view, moves focus to its heading and announces it. */
function setState(state) {
  const main = $("state");
  const changed = main.dataset.state !== state;
  main.dataset.state = state;
  for (const view of document.querySelectorAll(".view")) {
    view.hidden = view.id !== `view-${state}`;
  }
  if (changed) {
    // An error left over from the last state would describe something that no longer applies.
    if (state !== "error") $("error").hidden = true;
    // Start the new state from the top, so notices and errors above its heading are in view.
    window.scrollTo(0, 0);
    $(HEADINGS[state]).focus({ preventScroll: true });
    announce(ANNOUNCEMENTS[state] || "");
  }
}

function announce(text) {
  $("announce").textContent = text;
}

function showNotice(text) {
  $("notice").textContent = text || "";
  $("notice").hidden = !text;
}

/** Shows an error's message and what to do next. Codes stay out of sight: they help nobody. */
function showError(error, heading) {
  const e = normalizeError(error);
  $("error-heading").textContent = heading;
  $("error-message").textContent = e.message;
  $("error-action").textContent = e.action || "";
  $("error-action").hidden = !e.action;
  renderErrorDetails(e.details);
  $("error").hidden = false;
  announce(`${heading}. ${e.message} ${e.action || ""}`);
}

/** Labels for the sign-in service's and Graph's error fields; others show under their own name. */
const DETAIL_LABELS = {
  error: "Error",
  error_description: "Description",
  error_subcode: "Sub-code",
  error_codes: "AADSTS codes",
  trace_id: "Trace ID",
  correlation_id: "Correlation ID",
  timestamp: "Time",
  suberror: "Sub-error",
  error_uri: "More information",
  status: "HTTP status",
  code: "Error code",
  message: "Message",
  request_id: "Request ID",
  date: "Date",
  account: "Account",
  tenant: "Organization",
  aadsts_codes: "AADSTS codes",
  graph_code: "Graph error",
  http_status: "HTTP status",
  client_request_id: "Client request ID",
};

/** The raw fields IT needs to find the attempt in the sign-in logs (never secrets). */
function renderErrorDetails(details) {
  const fields = Object.entries(details || {}).filter(([key]) => key !== "kind");
  $("error-details").hidden = renderFacts($("error-fields"), fields) === 0;
}

/** Fills a `<dl>` with `[key, value]` rows, leaving out empty values; returns how many it shows. */
function renderFacts(list, rows) {
  const shown = rows.filter(([, value]) => value !== null && value !== undefined && value !== ""
    && !(Array.isArray(value) && value.length === 0));
  list.replaceChildren();
  for (const [key, value] of shown) {
    list.append(el("dt", "", DETAIL_LABELS[key] || key), el("dd", "", Array.isArray(value) ? value.join(", ") : String(value)));
  }
  return shown.length;
}

function clearMessages() {
  $("error").hidden = true;
  showNotice("");
}

function normalizeError(error) {
  if (error && typeof error === "object" && error.message) return error;
  return {
    code: "unexpected",
    message: String(error || "Something unexpected went wrong."),
    action: "Try again. If it keeps happening, restart Inbox Connect.",
  };
}

// ---------- rendering ----------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatTime(value) {
  if (value === null || value === undefined || value === "") return "";
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function timeElement(value) {
  const node = el("time", "", formatTime(value));
  if (typeof value === "string") node.dateTime = value;
  return node;
}

/** A feature checkbox per feature; `checked(feature)` decides the initial tick. */
function renderFeaturePicker(container, features, checked) {
  container.replaceChildren();
  for (const feature of features) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.value = feature.id;
    box.checked = checked(feature);
    box.dataset.feature = feature.id;
    const text = el("span", "", feature.name);
    text.append(el("span", "desc", feature.description));
    label.append(box, text);
    container.append(label);
  }
}

function pickedFeatures(container) {
  return [...container.querySelectorAll("input:checked")].map((box) => box.value);
}

/** The permissions the picked features will ask for, each once, in profile order. */
function renderPermissionPreview() {
  const picked = new Set(pickedFeatures($("feature-picker")));
  renderPermissionList($("permissions-preview"), info.features.filter((f) => picked.has(f.id)).flatMap((f) => f.scopes));
  $("permissions-count").textContent = String($("permissions-preview").childElementCount);
  $("connect").disabled = picked.size === 0;
}

/** Fills a list with permissions and their reasons (no badge), each permission once. */
function renderPermissionList(list, permissions) {
  const seen = new Set();
  list.replaceChildren();
  for (const permission of permissions) {
    if (seen.has(permission.scope.toLowerCase())) continue;
    seen.add(permission.scope.toLowerCase());
    list.append(permissionItem(permission, null));
  }
}

/** One permission row; `granted` null means "not asked yet" (the preview: no badge). */
function permissionItem(permission, granted) {
  const item = el("li", "permission");
  item.dataset.scope = permission.scope;
  const name = scopeName(permission.scope);
  const reason = el("span", "item-detail", permission.reason);
  if (granted === null) {
    item.classList.add("unasked");
    item.append(name, reason);
    return item;
  }
  item.dataset.granted = String(granted);
  item.dataset.requested = String(permission.requested);
  let badge;
  if (granted) badge = el("span", "badge ok", "Granted");
  else if (permission.requested) badge = el("span", "badge bad", "Missing");
  else badge = el("span", "badge neutral", "Not asked");
  item.append(badge, name, reason);
  return item;
}

/** A scope's name that wraps only after its dots (`Mail.<wbr>ReadWrite`), never inside a word. */
function scopeName(scope) {
  const name = el("span", "item-name");
  scope.split(".").forEach((part, i, parts) => {
    name.append(i < parts.length - 1 ? `${part}.` : part);
    if (i < parts.length - 1) name.append(el("wbr"));
  });
  return name;
}

function checkItem(check) {
  const item = el("li", "check");
  item.dataset.check = check.name;
  item.dataset.passed = String(check.passed);
  const badge = el("span", check.passed ? "badge ok" : "badge bad", check.passed ? "Passed" : "Failed");
  item.append(badge, el("span", "item-name", CHECK_NAMES[check.name] || check.name),
    el("span", "item-detail", check.detail));
  if (check.ran_at) {
    const when = el("span", "item-when", "Last run ");
    when.append(timeElement(check.ran_at));
    item.append(when);
  }
  return item;
}

function accountText(account) {
  if (!account) return "";
  const address = account.username || "";
  const name = account.name || "";
  return name && address && name !== address ? `${name} (${address})` : name || address;
}

/** The organization's name with its tenant id underneath (what IT asks for). */
function renderOrganization(organization) {
  const node = $("organization");
  if (!organization) {
    node.textContent = "Unknown";
    return;
  }
  node.textContent = organization.name || "Microsoft 365 organization";
  node.append(el("span", "sub", `Tenant ID ${organization.tenant_id}`));
}

/** Renders a `ConnectionStatus` and switches to its state. */
function renderStatus(status) {
  if (!status || status.state === "disconnected") {
    setState("idle");
    return;
  }
  if (status.state === "blocked" && status.blocked) {
    renderBlocked(status.blocked);
    return;
  }
  if (status.state === "needs_reconnect") {
    $("reconnect-account").textContent = status.account ? `Account: ${accountText(status.account)}` : "";
    $("reconnect-reason").textContent = status.reason || "no reason given";
    setState("needs_reconnect");
    return;
  }
  $("account").textContent = accountText(status.account);
  renderOrganization(status.organization);
  $("token-expiry").replaceChildren(
    status.access_token_expires_at ? timeElement(status.access_token_expires_at) : "Unknown",
  );
  $("permissions").replaceChildren(...status.permissions.map((p) => permissionItem(p, p.granted)));
  $("checks").replaceChildren(...(status.checks || []).map(checkItem));
  if (!status.checks || status.checks.length === 0) {
    $("checks").append(el("li", "check", "No checks have run yet. Choose “Check again”."));
  }
  renderAddFeatures(status);
  renderWarning(status.warning);
  setState("connected");
}

/** A warning the core attached to a working connection, in its own words. */
function renderWarning(warning) {
  $("status-warning-message").textContent = warning ? warning.message : "";
  $("status-warning-action").textContent = warning ? warning.action : "";
  $("status-warning").hidden = !warning;
}

const FIXED_BY = {
  it_admin: "your IT admin",
  vendor: () => `the product's vendor (${info.vendor})`,
  recruiter: "you",
};

/** A screen title per cause (the core's stable cause ids). */
const CAUSE_HEADINGS = {
  admin_consent_required: () => `Your IT admin needs to approve ${info.vendor}`,
  admin_approval_request_possible: () => `Ask your IT admin to approve ${info.vendor}`,
  user_declined: () => "The permissions were not accepted",
  user_not_assigned: () => `Your account is not assigned to ${info.vendor}`,
  conditional_access_blocked: () => "A security policy of your organization blocked the sign-in",
  mfa_required: () => "Microsoft needs an extra verification step",
  app_not_found_in_tenant: () => `Microsoft does not know ${info.vendor} in your organization`,
  wrong_account_type: () => "That account cannot be used here",
  redirect_uri_mismatch: () => `${info.vendor} needs to fix its Microsoft set-up`,
  pkce_or_client_config_error: () => `${info.vendor} needs to fix its Microsoft set-up`,
  invalid_or_expired_grant: () => "Your sign-in expired",
  mailbox_not_exchange_online: () => "Your mailbox is not in Exchange Online",
  insufficient_permissions: () => "Microsoft refused a permission the app needs",
  throttled: () => "Microsoft is busy: too many requests",
  transient_service_error: () => "Microsoft had a temporary problem",
  device_or_platform_not_allowed: () => "Your organization does not allow sign-ins from this device",
  account_locked_or_disabled: () => "Your account is locked or disabled",
  password_expired: () => "Your password needs to be changed",
  invalid_credentials: () => "The user name or password was not right",
  clock_skew: () => "This computer's clock looks wrong",
  wrong_endpoint_or_protocol: () => `${info.vendor} needs to fix its Microsoft set-up`,
  tenant_not_found: () => "Microsoft does not know that organization",
  service_principal_missing: () => "A Microsoft service the app needs is not set up in your organization",
  identity_provider_error: () => "Your organization's sign-in system failed",
  other: () => "Microsoft stopped the connection",
};

/** Why Microsoft refused, who can fix it, what to do, and what to send to IT. */
function renderBlocked(blocked) {
  const d = blocked.diagnosis;
  $("view-blocked").dataset.cause = d.cause;
  $("blocked-heading").textContent = (CAUSE_HEADINGS[d.cause] || CAUSE_HEADINGS.other)();
  $("blocked-explanation").textContent = d.explanation;
  const fixer = FIXED_BY[d.fixed_by] || d.fixed_by;
  $("blocked-fixed-by").textContent = typeof fixer === "function" ? fixer() : fixer;
  $("blocked-steps").replaceChildren(...d.next_steps.map((step) => el("li", "", step)));
  const pending = blocked.pending_approval;
  silentRecheck = Boolean((pending && pending.account) || d.facts.account);
  $("approval-pending").hidden = !pending;
  if (pending) {
    // Only the "Approval required" page lets the user send a request; otherwise IT was written to.
    $("pending-heading").textContent = d.cause === "admin_approval_request_possible"
      ? "Approval requested" : "Waiting for your IT admin";
    $("approval-account").textContent = pending.account || "your account";
    $("approval-since").replaceChildren(timeElement(pending.since));
    lastFeatures = pending.features;
  }
  $("tenant-form").hidden = !blocked.needs_tenant;
  renderAdminLink(blocked.admin_consent);
  const f = d.facts;
  const facts = [["code", d.code], ["timestamp", f.timestamp], ["trace_id", f.trace_id],
    ["correlation_id", f.correlation_id], ["request_id", f.request_id], ["account", f.account],
    ["tenant", f.tenant], ["error", f.error], ["graph_code", f.graph_code], ["http_status", f.http_status]];
  $("blocked-details").hidden = renderFacts($("blocked-facts"), facts) === 0;
  $("blocked-report").textContent = blocked.report;
  setState("blocked");
  planRecheck(false);
}

/** The admin-consent link with its Copy button, QR code and the message to IT. */
function renderAdminLink(link) {
  $("admin-link-box").hidden = !link;
  $("admin-qr").hidden = true;
  if (!link) return;
  $("admin-tenant").textContent = link.tenant;
  $("admin-link").value = link.url;
  $("it-message").value = `Subject: ${link.it_request.subject}\n\n${link.it_request.body}`;
  invoke("admin_consent_qr").then((svg) => {
    const img = $("admin-qr");
    // An SVG in an <img> cannot run scripts; the CSP allows data: images.
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    img.alt = `QR code of the admin-consent link for ${link.tenant}`;
    img.hidden = false;
  }).catch(() => { $("admin-qr").hidden = true; });
}

/** Plans the next automatic "Check again" while an admin's approval is awaited, on the app's
 * schedule (soon, then less often, and not while nobody uses the app); `active`: the user acted. */
async function planRecheck(active) {
  clearTimeout(recheckTimer);
  if ($("state").dataset.state !== "blocked" || $("approval-pending").hidden) return;
  if (!silentRecheck) {
    // A look without the account would be a whole sign-in page: only on request.
    $("recheck-plan").textContent = "Once your IT admin has approved, choose Check again.";
    return;
  }
  const seconds = await invoke("next_recheck_in", { active }).catch(() => null);
  if (seconds === null) {
    $("recheck-plan").textContent = "Automatic checks are paused while the app is not used. Choose Check again.";
    return;
  }
  const minutes = Math.max(1, Math.round(seconds / 60));
  $("recheck-plan").textContent = `Next automatic check in ${minutes} min. `
    + "Each check briefly opens your browser, which comes straight back here.";
  recheckTimer = setTimeout(() => {
    if ($("state").dataset.state === "blocked") signIn($("recheck"), "begin_recheck", null, true);
  }, seconds * 1000);
}

/** Offers the features whose permissions are not all granted yet (incremental consent). */
function renderAddFeatures(status) {
  const granted = new Set(status.permissions.filter((p) => p.granted).map((p) => p.scope));
  const missing = info.features.filter((f) => !f.scopes.every((s) => granted.has(s.scope)));
  renderFeaturePicker($("add-feature-picker"), missing, () => true);
  $("add-features-box").hidden = missing.length === 0;
  $("add-features").textContent = `Add ${missing.map((f) => f.name.toLowerCase()).join(" / ")}`;
}

// ---------- the IT admin's path ----------

/** How a checklist item's colour reads, and its badge style. */
const ITEM_STATUS = {
  green: ["OK", "ok"],
  amber: ["Worth a look", "warn"],
  red: ["Blocks recruiters", "bad"],
  unknown: ["Could not read", "neutral"],
};

/** What failed, per admin command, for the error box's heading. */
const ADMIN_FAILURES = {
  admin_begin_grant: "Access was not granted",
  admin_begin_verify: "Your organization's setup could not be checked",
  admin_begin_confirmed_action: "The change was not made",
};

/** Shows the admin screen: who can grant, what is asked for, the organization pre-filled. */
async function openAdmin() {
  clearMessages();
  try {
    adminInfo = await invoke("admin_info");
  } catch (error) {
    showError(error, "The admin screen could not open");
    return;
  }
  if (adminInfo.organization && !$("admin-organization").value.trim()) {
    $("admin-organization").value = adminInfo.organization;
  }
  $("admin-grant-roles").textContent = `Who can grant: ${adminInfo.grant.message}`;
  renderPermissionList($("admin-grant-scopes"), info.features.filter((f) => f.default).flatMap((f) => f.scopes));
  renderPermissionList($("admin-verify-scopes"), adminInfo.verify_scopes);
  $("admin-verify-consent-note").textContent = adminInfo.consent_note;
  $("admin-grant-result").hidden = true;
  setState("admin");
}

/** The organization and admin account typed on the admin screen. */
function adminTarget() {
  return {
    organization: $("admin-organization").value.trim() || null,
    loginHint: $("admin-hint").value.trim() || null,
  };
}

/** Runs one admin trip through the browser: begins it, shows the waiting screen, returns what
 * `admin_finish` brought, or null after showing why not (back on the screen it started from). */
async function adminTrip(button, command, args) {
  clearMessages();
  const from = $("state").dataset.state;
  let started;
  try {
    started = await busy(button, () => invoke(command, args));
  } catch (error) {
    showError(error, ADMIN_FAILURES[command]);
    return null;
  }
  waitingFor = "admin";
  showWaiting(started);
  try {
    return await invoke("admin_finish");
  } catch (error) {
    setState(from);
    if (normalizeError(error).code === "sign_in_cancelled") showNotice("Cancelled. Nothing was changed.");
    else showError(error, ADMIN_FAILURES[command]);
    return null;
  } finally {
    waitingFor = "recruiter";
    clearTimeout(stuckTimer);
    $("sign-in-link").value = "";
  }
}

/** "Grant for my organization": the admin-consent page, then its outcome on the admin screen. */
async function grantForOrganization(button) {
  const { organization } = adminTarget();
  if (!organization) {
    if ($("state").dataset.state !== "admin") await openAdmin();
    $("admin-organization").focus();
    announce("Enter your organization's domain, its tenant ID or your admin email address first.");
    return;
  }
  const result = await adminTrip(button, "admin_begin_grant", { organization });
  if (!result) return;
  setState("admin");
  renderGrant(result.outcome, organization);
}

/** Graph's permission names without the resource prefix the redirect carries. */
function bareScope(scope) {
  return scope.replace(/^https:\/\/graph\.microsoft\.com\//i, "");
}

function renderGrant(outcome, organization) {
  const box = $("admin-grant-result");
  box.dataset.outcome = outcome.outcome;
  let heading;
  let text;
  if (outcome.outcome === "granted") {
    heading = "Granted for your organization";
    const scopes = outcome.scopes.map(bareScope).filter((s) => s.includes(".")).join(", ");
    // The redirect's tenant is shown, never trusted (it can be forged); the typed name reads better.
    const tenant = outcome.tenant && outcome.tenant !== organization ? ` (tenant ID ${outcome.tenant})` : "";
    text = `${info.vendor} can now be used by everyone in ${organization}${tenant}`
      + `${scopes ? ` with ${scopes}` : ""}. Recruiters connect without a consent page. `
      + "Next: check your organization's setup for anything else that blocks them.";
  } else if (outcome.outcome === "declined") {
    heading = "Not granted";
    text = `${outcome.diagnosis.explanation} Nothing was changed.`;
  } else {
    heading = "Not granted";
    const needs = outcome.needs_admin_role;
    text = needs
      ? `${needs.message} Sign in with an account that holds one of these roles, or send the approval link to someone who does.`
      : [outcome.diagnosis.explanation, ...(outcome.diagnosis.next_steps || []).slice(0, 1)].join(" ");
  }
  $("admin-grant-result-heading").textContent = heading;
  $("admin-grant-result-text").textContent = text;
  box.hidden = false;
  $("admin-grant-result-heading").focus();
  announce(`${heading}. ${text}`);
}

/** "Check my organization's setup": the read-only sign-in, then the checklist. */
async function verifyOrganization(button) {
  const result = await adminTrip(button, "admin_begin_verify", adminTarget());
  if (result) renderChecklist(result.verification);
}

function renderChecklist(verification) {
  lastVerification = verification;
  const { admin, checklist } = verification;
  $("checklist-admin").textContent = admin.account || "your admin account";
  $("checklist-tenant").textContent = checklist.tenant_id;
  $("reviewer-me-name").textContent = admin.account || "the signed-in admin";
  $("checklist").replaceChildren(...checklist.items.map(checklistItem));
  const count = (status) => checklist.items.filter((i) => i.status === status).length;
  const parts = [[count("red"), "blocks recruiters", "block recruiters"], [count("amber"), "is worth a look", "are worth a look"],
    [count("unknown"), "could not be read", "could not be read"]]
    .filter(([n]) => n > 0).map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
  $("checklist-summary").textContent = parts.length
    ? `${parts.join(", ")}; ${count("green")} of ${checklist.items.length} are fine.`
    : `All ${checklist.items.length} settings are fine: recruiters can connect.`;
  hideActionForms();
  setState("checklist");
}

/** One setting: colour, what it means for recruiters, the fix, where it is, and what to do here. */
function checklistItem(item) {
  const li = el("li");
  li.dataset.item = item.id;
  li.dataset.status = item.status;
  const [label, style] = ITEM_STATUS[item.status] || ITEM_STATUS.unknown;
  li.append(el("span", `badge ${style}`, label), el("span", "item-name", item.title),
    el("p", "item-consequence", item.consequence));
  if (item.details && item.details.length) {
    const facts = el("ul", "item-facts");
    facts.append(...item.details.map((d) => el("li", "", d)));
    li.append(facts);
  }
  if (item.fix) li.append(labelled("item-fix", "Fix: ", item.fix));
  if (item.needs) li.append(el("p", "item-detail", item.needs.message));
  li.append(labelled("item-location", "Where: ", item.location.path));
  const buttons = el("div", "item-buttons");
  if (item.location.link) {
    // A documented link is the admin-consent page; the others are portal internals that may change.
    const open = el("button", "", item.location.link_documented
      ? "Open the admin-consent page" : "Open in the Entra admin centre (portal link, may change)");
    open.type = "button";
    open.addEventListener("click", () =>
      invoke("admin_open_portal", { item: item.id }).catch((e) => showError(e, "The link did not open")));
    buttons.append(open);
  }
  const action = itemAction(item);
  if (action) buttons.append(action);
  if (buttons.childElementCount) li.append(buttons);
  return li;
}

function labelled(className, label, text) {
  const p = el("p", className);
  p.append(el("strong", "", label), text);
  return p;
}

/** The change the app can make for this item, as a button. */
function itemAction(item) {
  let text;
  let run;
  if ((item.id === "org_consent" || item.id === "app_present") && item.status !== "green") {
    text = "Grant for my organization";
    run = (button) => grantForOrganization(button);
  } else if (item.id === "consent_requests" && item.status !== "green") {
    text = "Turn on admin consent requests…";
    run = () => showActionForm("requests-form");
  } else if (item.id === "assignment") {
    text = "Require assignment and assign a group…";
    run = () => showActionForm("assign-form");
  } else {
    return null;
  }
  const button = el("button", "item-action", text);
  button.type = "button";
  button.addEventListener("click", (e) => run(e.currentTarget));
  return button;
}

function hideActionForms() {
  for (const id of ["requests-form", "assign-form", "confirm-box"]) $(id).hidden = true;
  pendingAction = null;
}

function showActionForm(id) {
  hideActionForms();
  $(id).hidden = false;
  $(id).querySelector("h3").focus();
}

/** The change from the requests form, or null after saying what is missing. */
function requestsAction() {
  const reviewers = [];
  if ($("reviewer-me").checked && lastVerification) {
    const me = lastVerification.admin;
    reviewers.push({ id: me.object_id, name: me.account || "you" });
  }
  const other = $("reviewer-id").value.trim();
  if (other) reviewers.push({ id: other, name: other });
  if (reviewers.length === 0) {
    $("reviewer-me").focus();
    announce("Choose at least one reviewer.");
    return null;
  }
  const days = Number.parseInt($("request-days").value, 10);
  return { action: "enable_consent_requests", reviewers, request_duration_in_days: days };
}

function assignAction() {
  const id = $("assign-id").value.trim();
  return { action: "require_assignment", assign: [{ id, name: $("assign-name").value.trim() || id }] };
}

/** Shows what the change does and needs; nothing runs before "Confirm and sign in". */
async function previewAction(action) {
  if (!action) return;
  clearMessages();
  try {
    const preview = await invoke("admin_preview_action", { action });
    pendingAction = action;
    $("confirm-describe").textContent = preview.describe;
    $("confirm-needs").textContent = preview.needs.message;
    renderPermissionList($("confirm-scopes"), preview.scopes);
    $("confirm-box").hidden = false;
    $("confirm-heading").focus();
  } catch (error) {
    showError(error, "The change could not be prepared");
  }
}

async function confirmAction(button) {
  if (!pendingAction) return;
  const result = await adminTrip(button, "admin_begin_confirmed_action", { action: pendingAction, ...adminTarget() });
  if (!result) return;
  setState("checklist");
  hideActionForms();
  const text = `Done: ${result.report.done.join("; ")}. Choose Check again to see the checklist with the change.`;
  showNotice(text);
  announce(text);
}

function wireAdmin() {
  $("admin-entry").addEventListener("click", openAdmin);
  $("blocked-admin").addEventListener("click", openAdmin);
  $("admin-form").addEventListener("submit", (e) => e.preventDefault());
  $("admin-grant").addEventListener("click", (e) => grantForOrganization(e.currentTarget));
  $("admin-verify").addEventListener("click", (e) => verifyOrganization(e.currentTarget));
  $("checklist-recheck").addEventListener("click", (e) => verifyOrganization(e.currentTarget));
  for (const id of ["admin-back", "checklist-back"]) {
    $(id).addEventListener("click", () => { clearMessages(); refresh(); });
  }
  $("requests-form").addEventListener("submit", (e) => { e.preventDefault(); previewAction(requestsAction()); });
  $("assign-form").addEventListener("submit", (e) => { e.preventDefault(); previewAction(assignAction()); });
  for (const close of document.querySelectorAll(".action-close")) close.addEventListener("click", hideActionForms);
  $("confirm-cancel").addEventListener("click", () => {
    hideActionForms();
    showNotice("Nothing was changed.");
  });
  $("confirm-action").addEventListener("click", (e) => confirmAction(e.currentTarget));
}

// ---------- actions ----------

/** Runs a command with its button disabled, so a double click cannot start it twice. */
async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/** Starts a sign-in (first, incremental or a re-check), waits for the browser, then shows the
 * result. `quiet`: an automatic re-check, which keeps the blocked screen while it runs. */
async function signIn(button, command, features, quiet = false) {
  clearMessages();
  pasted = null;
  if (command === "begin_sign_in") lastFeatures = features;
  const loginHint = $("login-hint").value.trim() || null;
  let started;
  try {
    // Disabled while the link is prepared, so a double click starts one sign-in.
    started = await busy(button, () => invoke(command, { features, loginHint }));
  } catch (error) {
    showError(error, "Sign-in could not start");
    if (!quiet) setState("error");
    return;
  }
  if (quiet) {
    $("recheck-plan").textContent = "Checking now: your browser opens briefly…";
  } else {
    showWaiting(started);
  }
  try {
    const status = await invoke("finish_sign_in");
    renderStatus(status);
    if (command === "begin_recheck" && status.state === "blocked") {
      showNotice("Not approved yet. The app looks again by itself from time to time.");
    }
  } catch (error) {
    if (normalizeError(error).code !== "sign_in_cancelled") {
      if (quiet) {
        await refresh();
        showError(error, "The automatic check did not finish");
      } else {
        // The error box first: the error state focuses its heading.
        showError(error, "Outlook could not be connected");
        setState("error");
      }
    } else if (pasted) {
      renderStatus(pasted);
    } else if (!quiet) {
      // A cancelled automatic check needs nothing: the sign-in that replaced it shows its result.
      await refresh();
      showNotice("Sign-in cancelled. Nothing was changed.");
    }
  } finally {
    clearTimeout(stuckTimer);
    $("sign-in-link").value = "";
  }
}

/** The waiting screen for a started sign-in, with help if the browser did not open. */
function showWaiting(started) {
  const admin = waitingFor === "admin";
  $("waiting-intro").textContent = admin
    ? "Microsoft's page opened in your web browser. Sign in with your admin account and accept; this window updates by itself when you are done."
    : "Microsoft's sign-in page opened in your web browser. Sign in, review the permissions and accept; this window updates by itself when you are done.";
  // Pasting an error page explains a recruiter's blocked sign-in; an admin's errors come back here.
  $("paste-box").hidden = admin;
  $("sign-in-link").value = started.url;
  $("link-row").hidden = true;
  $("stuck-hint").hidden = true;
  $("pasted-error").value = "";
  setState("waiting");
  clearTimeout(stuckTimer);
  $("browser-error").textContent = `Your browser could not be opened (${started.browser_error}).`;
  $("browser-error").hidden = !started.browser_error;
  $("waiting-intro").hidden = Boolean(started.browser_error);
  if (started.browser_error) {
    showStuckHint();
  } else {
    stuckTimer = setTimeout(showStuckHint, STUCK_HINT_AFTER_MS);
    $("stuck-hint").dataset.afterSeconds = String(STUCK_HINT_AFTER_MS / 1000);
  }
}

function showStuckHint() {
  $("stuck-hint").hidden = false;
  announce("Still waiting. No browser tab? Copy the sign-in link and paste it into your browser.");
}

/** Re-reads the saved connection without any network or browser. */
async function refresh() {
  try {
    renderStatus(await invoke("status"));
  } catch (error) {
    showError(error, "The saved connection could not be read");
    setState("error");
  }
}

/** Runs a command that answers `{status, notice}` while connected. */
async function connectedAction(button, command, failureHeading) {
  clearMessages();
  await busy(button, async () => {
    try {
      const result = await invoke(command);
      renderStatus(result.status);
      showNotice(result.notice);
      if (result.notice) announce(result.notice);
    } catch (error) {
      showError(error, failureHeading);
    }
  });
}

/** What each Copy button copies, and what its status says: [copied, failed]. */
const COPY = {
  "copy-link": ["sign-in-link", "Sign-in link copied",
    "Copying failed. The sign-in link is selected: press Control+C to copy it."],
  "copy-admin-link": ["admin-link", "Approval link copied",
    "Copying failed. The approval link is selected: press Control+C to copy it."],
  "copy-it-message": ["it-message", "Message copied",
    "Copying failed. The message is selected: press Control+C to copy it."],
  "copy-report": ["blocked-report", "Report copied",
    "Copying failed. The report is selected: press Control+C to copy it."],
};
const copyTimers = {};

/** Copies a field's text and selects it, so the keyboard can copy it when the clipboard refuses.
 * The outcome shows beside the button (`#<button>-status`, a status region screen readers hear). */
async function copyField(button) {
  const [id, copied, failed] = COPY[button];
  const field = $(id);
  const status = $(`${button}-status`);
  field.focus();
  if (typeof field.select === "function") field.select();
  else window.getSelection().selectAllChildren(field);
  try {
    await navigator.clipboard.writeText(field.value || field.textContent);
    status.textContent = copied;
    status.dataset.outcome = "copied";
  } catch {
    status.textContent = failed;
    status.dataset.outcome = "failed";
  }
  clearTimeout(copyTimers[button]);
  copyTimers[button] = setTimeout(() => { status.textContent = ""; }, COPIED_SHOWN_MS);
}

function wire() {
  // Someone is using the app: re-checks may open a browser tab again.
  for (const type of ["click", "keydown"]) {
    document.addEventListener(type, () => planRecheck(true));
  }
  $("feature-picker").addEventListener("change", renderPermissionPreview);
  // A submit: the button, or Enter in the work email field.
  $("connect-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if ($("connect").disabled) return;
    signIn($("connect"), "begin_sign_in", pickedFeatures($("feature-picker")));
  });
  // Adding no features re-asks for the connected ones, hinting the connected account.
  $("reconnect").addEventListener("click", (e) => signIn(e.currentTarget, "begin_add_features", []));
  $("add-features").addEventListener("click", (e) =>
    signIn(e.currentTarget, "begin_add_features", pickedFeatures($("add-feature-picker"))));
  $("cancel").addEventListener("click", () =>
    invoke(waitingFor === "admin" ? "admin_cancel" : "cancel_sign_in").catch((e) => showError(e, "Cancel failed")));
  $("copy-link").addEventListener("click", () => {
    $("link-row").hidden = false;
    copyField("copy-link");
  });
  for (const button of ["copy-admin-link", "copy-it-message", "copy-report"]) {
    $(button).addEventListener("click", () => copyField(button));
  }
  $("email-it").addEventListener("click", () => invoke("email_it").catch((e) => showError(e, "No mail program opened")));
  $("paste-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("pasted-error").value.trim();
    if (!text) {
      $("pasted-error").focus();
      announce("Paste the text of Microsoft's error page first.");
      return;
    }
    await busy($("explain"), async () => {
      try {
        pasted = await invoke("explain_error", { text, account: $("login-hint").value });
        // The sign-in's end (in signIn) then shows this diagnosis.
        await invoke("cancel_sign_in");
      } catch (error) {
        showError(error, "The error could not be explained");
      }
    });
  });
  wireAdmin();
  $("recheck").addEventListener("click", (e) => (silentRecheck
    ? signIn(e.currentTarget, "begin_recheck", null)
    : signIn(e.currentTarget, "begin_sign_in", lastFeatures)));
  $("tenant-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    clearMessages();
    await busy($("make-admin-link"), async () => {
      try {
        renderStatus(await invoke("admin_consent_link", { organization: $("organization-input").value }));
        $("admin-link-heading").focus();
      } catch (error) {
        showError(error, "No approval link could be made");
      }
    });
  });
  $("blocked-retry").addEventListener("click", (e) => signIn(e.currentTarget, "begin_sign_in", lastFeatures));
  $("blocked-forget").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, "disconnect", "Forgetting the sign-in failed"));
  $("retry").addEventListener("click", () => { clearMessages(); refresh(); });
  $("check-again").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, "check", "The checks could not run"));
  $("send-test").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, "send_test_email", "The test email was not sent"));
  $("disconnect").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, "disconnect", "Disconnecting failed"));
  $("forget").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, "disconnect", "Forgetting the account failed"));
  $("open-log-folder").addEventListener("click", async () => {
    try {
      await invoke("open_log_folder");
    } catch (error) {
      showError(error, "The log folder could not be opened");
    }
  });
}

/** The footer: where the log files are, and the settings that were skipped. */
function renderFooter(info) {
  if (info.log_folder) {
    $("log-folder").textContent = info.log_folder;
    $("log-folder-note").hidden = false;
    $("open-log-folder").hidden = false;
  }
  const problems = $("settings-problem-list");
  problems.replaceChildren(...info.settings_problems.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  $("settings-problems").hidden = info.settings_problems.length === 0;
}

async function start() {
  wire();
  try {
    info = await invoke("app_info");
  } catch (error) {
    showError(error, "Inbox Connect could not start");
    setState("error");
    // Nothing to retry until the app restarts; the action says what to fix.
    $("retry").hidden = true;
    return;
  }
  for (const node of document.querySelectorAll(".vendor-name")) node.textContent = info.vendor;
  if (info.sandbox) {
    $("sandbox-user").textContent = info.sandbox.user;
    $("sandbox-password").textContent = info.sandbox.password;
    $("sandbox-admin-user").textContent = info.sandbox.admin_user;
    $("sandbox-admin-password").textContent = info.sandbox.admin_password;
    $("sandbox-banner").hidden = false;
  }
  renderFooter(info);
  renderFeaturePicker($("feature-picker"), info.features, (f) => f.default);
  renderPermissionPreview();
  // Silent restore: the saved sign-in from the keychain, refreshed if needed; never opens a browser.
  try {
    renderStatus(await invoke("restore"));
  } catch (error) {
    setState("idle");
    showError(error, "Your saved connection could not be restored");
  }
}

start();
