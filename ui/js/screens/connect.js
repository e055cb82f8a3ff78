// The first screen: what to connect, the optional work email, Connect Outlook, and the
// permissions it will ask for.
import * as commands from "../commands.js";
import { $ } from "../dom.js";
import { signIn } from "../flow.js";
import { pickedFeatures, renderFeaturePicker, renderPermissionList } from "../permissions.js";
import { app } from "../store.js";

/** The permissions the picked features will ask for, each once, in profile order. */
function renderPermissionPreview() {
  const picked = new Set(pickedFeatures($("feature-picker")));
  renderPermissionList($("permissions-preview"), app.info.features.filter((f) => picked.has(f.id)).flatMap((f) => f.scopes));
  $("permissions-count").textContent = String($("permissions-preview").childElementCount);
  $("connect").disabled = picked.size === 0;
}

/** Fills the feature picker from `app_info` (the profile's defaults ticked). */
export function render() {
  renderFeaturePicker($("feature-picker"), app.info.features, (f) => f.default);
  renderPermissionPreview();
}

/** `openAdmin`: the IT admin's screen. */
export function init({ openAdmin }) {
  $("feature-picker").addEventListener("change", renderPermissionPreview);
  // A submit: the button, or Enter in the work email field.
  $("connect-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if ($("connect").disabled) return;
    signIn($("connect"), commands.beginSignIn, { features: pickedFeatures($("feature-picker")) });
  });
  $("admin-entry").addEventListener("click", openAdmin);
}
