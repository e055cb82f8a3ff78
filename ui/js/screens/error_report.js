// Every error screen's diagnostic report for support: the app makes it from the error the window
// shows (with the app's facts, the settings in force and the log folder), when it is opened or
// copied.
import { $, shownErrorPayload } from "../dom.js";
import { copyField } from "../copy.js";
import * as commands from "../commands.js";

/** Puts the report of the error shown into the box; an empty box when the app could not make it. */
async function fill() {
  $("error-report").textContent = await commands.errorReport(shownErrorPayload()).catch(() => "");
}

export function init() {
  const box = $("error-report-box");
  box.addEventListener("toggle", () => {
    if (box.open && !$("error-report").textContent) fill();
  });
  $("copy-error-report").addEventListener("click", async () => {
    await fill();
    // Where the clipboard refuses, the report stays selected in view for Ctrl+C.
    if (!(await copyField("copy-error-report"))) box.open = true;
  });
}
