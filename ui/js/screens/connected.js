// The consent status panel (connected) and "needs reconnect".
import * as commands from "../commands.js";
import { $, currentState, el, setState, timeElement } from "../dom.js";
import { connectedAction, signIn } from "../flow.js";
import { onLanguageChange, t, tNodes } from "../i18n.js";
import { permissionItem, pickedFeatures, renderFeaturePicker } from "../permissions.js";
import { app } from "../store.js";

/** Plain names for the core's stable check names. */
const CHECK_NAMES = {
  profile: "check.profile",
  mailbox: "check.mailbox",
  calendar: "check.calendar",
  test_email: "check.test_email",
};

/** Words for what a check found (the core's stable `finding.kind`); its parameters fill them. */
const FINDINGS = {
  signed_in_as: "check.finding.signed_in_as",
  sent_items_readable: "check.finding.sent_items_readable",
  calendar_reachable: "check.finding.calendar_reachable",
  answered: "check.finding.answered",
  no_answer: "check.finding.no_answer",
  mailbox_not_supported: "check.finding.mailbox_not_supported",
  refused: "check.finding.refused",
  test_email_in_sent_items: "check.finding.test_email_in_sent_items",
  test_email_not_in_sent_items: "check.finding.test_email_not_in_sent_items",
  not_run: "check.finding.not_run",
};

/** What a check found, in the window's language. */
function findingText(check) {
  const finding = check.finding;
  if (finding.kind === "refused" && finding.request_id) return t("check.finding.refused_request_id", finding);
  return t(FINDINGS[finding.kind], { ...finding, count: finding.messages, vendor: app.info.vendor });
}

/** The status shown, for its texts in another language. */
let shown = null;

export function accountText(account) {
  if (!account) return "";
  const address = account.username || "";
  const name = account.name || "";
  return name && address && name !== address ? t("account.name_and_address", { name, address }) : name || address;
}

function checkItem(check) {
  const item = el("li", "check");
  item.dataset.check = check.name;
  item.dataset.passed = String(check.passed);
  const badge = el("span", check.passed ? "badge ok" : "badge bad", t(check.passed ? "check.passed" : "check.failed"));
  item.append(badge, el("span", "item-name", CHECK_NAMES[check.name] ? t(CHECK_NAMES[check.name]) : check.name),
    el("span", "item-detail", findingText(check)));
  if (check.ran_at) {
    const when = el("span", "item-when");
    when.append(...tNodes("check.last_run", { time: timeElement(check.ran_at) }));
    item.append(when);
  }
  return item;
}

/** The organization's name with its tenant id underneath (what IT asks for). */
function renderOrganization(organization) {
  const node = $("organization");
  if (!organization) {
    node.textContent = t("connected.organization_unknown");
    return;
  }
  node.textContent = organization.name || t("connected.organization_unnamed");
  node.append(el("span", "sub", t("connected.tenant_id", { id: organization.tenant_id })));
}

/** A warning the core attached to a working connection, in its own words. */
function renderWarning(warning) {
  $("status-warning-message").textContent = warning ? warning.message : "";
  $("status-warning-action").textContent = warning ? warning.action : "";
  $("status-warning").hidden = !warning;
}

/** Offers the features whose permissions are not all granted yet (incremental consent);
 * `keepPicks`: the same status in another language, so the ticks stay as the user left them. */
function renderAddFeatures(status, keepPicks) {
  const before = new Map([...$("add-feature-picker").querySelectorAll("input")].map((b) => [b.value, b.checked]));
  const granted = new Set(status.permissions.filter((p) => p.granted).map((p) => p.scope));
  const missing = app.info.features.filter((f) => !f.scopes.every((s) => granted.has(s.scope)));
  renderFeaturePicker($("add-feature-picker"), missing, (f) => (keepPicks && before.has(f.id) ? before.get(f.id) : true));
  $("add-features-box").hidden = missing.length === 0;
  $("add-features").textContent = t("connected.add_features", {
    features: missing.map((f) => f.name.toLowerCase()).join(" / "),
  });
}

/** Shows a connected `ConnectionStatus`. */
export function renderConnected(status, keepPicks = false) {
  shown = status;
  if (!keepPicks) $("disconnect-confirm-box").hidden = true;
  $("account").textContent = accountText(status.account);
  renderOrganization(status.organization);
  // When the connection was last proven (the newest check), not the access token's expiry.
  const lastChecked = (status.checks || []).map((c) => c.ran_at).sort().pop();
  $("last-checked").replaceChildren(lastChecked ? timeElement(lastChecked) : t("connected.never_checked"));
  $("permissions").replaceChildren(...status.permissions.map((p) => permissionItem(p, p.granted)));
  $("checks").replaceChildren(...(status.checks || []).map(checkItem));
  if (!status.checks || status.checks.length === 0) {
    $("checks").append(el("li", "check", t("connected.no_checks")));
  }
  renderAddFeatures(status, keepPicks);
  renderWarning(status.warning);
  setState("connected");
}

/** Shows "needs reconnect": the account and Microsoft's reason. */
export function renderNeedsReconnect(status) {
  shown = status;
  $("reconnect-account").textContent = status.account ? t("reconnect.account", { account: accountText(status.account) }) : "";
  $("reconnect-reason").textContent = status.reason || t("reconnect.no_reason");
  setState("needs_reconnect");
}

function relabel() {
  if (!shown) return;
  if (currentState() === "connected" && shown.state !== "needs_reconnect") renderConnected(shown, true);
  else if (currentState() === "needs_reconnect" && shown.state === "needs_reconnect") renderNeedsReconnect(shown);
}

export function init() {
  // Adding no features re-asks for the connected ones, hinting the connected account.
  $("reconnect").addEventListener("click", (e) => signIn(e.currentTarget, commands.beginAddFeatures, { features: [] }));
  $("add-features").addEventListener("click", (e) =>
    signIn(e.currentTarget, commands.beginAddFeatures, { features: pickedFeatures($("add-feature-picker")) }));
  $("check-again").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, commands.check, "error.heading.checks"));
  $("send-test").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, commands.sendTestEmail, "error.heading.test_email"));
  // Another account: Microsoft's account picker (interactive sign-ins ask for it), for the
  // connected features; the connection stays until the new one is made.
  $("switch-account").addEventListener("click", (e) =>
    signIn(e.currentTarget, commands.beginSignInAsAnother, { features: shown ? shown.features : null, loginHint: null }));
  // Disconnecting asks first: the product stops working with the mailbox until a new sign-in.
  $("disconnect").addEventListener("click", () => {
    $("disconnect-confirm-box").hidden = false;
    $("disconnect-confirm").focus();
  });
  $("disconnect-keep").addEventListener("click", () => {
    $("disconnect-confirm-box").hidden = true;
    $("disconnect").focus();
  });
  $("disconnect-confirm").addEventListener("click", async (e) => {
    await connectedAction(e.currentTarget, commands.disconnect, "error.heading.disconnect");
    $("disconnect-confirm-box").hidden = true;
  });
  $("forget").addEventListener("click", (e) =>
    connectedAction(e.currentTarget, commands.disconnect, "error.heading.forget_account"));
  onLanguageChange(relabel);
}
