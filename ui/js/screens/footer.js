// The footer: the vendor's help page, where the log files are, the settings that were skipped,
// and the language picker.
import { $, showError } from "../dom.js";
import { currentLanguage, setLanguage } from "../i18n.js";
import * as commands from "../commands.js";

/** Shows the help page, the log folder and the skipped settings from `app_info` (the problems
 * in the core's words). */
export function render(info) {
  $("open-help").hidden = !info.help_url;
  if (info.log_folder) {
    $("log-folder").textContent = info.log_folder;
    $("log-folder-note").hidden = false;
    $("open-log-folder").hidden = false;
  }
  const problems = $("settings-problem-list");
  problems.replaceChildren(...info.settings_problems.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  $("settings-problems").hidden = info.settings_problems.length === 0;
}

/** The picker shows the language in use; a change switches the window at once and is remembered. */
export function init() {
  const picker = $("language");
  picker.value = currentLanguage();
  picker.addEventListener("change", async () => {
    await setLanguage(picker.value, true);
    picker.value = currentLanguage();
  });
  $("open-help").addEventListener("click", async () => {
    try {
      await commands.openHelp();
    } catch (error) {
      showError(error, "error.heading.help");
    }
  });
  $("open-log-folder").addEventListener("click", async () => {
    try {
      await commands.openLogFolder();
    } catch (error) {
      showError(error, "error.heading.log_folder");
    }
  });
}
