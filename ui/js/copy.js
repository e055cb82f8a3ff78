// The Copy buttons: each copies a field and says so beside itself. The text goes to the OS
// clipboard through the app (tauri-plugin-clipboard-manager): the webview's own clipboard refuses a
// write that does not follow a click at once, as after "Email my IT admin" opened the mail program.
import { $ } from "./dom.js";
import { t } from "./i18n.js";
import * as commands from "./commands.js";

/** How long "… copied" stays visible beside its button. */
const COPIED_SHOWN_MS = 8000;

/** What each Copy button copies, and what its status says: [field, copied, failed]. */
const COPY = {
  "copy-link": ["sign-in-link", "copy.sign_in_link.done", "copy.sign_in_link.failed"],
  "copy-admin-link": ["admin-link", "copy.admin_link.done", "copy.admin_link.failed"],
  "copy-it-message": ["it-message", "copy.it_message.done", "copy.it_message.failed"],
  "copy-it-fix-message": ["it-fix-message", "copy.it_message.done", "copy.it_message.failed"],
  "copy-report": ["blocked-report", "copy.report.done", "copy.report.failed"],
  "copy-error-report": ["error-report", "copy.report.done", "copy.report.failed"],
};
const copyTimers = {};

/** Copies a field's text and selects it, so the keyboard can copy it when the clipboard refuses.
 * The outcome shows beside the button (`#<button>-status`, a status region screen readers hear).
 * Returns whether the text is on the clipboard. */
export async function copyField(button) {
  const [id, copied, failed] = COPY[button];
  const field = $(id);
  const status = $(`${button}-status`);
  field.focus();
  if (typeof field.select === "function") field.select();
  else window.getSelection().selectAllChildren(field);
  let done = false;
  try {
    await commands.writeClipboard(field.value || field.textContent);
    done = true;
  } catch {
    done = false;
  }
  status.textContent = t(done ? copied : failed);
  status.dataset.outcome = done ? "copied" : "failed";
  clearTimeout(copyTimers[button]);
  copyTimers[button] = setTimeout(() => { status.textContent = ""; }, COPIED_SHOWN_MS);
  return done;
}
