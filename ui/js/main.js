// Inbox Connect window: renders the connection states from what the Rust commands return.
// This module wires the screens together; they share only the small modules beside it.
import { $, clearMessages, currentState, setState, showError } from "./dom.js";
import { configure, refresh } from "./flow.js";
import { currentLanguage, onLanguageChange, preferredLanguage, setLanguage } from "./i18n.js";
import * as commands from "./commands.js";
import { planRecheck } from "./recheck.js";
import { app } from "./store.js";
import * as admin from "./screens/admin.js";
import * as blocked from "./screens/blocked.js";
import * as checklist from "./screens/checklist.js";
import * as connect from "./screens/connect.js";
import * as connected from "./screens/connected.js";
import * as errorReport from "./screens/error_report.js";
import * as footer from "./screens/footer.js";
import * as waiting from "./screens/waiting.js";

/** Renders a `ConnectionStatus` and switches to its state. */
function renderStatus(status) {
  if (!status || status.state === "disconnected") {
    setState("idle");
    return;
  }
  if (status.state === "blocked" && status.blocked) {
    blocked.renderBlocked(status.blocked);
    return;
  }
  if (status.state === "needs_reconnect") {
    connected.renderNeedsReconnect(status);
    return;
  }
  connected.renderConnected(status);
}

/** Back to the recruiter's screen, as the saved connection says. */
function back() {
  clearMessages();
  refresh();
}

function wire() {
  configure(renderStatus);
  // Someone is using the app: re-checks may open a browser tab again.
  for (const type of ["click", "keydown"]) {
    document.addEventListener(type, () => planRecheck(true));
  }
  connect.init({ openAdmin: admin.openAdmin });
  waiting.init();
  connected.init();
  blocked.init({ renderStatus, openAdmin: admin.openAdmin });
  admin.init({ verify: checklist.verifyOrganization, back });
  checklist.init({ grant: admin.grantForOrganization, target: admin.adminTarget, back });
  footer.init();
  errorReport.init();
  $("retry").addEventListener("click", back);
}

/** This app's name (the vendor's product) as the heading and the page's title. */
function showProduct(product) {
  const heading = $("product-name");
  heading.textContent = product;
  heading.hidden = false;
  document.title = product;
}

/** The vendor's name where the HTML says "your recruiting product" (no longer translated). */
function showVendor(vendor) {
  for (const node of document.querySelectorAll(".vendor-name")) {
    delete node.dataset.i18n;
    node.textContent = vendor;
  }
}

/** Tells the app the window's language: the browser tab's pages and the message to IT speak it.
 * On a blocked screen the message to IT is written again in it. */
async function speak(rerender) {
  const status = await commands.setLanguage(currentLanguage()).catch(() => null);
  if (rerender && status && currentState() === "blocked") renderStatus(status);
}

async function start() {
  await setLanguage(preferredLanguage());
  wire();
  await speak(false);
  onLanguageChange(() => speak(true));
  try {
    app.info = await commands.appInfo();
  } catch (error) {
    showError(error, "error.heading.start");
    setState("error");
    // Nothing to retry until the app restarts; the action says what to fix.
    $("retry").hidden = true;
    return;
  }
  const info = app.info;
  showProduct(info.product);
  showVendor(info.vendor);
  if (info.sandbox) {
    $("sandbox-user").textContent = info.sandbox.user;
    $("sandbox-password").textContent = info.sandbox.password;
    $("sandbox-admin-user").textContent = info.sandbox.admin_user;
    $("sandbox-admin-password").textContent = info.sandbox.admin_password;
    $("sandbox-banner").hidden = false;
  }
  footer.render(info);
  connect.render();
  // Silent restore: the saved sign-in from the keychain, refreshed if needed; never opens a browser.
  try {
    renderStatus(await checkedOnOpen(await commands.restore()));
  } catch (error) {
    setState("idle");
    showError(error, "error.heading.restore");
  }
}

/** Opening the app checks a restored connection (the connected panel says so): the checks'
 * results and "Last checked" are shown, or what they found (a mailbox that cannot be used blocks),
 * never the saved status first and then another. A check that cannot run leaves the saved status,
 * which still says when it was last checked. */
async function checkedOnOpen(restored) {
  if (!restored || restored.state !== "connected") return restored;
  try {
    return (await commands.check()).status;
  } catch {
    return restored;
  }
}

start();
