// The DOM helpers every screen shares: elements, times, the state switch, the notice, the error
// box and the screen-reader announcements.
import { locale, onLanguageChange, t } from "./i18n.js";
import { normalizeError } from "./ipc.js";

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A paragraph `<p class><strong>label</strong> text</p>`. */
export function labelled(className, label, text) {
  const p = el("p", className);
  p.append(el("strong", "", label), " ", text);
  return p;
}

/** The date formatter of each language, made once: making one costs tens of milliseconds, which
 * `toLocaleString` with options pays on every call (the connected panel would pay it on screen). */
const dateFormats = new Map();

function dateFormat() {
  const tag = locale();
  if (!dateFormats.has(tag)) {
    dateFormats.set(tag, new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short" }));
  }
  return dateFormats.get(tag);
}

/** Makes the window language's date formatter ahead of need (called when the app is idle). */
export function prepareDateFormat() {
  dateFormat();
}

/** A date in the window's language: RFC 3339 text or Unix seconds. */
export function formatTime(value) {
  if (value === null || value === undefined || value === "") return "";
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormat().format(date);
}

export function timeElement(value) {
  const node = el("time", "", formatTime(value));
  if (typeof value === "string") node.dateTime = value;
  return node;
}

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

const ANNOUNCEMENTS = {
  idle: "announce.idle",
  waiting: "announce.waiting",
  connected: "announce.connected",
  needs_reconnect: "announce.needs_reconnect",
  blocked: "announce.blocked",
  error: "announce.error",
  admin: "announce.admin",
  checklist: "announce.checklist",
};

/** The state shown now (`#state[data-state]`). */
export function currentState() {
  return $("state").dataset.state;
}

/** Shows one state's view, moves focus to its heading and announces it. */
export function setState(state) {
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
    announce(ANNOUNCEMENTS[state] ? t(ANNOUNCEMENTS[state]) : "");
    markShown(state);
  }
}

/** Marks (`performance.mark("shown:<state>")`) when a new state's view is on screen: in the task
 * after the next frame, which is the frame that painted it. `scripts/bench` reads the mark; nothing
 * in the app does. */
function markShown(state) {
  requestAnimationFrame(() => setTimeout(() => performance.mark(`shown:${state}`), 0));
}

export function announce(text) {
  $("announce").textContent = text;
}

/** The notice shown now: the core's text, or `{key, params}` of one of ours (re-translated). */
let notice = null;

/** Shows a notice above the screen: the core's text as it came, or `{key, params}`. */
export function showNotice(text) {
  notice = text || null;
  renderNotice();
}

function renderNotice() {
  const text = notice && typeof notice === "object" ? t(notice.key, notice.params) : notice;
  $("notice").textContent = text || "";
  $("notice").hidden = !text;
  // A notice that something is still not done (`kind: "pending"`) is not worn as a success.
  $("notice").dataset.kind = (notice && notice.kind) || "done";
}

/** The error shown in the error box, for its heading in another language. */
let shownError = null;

/** Shows an error's message and what to do next, under the heading `headingKey`. Codes stay out
 * of sight: they help nobody. */
export function showError(error, headingKey, params = {}) {
  shownError = { error, headingKey, params };
  renderError();
  const e = normalizeError(error);
  announce(`${t(headingKey, params)}. ${e.message} ${e.action || ""}`);
}

/** The error the error box shows, as the app sent it (or as `normalizeError` made it), for its
 * diagnostic report; `null` when none was shown. */
export function shownErrorPayload() {
  return shownError ? normalizeError(shownError.error) : null;
}

function renderError() {
  const { error, headingKey, params } = shownError;
  // A report made for the error before is not this one's.
  $("error-report-box").open = false;
  $("error-report").textContent = "";
  const e = normalizeError(error);
  $("error-heading").textContent = t(headingKey, params);
  $("error-message").textContent = e.message;
  $("error-action").textContent = e.action || "";
  $("error-action").hidden = !e.action;
  renderErrorDetails(e.details);
  $("error").hidden = false;
}

/** The labels of the sign-in service's and Graph's error fields; others show under their own name. */
const DETAIL_LABELS = {
  error: "detail.error",
  error_description: "detail.error_description",
  error_subcode: "detail.error_subcode",
  error_codes: "detail.error_codes",
  trace_id: "detail.trace_id",
  correlation_id: "detail.correlation_id",
  timestamp: "detail.timestamp",
  suberror: "detail.suberror",
  error_uri: "detail.error_uri",
  status: "detail.status",
  code: "detail.code",
  message: "detail.message",
  request_id: "detail.request_id",
  date: "detail.date",
  account: "detail.account",
  tenant: "detail.tenant",
  aadsts_codes: "detail.aadsts_codes",
  graph_code: "detail.graph_code",
  http_status: "detail.http_status",
  client_request_id: "detail.client_request_id",
};

function detailLabel(key) {
  return Object.hasOwn(DETAIL_LABELS, key) ? t(DETAIL_LABELS[key]) : key;
}

/** The raw fields IT needs to find the attempt in the sign-in logs (never secrets). */
function renderErrorDetails(details) {
  const fields = Object.entries(details || {}).filter(([key]) => key !== "kind");
  $("error-details").hidden = renderFacts($("error-fields"), fields) === 0;
}

/** Fills a `<dl>` with `[key, value]` rows, leaving out empty values; returns how many it shows. */
export function renderFacts(list, rows) {
  const shown = rows.filter(([, value]) => value !== null && value !== undefined && value !== ""
    && !(Array.isArray(value) && value.length === 0));
  list.replaceChildren();
  for (const [key, value] of shown) {
    list.append(el("dt", "", detailLabel(key)), el("dd", "", Array.isArray(value) ? value.join(", ") : String(value)));
  }
  return shown.length;
}

export function clearMessages() {
  $("error").hidden = true;
  showNotice("");
}

onLanguageChange(() => {
  renderNotice();
  if (shownError && !$("error").hidden) renderError();
});
