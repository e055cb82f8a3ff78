// Around the Rust commands (commands.js): a button busy while one runs, and what a rejection says.
import { say, t } from "./i18n.js";

/** Runs a command with its button disabled, so a double click cannot start it twice. */
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

/** An error as `{code, message, action, details}`: the core's own, or one for anything else
 * (a rejected promise with a string, an exception). */
export function normalizeError(error) {
  if (error && typeof error === "object" && error.message) {
    // What to do, in the window's language when the core sent it as words.
    return error.action_words ? { ...error, action: say(error.action_words) } : error;
  }
  return {
    code: "unexpected",
    message: error ? String(error) : t("error.unexpected.message"),
    action: t("error.unexpected.action"),
  };
}
