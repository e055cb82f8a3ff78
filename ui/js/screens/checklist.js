// The organization's setup checklist (read-only), and the two changes the app can make after a
// confirmation. Item titles, consequences, fixes and facts are the core's `Words`, worded here;
// the locations are the Entra admin centre's own (English) menu names.
import { $, announce, clearMessages, el, labelled, setState, showError, showNotice } from "../dom.js";
import { adminTrip } from "../flow.js";
import { onLanguageChange, say, t } from "../i18n.js";
import * as commands from "../commands.js";
import { renderPermissionList } from "../permissions.js";

/** How a checklist item's colour reads, and its badge style. */
const ITEM_STATUS = {
  green: ["checklist.status.green", "ok"],
  amber: ["checklist.status.amber", "warn"],
  red: ["checklist.status.red", "bad"],
  unknown: ["checklist.status.unknown", "neutral"],
};

/** The last checklist read, with the admin who signed in (the default reviewer). */
let lastVerification = null;
/** The change shown in the confirmation box, run only by "Confirm and sign in". */
let pendingAction = null;
/** Set by init: the admin screen's grant and its typed organization and account. */
let deps = { grant: () => {}, target: () => ({}) };

/** "Check my organization's setup": the read-only sign-in, then the checklist. */
export async function verifyOrganization(button) {
  const result = await adminTrip(button, commands.adminBeginVerify, deps.target(), "error.heading.admin_verify");
  if (result) {
    renderChecklist(result.verification);
    hideActionForms();
    setState("checklist");
  }
}

/** The summary: a sentence per kind of finding, each a whole message. */
function summary(items) {
  const count = (status) => items.filter((i) => i.status === status).length;
  const total = items.length;
  if (count("red") + count("amber") + count("unknown") === 0) return t("checklist.summary.all_fine", { count: total });
  const sentences = [];
  if (count("red")) sentences.push(t("checklist.summary.red", { count: count("red") }));
  if (count("amber")) sentences.push(t("checklist.summary.amber", { count: count("amber") }));
  if (count("unknown")) sentences.push(t("checklist.summary.unknown", { count: count("unknown") }));
  sentences.push(t("checklist.summary.fine", { count: count("green"), total }));
  return sentences.join(" ");
}

function renderChecklist(verification) {
  lastVerification = verification;
  const { admin, checklist } = verification;
  $("checklist-admin").textContent = admin.account || t("checklist.your_admin_account");
  $("checklist-tenant").textContent = checklist.tenant_id;
  $("reviewer-me-name").textContent = admin.account || t("checklist.signed_in_admin");
  $("checklist").replaceChildren(...checklist.items.map(checklistItem));
  $("checklist-summary").textContent = summary(checklist.items);
}

/** One setting: colour, what it means for recruiters, the fix, where it is, and what to do here. */
function checklistItem(item) {
  const li = el("li");
  li.dataset.item = item.id;
  li.dataset.status = item.status;
  const [label, style] = ITEM_STATUS[item.status] || ITEM_STATUS.unknown;
  li.append(el("span", `badge ${style}`, t(label)), el("span", "item-name", say(item.title)),
    el("p", "item-consequence", say(item.consequence)));
  if (item.details && item.details.length) {
    const facts = el("ul", "item-facts");
    facts.append(...item.details.map((d) => el("li", "", say(d))));
    li.append(facts);
  }
  if (item.fix) li.append(labelled("item-fix", t("checklist.fix_label"), say(item.fix)));
  if (item.needs) li.append(el("p", "item-detail", say(item.needs.message)));
  li.append(labelled("item-location", t("checklist.where_label"), item.location.path));
  const buttons = el("div", "item-buttons");
  if (item.location.link) {
    // A documented link is the admin-consent page; the others are portal internals that may change.
    const open = el("button", "", t(item.location.link_documented
      ? "checklist.open_admin_consent" : "checklist.open_portal"));
    open.type = "button";
    open.addEventListener("click", () =>
      commands.adminOpenPortal(item.id).catch((e) => showError(e, "error.heading.open_link")));
    buttons.append(open);
  }
  const action = itemAction(item);
  if (action) buttons.append(action);
  if (buttons.childElementCount) li.append(buttons);
  return li;
}

/** The change the app can make for this item, as a button. */
function itemAction(item) {
  let text;
  let run;
  if ((item.id === "org_consent" || item.id === "app_present") && item.status !== "green") {
    text = "checklist.action.grant";
    run = (button) => deps.grant(button);
  } else if (item.id === "consent_requests" && item.status !== "green") {
    text = "checklist.action.requests";
    run = () => showActionForm("requests-form");
  } else if (item.id === "assignment") {
    // Where assignment is already required, the change only assigns (requiring it again is a no-op).
    const required = !(item.title && item.title.key || "").includes(".not_required.");
    text = required ? "checklist.action.assign_more" : "checklist.action.assignment";
    run = () => showActionForm("assign-form");
  } else {
    return null;
  }
  const button = el("button", "item-action", t(text));
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
    reviewers.push({ id: me.object_id, name: me.account || t("checklist.you") });
  }
  const other = $("reviewer-id").value.trim();
  if (other) reviewers.push({ id: other, name: other });
  if (reviewers.length === 0) {
    $("reviewer-me").focus();
    announce(t("checklist.choose_reviewer"));
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
    const preview = await commands.adminPreviewAction(action);
    pendingAction = action;
    $("confirm-describe").textContent = say(preview.describe);
    $("confirm-needs").textContent = say(preview.needs.message);
    renderPermissionList($("confirm-scopes"), preview.scopes);
    $("confirm-box").hidden = false;
    $("confirm-heading").focus();
  } catch (error) {
    showError(error, "error.heading.prepare_change");
  }
}

async function confirmAction(button) {
  if (!pendingAction) return;
  const result = await adminTrip(button, commands.adminBeginConfirmedAction, { action: pendingAction, ...deps.target() }, "error.heading.admin_change");
  if (!result) return;
  setState("checklist");
  hideActionForms();
  const message = { key: "checklist.done", params: { done: result.report.done.map(say).join("; ") } };
  showNotice(message);
  announce(t(message.key, message.params));
}

function relabel() {
  // The same checklist in the other language; open forms and the confirmation stay as they are.
  if (lastVerification) renderChecklist(lastVerification);
}

/** `grant`: "Grant for my organization"; `target`: the organization and admin account typed on
 * the admin screen; `back`: the recruiter's screen. */
export function init({ grant, target, back }) {
  deps = { grant, target };
  $("checklist-recheck").addEventListener("click", (e) => verifyOrganization(e.currentTarget));
  $("checklist-back").addEventListener("click", back);
  $("requests-form").addEventListener("submit", (e) => { e.preventDefault(); previewAction(requestsAction()); });
  $("assign-form").addEventListener("submit", (e) => { e.preventDefault(); previewAction(assignAction()); });
  for (const close of document.querySelectorAll(".action-close")) close.addEventListener("click", hideActionForms);
  $("confirm-cancel").addEventListener("click", () => {
    hideActionForms();
    showNotice({ key: "notice.nothing_changed" });
  });
  $("confirm-action").addEventListener("click", (e) => confirmAction(e.currentTarget));
  onLanguageChange(relabel);
}
