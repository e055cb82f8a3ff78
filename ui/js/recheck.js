// The blocked screen's pending approval: the re-checks while an admin's approval is awaited.
// A check looks quietly (with the saved sign-in, or through the browser with `prompt=none`): on the
// app's timer (`next_recheck_in`), when the recruiter comes back to the window (`recheck_on_return`
// says whether one is due), and on "Check again". Never two at once. When the last look found that
// Microsoft wants a sign-in first, automatic checks stop and "Sign in to check" offers one.
import { $, currentState, timeElement } from "./dom.js";
import { signIn } from "./flow.js";
import { t, tNodes } from "./i18n.js";
import * as commands from "./commands.js";

/** What the pending box shows: the blocked status's `pending_approval` and `last_check`. */
let pending = null;
let lastCheck = null;
/** Whether a look can go without a sign-in page (the account is known). */
let silent = false;
/** The plan line: `{kind: "manual" | "paused" | "next" | "checking" | "checking_browser", minutes}`. */
let plan = null;
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

/** Takes the blocked status's pending approval (or none) and plans the next look. */
export function showPending(blocked, canLookQuietly) {
  pending = blocked.pending_approval || null;
  lastCheck = blocked.last_check || null;
  silent = canLookQuietly;
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

function setPlan(next) {
  plan = next;
  renderPlan();
}

const PLAN_TEXTS = {
  manual: "recheck.plan.manual",
  paused: "recheck.plan.paused",
  next: "recheck.plan.next",
  checking: "recheck.plan.checking",
  checking_browser: "recheck.plan.checking_browser",
};

function renderPlan() {
  $("recheck-plan").textContent = plan ? t(PLAN_TEXTS[plan.kind], { count: plan.minutes }) : "";
}

/** Whether an automatic look may start now. */
function autoAllowed() {
  return currentState() === "blocked" && Boolean(pending) && !$("approval-pending").hidden && silent
    && !signInNeeded() && checking === 0;
}

/** Plans the next automatic look on the app's schedule (soon, then less often, and not while
 * nobody uses the app); `active`: the user acted. */
export async function planRecheck(active) {
  clearTimeout(timer);
  const mine = ++planSeq;
  if (currentState() !== "blocked" || !pending || $("approval-pending").hidden || signInNeeded()) return;
  if (!silent) {
    // A look without the account would be a whole sign-in page: only on request.
    setPlan({ kind: "manual" });
    return;
  }
  // The look running now plans the next one when it has shown its result.
  if (checking > 0) return;
  const seconds = await commands.nextRecheckIn(active).catch(() => null);
  if (mine !== planSeq || checking > 0) return;
  if (seconds === null) {
    setPlan({ kind: "paused" });
    return;
  }
  setPlan({ kind: "next", minutes: Math.max(1, Math.round(seconds / 60)) });
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (autoAllowed()) runCheck(true);
  }, seconds * 1000);
}

/** One look with `beginRecheck`; `quiet`: an automatic one (the blocked screen stays). */
async function runCheck(quiet) {
  checking += 1;
  clearTimeout(timer);
  if (quiet) setPlan({ kind: "checking" });
  try {
    await signIn($("recheck"), commands.beginRecheck, {
      quiet,
      onBrowser: () => setPlan({ kind: "checking_browser" }),
    });
  } finally {
    checking -= 1;
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
  if (asking || !autoAllowed()) return;
  asking = true;
  let due = false;
  try {
    // Before the core has the command, it rejects: no look then.
    due = (await commands.recheckOnReturn().catch(() => false)) === true;
  } finally {
    asking = false;
  }
  if (!autoAllowed()) return;
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
