// The trips through the browser and the commands that end in a new connection status. The
// status is rendered by `renderStatus`, which main.js hands over (it knows every screen).
import { $, announce, clearMessages, currentState, setState, showError, showNotice } from "./dom.js";
import { t } from "./i18n.js";
import * as commands from "./commands.js";
import { busy, normalizeError } from "./ipc.js";
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
    renderStatus(await commands.status());
  } catch (error) {
    showError(error, "error.heading.read_saved");
    setState("error");
  }
}

/** After "Check again" found the connection still blocked. */
function notApprovedYet(start, status) {
  if (start === commands.beginRecheck && status.state === "blocked") {
    showNotice({ key: "notice.not_approved_yet", kind: "pending" });
  }
}

/** Starts a sign-in (first, incremental or a re-check), waits for the browser, then shows the
 * result. Options: `features`; `loginHint` (default: the first screen's work email); `quiet`: an
 * automatic re-check, which keeps the blocked screen while it runs; `onBrowser`: called when a
 * quiet re-check went to the browser.
 *
 * `start` is the command that begins it (commands.js). `beginRecheck` answers either `{kind: "browser", url, browser_error}` (a look through the
 * browser: wait for it) or `{kind: "answered", status}` (the app looked with its saved sign-in:
 * nothing to wait for). An answer without `kind` is the browser's. */
export async function signIn(button, start, options = {}) {
  const { features = null, quiet = false, onBrowser = () => {} } = options;
  const loginHint = "loginHint" in options ? options.loginHint : $("login-hint").value.trim() || null;
  clearMessages();
  app.pasted = null;
  if (start === commands.beginSignIn) app.lastFeatures = features;
  let started;
  try {
    // Disabled while the link is prepared, so a double click starts one sign-in.
    // `quiet` tells `beginRecheck` a timed look from "Check again", which leaves the schedule.
    started = await busy(button, () => start({ features, loginHint, quiet }));
  } catch (error) {
    showError(error, "error.heading.sign_in_start");
    if (!quiet) setState("error");
    return;
  }
  if (started && started.kind === "answered") {
    renderStatus(started.status);
    notApprovedYet(start, started.status);
    return;
  }
  if (quiet) onBrowser();
  else showWaiting(started);
  try {
    const status = await commands.finishSignIn();
    renderStatus(status);
    notApprovedYet(start, status);
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

/** Runs one admin trip through the browser: begins it with `start(args)` (commands.js), shows the
 * waiting screen, returns what `adminFinish` brought, or null after showing why not under
 * `failureHeading` (back on the screen it started from). */
export async function adminTrip(button, start, args, failureHeading) {
  clearMessages();
  const from = currentState();
  let started;
  try {
    started = await busy(button, () => start(args));
  } catch (error) {
    showError(error, failureHeading);
    return null;
  }
  app.waitingFor = "admin";
  showWaiting(started);
  try {
    return await commands.adminFinish();
  } catch (error) {
    setState(from);
    if (normalizeError(error).code === "sign_in_cancelled") showNotice({ key: "notice.admin_cancelled" });
    else showError(error, failureHeading);
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

/** Runs a command (commands.js) that answers `{status, notice: {code, params}}`. */
export async function connectedAction(button, command, failureHeading) {
  clearMessages();
  await busy(button, async () => {
    try {
      const result = await command();
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
