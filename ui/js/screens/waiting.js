// The waiting screen: Microsoft's page is open in the browser; help if no tab appeared, and the
// box for an error page that never comes back to the app.
import { copyField } from "../copy.js";
import { $, announce, currentState, prepareDateFormat, setState, showError } from "../dom.js";
import { onLanguageChange, t } from "../i18n.js";
import * as commands from "../commands.js";
import { busy } from "../ipc.js";
import { app } from "../store.js";

/** "No browser tab?" waits this long: before it, people are still typing on Microsoft's page. */
const STUCK_HINT_AFTER_MS = 75000;

let stuckTimer = 0;
/** The sign-in the screen waits for (`{url, browser_error}`), for its texts in another language. */
let shown = null;

/** The waiting screen for a started sign-in, with help if the browser did not open. */
export function showWaiting(started) {
  shown = { started, admin: app.waitingFor === "admin" };
  renderTexts();
  // Pasting an error page explains a recruiter's blocked sign-in; an admin's errors come back here.
  $("paste-box").hidden = shown.admin;
  $("sign-in-link").value = started.url;
  $("link-row").hidden = true;
  $("stuck-hint").hidden = true;
  $("pasted-error").value = "";
  setState("waiting");
  // The person is in the browser now: make what the result's screen needs while nothing happens.
  setTimeout(prepareDateFormat, 0);
  clearTimeout(stuckTimer);
  $("browser-error").hidden = !started.browser_error;
  $("waiting-intro").hidden = Boolean(started.browser_error);
  if (started.browser_error) {
    showStuckHint();
  } else {
    stuckTimer = setTimeout(showStuckHint, STUCK_HINT_AFTER_MS);
    $("stuck-hint").dataset.afterSeconds = String(STUCK_HINT_AFTER_MS / 1000);
  }
}

function renderTexts() {
  if (!shown) return;
  $("waiting-intro").textContent = t(shown.admin ? "waiting.intro.admin" : "waiting.intro.recruiter");
  $("browser-error").textContent = t("waiting.browser_error", { error: shown.started.browser_error || "" });
}

/** The sign-in ended (whichever way): no more help timer, no link left in the page. */
export function stopWaiting() {
  clearTimeout(stuckTimer);
  $("sign-in-link").value = "";
}

function showStuckHint() {
  $("stuck-hint").hidden = false;
  announce(t("waiting.still_waiting"));
}

export function init() {
  const cancel = () =>
    (app.waitingFor === "admin" ? commands.adminCancel() : commands.cancelSignIn()).catch((e) => showError(e, "error.heading.cancel"));
  $("cancel").addEventListener("click", cancel);
  // Esc on the waiting screen is Cancel, as in any dialog-like wait (not while typing a pasted
  // error page, where Esc belongs to the field).
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && currentState() === "waiting" && e.target !== $("pasted-error")) cancel();
  });
  $("copy-link").addEventListener("click", () => {
    $("link-row").hidden = false;
    copyField("copy-link");
  });
  $("paste-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("pasted-error").value.trim();
    if (!text) {
      $("pasted-error").focus();
      announce(t("waiting.paste_first"));
      return;
    }
    await busy($("explain"), async () => {
      try {
        app.pasted = await commands.explainError(text, $("login-hint").value);
        // The sign-in's end (flow.js signIn) then shows this diagnosis.
        await commands.cancelSignIn();
      } catch (error) {
        showError(error, "error.heading.explain");
      }
    });
  });
  onLanguageChange(renderTexts);
}
