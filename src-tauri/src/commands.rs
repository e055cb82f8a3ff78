//! The window's commands: thin wrappers over the core's [`inbox_connect_core::Connector`]. Each
//! returns data the UI renders, or an [`AppError`] that reaches the UI as `{code, message, action}`.
//! Nothing returned here carries a token or an authorization code.

use inbox_connect_core::{
    AdminLink, ConnectError, ConnectionStatus, ErrorPayload, Feature, Finding, Language, Look,
    PendingSignIn, Recheck, RecheckPlan,
};
use tauri::{State, WebviewWindow};
use url::Url;

use crate::error::AppError;
use crate::state::AppState;
use crate::window::{
    bring_to_front, open_outside, ActionResult, AppInfo, MailOpened, Notice, RecheckStarted,
    SignInStarted,
};

/// The vendor profile (features, permissions, reasons) and sandbox mode.
#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    let profile = state.connector()?.profile();
    Ok(AppInfo::new(profile, state.sandbox_sign_in())
        .with_log_folder(state.log_folder())
        .with_settings(state.settings()))
}

/// Restores the connection saved in the keychain; never opens a browser.
#[tauri::command]
pub async fn restore(state: State<'_, AppState>) -> Result<ConnectionStatus, AppError> {
    Ok(state.connector()?.restore().await?)
}

/// The status as known now, without network calls.
#[tauri::command]
pub async fn status(state: State<'_, AppState>) -> Result<ConnectionStatus, AppError> {
    Ok(state.connector()?.status().await)
}

/// Starts a sign-in for these features (none: the profile's defaults) and opens the browser;
/// `login_hint` is the work email the user typed (blank: Microsoft asks for it).
#[tauri::command]
pub async fn begin_sign_in(
    state: State<'_, AppState>,
    features: Option<Vec<Feature>>,
    login_hint: Option<String>,
) -> Result<SignInStarted, AppError> {
    let features = features.unwrap_or_default();
    let hint = login_hint
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    let pending = state.connector()?.begin_sign_in(&features, hint).await?;
    Ok(started(&state, pending))
}

/// Starts a sign-in for another account ("Use a different account"): Microsoft's account picker,
/// nothing hinted; the connection stays until the new one is made.
#[tauri::command]
pub async fn begin_sign_in_as_another(
    state: State<'_, AppState>,
    features: Option<Vec<Feature>>,
) -> Result<SignInStarted, AppError> {
    let features = features.unwrap_or_default();
    let pending = state
        .connector()?
        .begin_sign_in_as_another(&features)
        .await?;
    Ok(started(&state, pending))
}

/// Starts an incremental-consent sign-in adding these features to the connected ones.
#[tauri::command]
pub async fn begin_add_features(
    state: State<'_, AppState>,
    features: Vec<Feature>,
) -> Result<SignInStarted, AppError> {
    let pending = state.connector()?.add_features(&features).await?;
    Ok(started(&state, pending))
}

/// Looks again, without prompting, whether an admin approved: with the refresh token when it
/// can tell (answered at once), else through the browser. `quiet`: a look on the app's schedule
/// (else "Check again", which leaves the schedule as it was).
#[tauri::command]
pub async fn begin_recheck(
    state: State<'_, AppState>,
    quiet: Option<bool>,
) -> Result<RecheckStarted, AppError> {
    let look = if quiet.unwrap_or(false) {
        Look::Timed
    } else {
        Look::ByHand
    };
    let recheck = state.connector()?.begin_recheck(look).await?;
    Ok(match recheck {
        Recheck::InBrowser(pending) => RecheckStarted::Browser(started(&state, *pending)),
        Recheck::Answered(status) => RecheckStarted::Answered { status },
    })
}

/// The recruiter came back to the window: whether to look now (the connection decides).
#[tauri::command]
pub async fn recheck_on_return(state: State<'_, AppState>) -> Result<bool, AppError> {
    Ok(state.connector()?.recheck_on_return().await)
}

/// Explains the text of an error page Microsoft showed in the browser (such pages never come
/// back to the app): the `blocked` status to show once the UI has cancelled the sign-in. `account`
/// is the work email the user typed, if any.
#[tauri::command]
pub async fn explain_error(
    state: State<'_, AppState>,
    text: String,
    account: Option<String>,
) -> Result<ConnectionStatus, AppError> {
    Ok(state
        .connector()?
        .explain_error_page(&text, account.as_deref())
        .await)
}

/// The admin-consent link of the blocked status as a QR code (an SVG document).
#[tauri::command]
pub async fn admin_consent_qr(state: State<'_, AppState>) -> Result<String, AppError> {
    let link = current_admin_link(&state).await?;
    Ok(crate::qr::svg(&link.url)?)
}

/// When the app looks next whether an admin approved, or why it does not; `active` says the
/// user just did something in the window.
#[tauri::command]
pub async fn recheck_plan(
    state: State<'_, AppState>,
    active: bool,
) -> Result<RecheckPlan, AppError> {
    Ok(state.connector()?.recheck_plan(active).await)
}

/// Makes the admin-consent link (and the message to IT) for the organization the user typed.
#[tauri::command]
pub async fn admin_consent_link(
    state: State<'_, AppState>,
    organization: String,
) -> Result<ConnectionStatus, AppError> {
    let connector = state.connector()?;
    connector.admin_consent_link(&organization).await?;
    Ok(connector.status().await)
}

fn started(state: &AppState, pending: PendingSignIn) -> SignInStarted {
    let started = SignInStarted::from(pending.link());
    state.set_pending(pending);
    started
}

/// Waits for the browser to bring the sign-in back, then brings the window to the front.
#[tauri::command]
pub async fn finish_sign_in(
    state: State<'_, AppState>,
    window: WebviewWindow,
) -> Result<ConnectionStatus, AppError> {
    let pending = state.take_pending().ok_or(AppError::NoSignInInProgress)?;
    let outcome = pending.wait().await;
    if !matches!(outcome, Err(ConnectError::SignInCancelled)) {
        bring_to_front(&window);
    }
    Ok(outcome?)
}

/// Cancels the sign-in in progress (its `finish_sign_in` fails with `sign_in_cancelled`).
#[tauri::command]
pub fn cancel_sign_in(state: State<'_, AppState>) -> Result<(), AppError> {
    state.connector()?.cancel_sign_in();
    Ok(())
}

/// Opens the user's mail program with the message to IT. A message too long for a `mailto:`
/// link opens with its subject only: `whole` is then false and the window copies the message
/// for the user to paste.
#[tauri::command]
pub async fn email_it(state: State<'_, AppState>) -> Result<MailOpened, AppError> {
    // Only the blocked status's own message: the page cannot make the app open any other link.
    let blocked = state.connector()?.status().await.blocked;
    let request = blocked
        .and_then(|b| {
            b.admin_consent
                .map(|link| link.it_request)
                .or(b.it_message.map(|m| m.it_request))
        })
        .ok_or(AppError::NoItMessage)?;
    let draft = request.mail_draft();
    let url = Url::parse(&draft.mailto).map_err(|e| AppError::Opener(e.to_string()))?;
    open_outside(&url)?;
    Ok(MailOpened { whole: draft.whole })
}

/// The recruiter asked IT (sent or copied the message or the link): the blocked status now waits
/// for IT.
#[tauri::command]
pub async fn it_asked(state: State<'_, AppState>) -> Result<ConnectionStatus, AppError> {
    Ok(state.connector()?.it_asked().await)
}

/// The admin link of the current blocked status.
async fn current_admin_link(state: &AppState) -> Result<AdminLink, AppError> {
    let status = state.connector()?.status().await;
    status
        .blocked
        .and_then(|blocked| blocked.admin_consent)
        .ok_or(AppError::NoAdminLink)
}

/// Re-runs the Graph checks.
#[tauri::command]
pub async fn check(state: State<'_, AppState>) -> Result<ActionResult, AppError> {
    let status = state.connector()?.check().await?;
    let failed = status.checks.iter().filter(|c| !c.passed).count();
    let notice = match failed {
        0 => Notice::ChecksPassed,
        count => Notice::ChecksFailed { count },
    };
    Ok(ActionResult { status, notice })
}

/// Sends a test email to the connected account and looks for it in Sent Items.
#[tauri::command]
pub async fn send_test_email(state: State<'_, AppState>) -> Result<ActionResult, AppError> {
    let connector = state.connector()?;
    let check = connector.send_test_email().await?;
    if !check.passed {
        return Err(AppError::TestEmailFailed(check.detail));
    }
    Ok(ActionResult {
        status: connector.status().await,
        notice: Notice::TestEmailSent {
            to: match check.finding {
                Finding::TestEmailInSentItems { to, .. } => to,
                _ => String::new(),
            },
        },
    })
}

/// Forgets the connection: removes the keychain entry.
#[tauri::command]
pub async fn disconnect(state: State<'_, AppState>) -> Result<ActionResult, AppError> {
    let connector = state.connector()?;
    let report = connector.disconnect().await?;
    // The entry's exact name goes to the log; the window says it in plain words.
    tracing::info!(entry = %report.keychain_entry, removed = report.removed_from_keychain, "disconnected");
    let notice = match (report.removed_from_keychain, report.my_apps) {
        (true, Some(my_apps)) => Notice::Disconnected { my_apps },
        (true, None) => Notice::DisconnectedAskIt,
        (false, Some(my_apps)) => Notice::NothingSaved { my_apps },
        (false, None) => Notice::NothingSavedAskIt,
    };
    Ok(ActionResult {
        status: connector.status().await,
        notice,
    })
}

/// The window's language (a tag like `de`), for what the app shows outside the window: the
/// browser tab's pages and the message to IT. A tag the catalogs lack means English. Answers the
/// status, whose message to IT is then in that language.
#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    language: String,
) -> Result<ConnectionStatus, AppError> {
    let language = Language::from_tag(&language).unwrap_or_default();
    state.admin()?.set_language(language);
    let connector = state.connector()?;
    connector.set_language(language).await;
    Ok(connector.status().await)
}

/// Opens the vendor's help page (the profile's `help_url`, and only that) in the system browser.
#[tauri::command]
pub fn open_help(state: State<'_, AppState>) -> Result<(), AppError> {
    let url = state
        .connector()?
        .profile()
        .help_url
        .clone()
        .ok_or(AppError::NoHelpPage)?;
    open_outside(&url)
}

/// Opens the folder of the log files in the file manager, so they can be attached to a ticket.
#[tauri::command]
pub fn open_log_folder(state: State<'_, AppState>) -> Result<(), AppError> {
    let folder = state.log_folder().ok_or(AppError::NoLogFile)?;
    let url = Url::from_directory_path(folder)
        .map_err(|()| AppError::Opener(format!("{} is not a folder path", folder.display())))?;
    open_outside(&url)
}

/// The diagnostic report for support of an error the window shows (its payload as the window
/// received it): every error screen's "Copy diagnostic report".
#[tauri::command]
pub fn error_report(state: State<'_, AppState>, error: ErrorPayload) -> String {
    state.error_report(&error)
}
