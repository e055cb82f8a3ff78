// The Copy buttons: each copies a field and says so beside itself.
import { $ } from "./dom.js";
import { t } from "./i18n.js";

/** How long "… copied" stays visible beside its button. */
const COPIED_SHOWN_MS = 8000;

/** What each Copy button copies, and what its status says: [field, copied, failed]. */
const COPY = {
  "copy-link": ["sign-in-link", "copy.sign_in_link.done", "copy.sign_in_link.failed"],
  "copy-admin-link": ["admin-link", "copy.admin_link.done", "copy.admin_link.failed"],
  "copy-it-message": ["it-message", "copy.it_message.done", "copy.it_message.failed"],
  "copy-it-fix-message": ["it-fix-message", "copy.it_message.done", "copy.it_message.failed"],
  "copy-report": ["blocked-report", "copy.report.done", "copy.report.failed"],
};
const copyTimers = {};

/** Copies a field's text and selects it, so the keyboard can copy it when the clipboard refuses.
 * The outcome shows beside the button (`#<button>-status`, a status region screen readers hear). */
export async function copyField(button) {
  const [id, copied, failed] = COPY[button];
  const field = $(id);
  const status = $(`${button}-status`);
  field.focus();
  if (typeof field.select === "function") field.select();
  else window.getSelection().selectAllChildren(field);
  try {
    await navigator.clipboard.writeText(field.value || field.textContent);
    status.textContent = t(copied);
    status.dataset.outcome = "copied";
  } catch {
    status.textContent = t(failed);
    status.dataset.outcome = "failed";
  }
  clearTimeout(copyTimers[button]);
  copyTimers[button] = setTimeout(() => { status.textContent = ""; }, COPIED_SHOWN_MS);
}
