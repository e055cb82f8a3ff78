// The trips through the browser and the commands that end in a new connection status. The
// status is rendered by `renderStatus`, which main.js hands over (it knows every screen).
import { $, announce, clearMessages, currentState, setState, showError, showNotice } from "./dom.js";
import { t } from "./i18n.js";
import { busy, invoke, normalizeError } from "./ipc.js";
import { app } from "./store.js";
import { showWaiting, stopWaiting } from "./screens/waiting.js";

let renderStatus = () => {};

/** Sets the function that shows a `ConnectionStatus` on its screen. */
export function configure(render) {
  renderStatus = render;
}

/** Re-reads the saved connection without any network or browser. */
export async function refresh() {
  try {
    renderStatus(await invoke("status"));
  } catch (error) {
    showError(error, "error.heading.read_saved");
    setState("error");
  }
}

/** After "Check again" found the connection still blocked. */
function notApprovedYet(command, status) {
  if (command === "begin_recheck" && status.state === "blocked") {
    showNotice({ key: "notice.not_approved_yet", kind: "pending" });
  }
}

/** Starts a sign-in (first, incremental or a re-check), waits for the browser, then shows the
 * result. Options: `features`; `loginHint` (default: the first screen's work email); `quiet`: an
 * automatic re-check, which keeps the blocked screen while it runs; `onBrowser`: called when a
 * quiet re-check went to the browser.
 *
 * `begin_recheck` answers either `{kind: "browser", url, browser_error}` (a look through the
 * browser: wait for it) or `{kind: "answered", status}` (the app looked with its saved sign-in:
 * nothing to wait for). An answer without `kind` is the browser's. */
export async function signIn(button, command, options = {}) {
  const { features = null, quiet = false, onBrowser = () => {} } = options;
  const loginHint = "loginHint" in options ? options.loginHint : $("login-hint").value.trim() || null;
  clearMessages();
  app.pasted = null;
  if (command === "begin_sign_in") app.lastFeatures = features;
  let started;
  try {
    // Disabled while the link is prepared, so a double click starts one sign-in.
    // `quiet` tells `begin_recheck` a timed look from "Check again", which leaves the schedule.
    started = await busy(button, () => invoke(command, { features, loginHint, quiet }));
  } catch (error) {
    showError(error, "error.heading.sign_in_start");
    if (!quiet) setState("error");
    return;
  }
  if (started && started.kind === "answered") {
    renderStatus(started.status);
    notApprovedYet(command, started.status);
    return;
  }
  if (quiet) onBrowser();
  else showWaiting(started);
  try {
    const status = await invoke("finish_sign_in");
    renderStatus(status);
    notApprovedYet(command, status);
  } catch (error) {
    if (normalizeError(error).code !== "sign_in_cancelled") {
      if (quiet) {
        await refresh();
        showError(error, "error.heading.automatic_check");
      } else {
        // The error box first: the error state focuses its heading.
        showError(error, "error.heading.connect");
        setState("error");
      }
    } else if (app.pasted) {
      renderStatus(app.pasted);
    } else if (!quiet) {
      // A cancelled automatic check needs nothing: the sign-in that replaced it shows its result.
      await refresh();
      showNotice({ key: "notice.sign_in_cancelled" });
    }
  } finally {
    stopWaiting();
  }
}

/** What failed, per admin command, for the error box's heading. */
const ADMIN_FAILURES = {
  admin_begin_grant: "error.heading.admin_grant",
  admin_begin_verify: "error.heading.admin_verify",
  admin_begin_confirmed_action: "error.heading.admin_change",
};

/** Runs one admin trip through the browser: begins it, shows the waiting screen, returns what
 * `admin_finish` brought, or null after showing why not (back on the screen it started from). */
export async function adminTrip(button, command, args) {
  clearMessages();
  const from = currentState();
  let started;
  try {
    started = await busy(button, () => invoke(command, args));
  } catch (error) {
    showError(error, ADMIN_FAILURES[command]);
    return null;
  }
  app.waitingFor = "admin";
  showWaiting(started);
  try {
    return await invoke("admin_finish");
  } catch (error) {
    setState(from);
    if (normalizeError(error).code === "sign_in_cancelled") showNotice({ key: "notice.admin_cancelled" });
    else showError(error, ADMIN_FAILURES[command]);
    return null;
  } finally {
    app.waitingFor = "recruiter";
    stopWaiting();
  }
}

/** The words of each notice a command answers (its stable `code`). */
const NOTICES = {
  checks_passed: "notice.checks_passed",
  checks_failed: "notice.checks_failed",
  test_email_sent: "notice.test_email_sent",
  disconnected: "notice.disconnected.my_apps",
  disconnected_ask_it: "notice.disconnected.ask_it",
  nothing_saved: "notice.nothing_saved.my_apps",
  nothing_saved_ask_it: "notice.nothing_saved.ask_it",
};

/** Runs a command that answers `{status, notice: {code, params}}`. */
export async function connectedAction(button, command, failureHeading) {
  clearMessages();
  await busy(button, async () => {
    try {
      const result = await invoke(command);
      renderStatus(result.status);
      const notice = result.notice && NOTICES[result.notice.code]
        ? { key: NOTICES[result.notice.code], params: result.notice.params || {} }
        : null;
      showNotice(notice);
      if (notice) announce(t(notice.key, notice.params));
    } catch (error) {
      showError(error, failureHeading);
    }
  });
}
