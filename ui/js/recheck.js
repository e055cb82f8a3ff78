// The blocked screen's pending approval: the re-checks while an admin's approval is awaited.
// The app decides when to look (`recheck_plan`: in how long, or why not; `recheck_on_return`: on
// coming back to the window); this module shows its plan, fires the one timer it asks for, and
// runs "Check again". Never two looks at once. When the last look found that Microsoft wants a
// sign-in first, "Sign in to check" offers one.
import { $, currentState, timeElement } from "./dom.js";
import { signIn } from "./flow.js";
import { t, tNodes } from "./i18n.js";
import * as commands from "./commands.js";

/** What the pending box shows: the blocked status's `pending_approval` and `last_check`. */
let pending = null;
let lastCheck = null;
/** The app's plan (`recheck_plan`), and the request for it in flight (a click waits for it). */
let plan = null;
let planned = Promise.resolve(null);
/** What the plan line shows while a look runs: "checking" | "checking_browser" | null. */
let looking = null;
/** How many checks run now (a "Check again" may replace a quiet one still waiting for the browser). */
let checking = 0;
let timer = 0;
/** Bumped by every plan, so an older plan's answer cannot set a second timer. */
let planSeq = 0;
let asking = false;

/** Why Microsoft wants a sign-in first, per `last_check.reason`. */
const SIGN_IN_REASONS = {
  no_session: "recheck.reason.no_session",
  verification_due: "recheck.reason.verification_due",
  account_choice: "recheck.reason.account_choice",
};

function signInNeeded() {
  return Boolean(lastCheck && lastCheck.outcome === "sign_in_needed");
}

/** Takes the blocked status's pending approval (or none) and asks the app for its plan. */
export function showPending(blocked) {
  pending = blocked.pending_approval || null;
  lastCheck = blocked.last_check || null;
  $("approval-pending").hidden = !pending;
  // Without an organization the approval link comes first: "Make the approval link" leads.
  if (!pending) $("recheck").classList.toggle("primary", !blocked.needs_tenant);
  renderPending();
  planRecheck(false);
}

/** The blocked status after the recruiter asked IT (`it_asked`): the box now waits for IT. */
export function pendingAsked(blocked) {
  if (!blocked || !blocked.pending_approval) return;
  pending = blocked.pending_approval;
  renderPending();
}

/** The pending box's texts (again, in another language). Until IT was asked it says only that
 * the window turns green by itself: nobody was asked to approve yet. */
export function renderPending() {
  if (!pending) return;
  const asked = Boolean(pending.asked_at);
  const heading = $("pending-heading");
  heading.dataset.i18n = asked ? "blocked.pending.heading_waiting" : "blocked.pending.heading_not_asked";
  heading.textContent = t(heading.dataset.i18n);
  $("approval-waiting").hidden = !asked;
  $("approval-not-asked").hidden = asked;
  $("approval-account").textContent = pending.account || t("recheck.your_account");
  $("approval-since").replaceChildren(timeElement(pending.asked_at || pending.since));
  const needed = signInNeeded();
  $("recheck-sign-in-box").hidden = !needed;
  $("recheck-plan").hidden = needed;
  // One primary button: "Sign in to check" while a sign-in is needed; "Check again" once IT was
  // asked (before, writing to IT leads).
  $("recheck").classList.toggle("primary", !needed && asked);
  if (needed) {
    $("recheck-sign-in-reason").textContent = t(SIGN_IN_REASONS[lastCheck.reason] || "recheck.reason.other");
  }
  renderPlan();
}

/** "Last checked …" under Details (the blocked status's `last_check`), or nothing: the facts
 * above it stay those of the original block, which IT was sent. Returns whether it shows. */
export function renderLastCheck(last) {
  const node = $("blocked-last-check");
  node.hidden = !last;
  if (!last) return false;
  node.dataset.by = last.by || "";
  const time = timeElement(last.at);
  let key = "recheck.last.sign_in_needed";
  if (last.outcome === "not_yet") key = last.code ? "recheck.last.not_yet_code" : "recheck.last.not_yet";
  node.replaceChildren(...tNodes(key, { time, code: last.code || "" }));
  return true;
}

const LOOKING_TEXTS = {
  checking: "recheck.plan.checking",
  checking_browser: "recheck.plan.checking_browser",
};

function setLooking(next) {
  looking = next;
  renderPlan();
}

/** The plan line: the look running, else what the app plans (the sign-in box speaks for
 * `sign_in_first`; a look only when asked needs no line unless it is a whole sign-in). */
function renderPlan() {
  let text = "";
  if (looking) text = t(LOOKING_TEXTS[looking]);
  else if (plan && plan.kind === "next") text = t("recheck.plan.next", { count: Math.max(1, Math.round(plan.in_secs / 60)) });
  else if (plan && plan.kind === "paused") text = t("recheck.plan.paused");
  else if (plan && plan.kind === "when_asked" && !plan.quiet) text = t("recheck.plan.manual");
  $("recheck-plan").textContent = text;
}

/** Whether the blocked screen waits for an approval with no look running. */
function waitingIdle() {
  return currentState() === "blocked" && Boolean(pending) && !$("approval-pending").hidden && checking === 0;
}

/** Asks the app for its plan, shows it and sets the timer it asks for; `active`: the user acted. */
export async function planRecheck(active) {
  clearTimeout(timer);
  const mine = ++planSeq;
  // The look running now plans the next one when it has shown its result.
  if (currentState() !== "blocked" || checking > 0) return;
  planned = commands.recheckPlan(active).catch(() => null);
  const next = await planned;
  if (mine !== planSeq || checking > 0) return;
  plan = next;
  renderPlan();
  if (!plan || plan.kind !== "next" || !waitingIdle()) return;
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (waitingIdle()) runCheck(true);
  }, plan.in_secs * 1000);
}

/** Whether "Check again" looks without a sign-in page (the app's plan says; asked if in flight). */
export async function looksQuietly() {
  const current = await planned;
  return !(current && current.kind === "when_asked" && !current.quiet);
}

/** One look with `beginRecheck`; `quiet`: an automatic one (the blocked screen stays). */
async function runCheck(quiet) {
  checking += 1;
  clearTimeout(timer);
  if (quiet) setLooking("checking");
  try {
    await signIn($("recheck"), commands.beginRecheck, {
      quiet,
      onBrowser: () => setLooking("checking_browser"),
    });
  } finally {
    checking -= 1;
    if (checking === 0) looking = null;
    // The result is on screen (its plan waited for this look to end): plan the next one.
    if (checking === 0) planRecheck(false);
  }
}

/** "Check again" with a known account: a look now (it replaces a quiet one still waiting). */
export function checkNow() {
  return runCheck(false);
}

/** The recruiter came back to the window: a quiet look if the app says one is due. */
async function onReturn() {
  if (asking || !waitingIdle()) return;
  asking = true;
  let due = false;
  try {
    // Before the core has the command, it rejects: no look then.
    due = (await commands.recheckOnReturn().catch(() => false)) === true;
  } finally {
    asking = false;
  }
  if (!waitingIdle()) return;
  if (due) runCheck(true);
  // Coming back restarts the app's schedule: the timer follows it.
  else planRecheck(false);
}

export function init() {
  window.addEventListener("focus", onReturn);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") onReturn();
  });
  // The sign-in Microsoft asked for, as the account that waits, for the features it waits for.
  $("recheck-sign-in").addEventListener("click", (e) => signIn(e.currentTarget, commands.beginSignIn, {
    features: pending ? pending.features : null,
    loginHint: pending ? pending.account || null : null,
  }));
}
