// The app's Rust commands, one function each: the only place a command's name appears (as Tauri's
// plugins-workspace guest-js does). Every command answers with data or rejects with
// {code, message, action}; tokens and codes never come here, so nothing secret reaches the DOM.

/** Tauri's `withGlobalTauri` invoke. */
function invoke(command, args) {
  return window.__TAURI__.core.invoke(command, args);
}

/** The app's name, version, vendor, links and features (`AppInfo`). */
export const appInfo = () => invoke("app_info");
/** The connection stored in the keychain, refreshed once (`ConnectionStatus`). */
export const restore = () => invoke("restore");
/** The connection as it is now, without network or browser (`ConnectionStatus`). */
export const status = () => invoke("status");

/** Starts a first sign-in for `features` (`null`: the profile's defaults); the browser opens. */
export const beginSignIn = ({ features, loginHint }) => invoke("begin_sign_in", { features, loginHint });
/** Starts a sign-in that adds `features` to the connection (`[]`: reconnect as it was). */
export const beginAddFeatures = ({ features, loginHint }) => invoke("begin_add_features", { features, loginHint });
/** Starts a sign-in with another account (the browser asks which). */
export const beginSignInAsAnother = ({ features, loginHint }) =>
  invoke("begin_sign_in_as_another", { features, loginHint });
/** Looks again whether the approval was given: `{kind: "answered", status}` or a browser trip;
 * `quiet`: an automatic look, which leaves the schedule. */
export const beginRecheck = ({ features, loginHint, quiet }) =>
  invoke("begin_recheck", { features, loginHint, quiet });
/** Waits for the browser trip a `begin…` command started (`ConnectionStatus`). */
export const finishSignIn = () => invoke("finish_sign_in");
/** Cancels the recruiter's browser trip. */
export const cancelSignIn = () => invoke("cancel_sign_in");

/** Runs the connection checks again (`{status, notice}`). */
export const check = () => invoke("check");
/** Sends the test email and looks for it in Sent Items (`{status, notice}`). */
export const sendTestEmail = () => invoke("send_test_email");
/** Removes the connection from the keychain (`{status, notice}`). */
export const disconnect = () => invoke("disconnect");

/** Opens the mail program with the message to IT (`{whole}`: false when only the subject fit). */
export const emailIt = () => invoke("email_it");
/** Records that the recruiter asked IT (`ConnectionStatus`). */
export const itAsked = () => invoke("it_asked");
/** When the app looks next whether an admin approved, or why not (`RecheckPlan`:
 * `{kind: "next", in_secs}`, `{kind: "when_asked", quiet}`, `{kind: "sign_in_first"}` or
 * `{kind: "paused"}`); `active`: the user just did something in the window. */
export const recheckPlan = (active) => invoke("recheck_plan", { active });
/** Whether the user's return to the window is a moment to look again (the app decides). */
export const recheckOnReturn = () => invoke("recheck_on_return");
/** The admin-consent link for the organization the user typed (`ConnectionStatus`). */
export const adminConsentLink = (organization) => invoke("admin_consent_link", { organization });
/** The blocked status's admin-consent link as a QR code (an SVG document). */
export const adminConsentQr = () => invoke("admin_consent_qr");
/** Explains an error page pasted from the browser (`ConnectionStatus`). */
export const explainError = (text, account) => invoke("explain_error", { text, account });

/** Opens the folder of the app's log file. */
export const openLogFolder = () => invoke("open_log_folder");
/** The diagnostic report for support of `error`, the error the window shows (text). */
export const errorReport = (error) => invoke("error_report", { error });
/** Opens the vendor's help page. */
export const openHelp = () => invoke("open_help");
/** Speaks `language` from now on (the browser tab, the message to IT); answers the status. */
export const setLanguage = (language) => invoke("set_language", { language });
/** Puts `text` on the clipboard (Tauri's clipboard plugin). */
export const writeClipboard = (text) => invoke("plugin:clipboard-manager|write_text", { text });

/** What the admin path needs to show (`AdminInfo`). */
export const adminInfo = () => invoke("admin_info");
/** Starts the admin's organization-wide grant through the browser. */
export const adminBeginGrant = (args) => invoke("admin_begin_grant", args);
/** Starts the admin's read-only sign-in for the checklist. */
export const adminBeginVerify = (args) => invoke("admin_begin_verify", args);
/** What a checklist action would change, before the admin confirms it. */
export const adminPreviewAction = (action) => invoke("admin_preview_action", { action });
/** Starts the sign-in that makes a confirmed checklist change. */
export const adminBeginConfirmedAction = (args) => invoke("admin_begin_confirmed_action", args);
/** Waits for the admin's browser trip (its outcome). */
export const adminFinish = () => invoke("admin_finish");
/** Cancels the admin's browser trip. */
export const adminCancel = () => invoke("admin_cancel");
/** Opens the Entra admin center where a checklist item is fixed by hand. */
export const adminOpenPortal = (item) => invoke("admin_open_portal", { item });
