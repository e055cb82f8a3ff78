// The core's advice for a diagnosis in the window's language: the catalogs word each piece of
// advice under its stable key (`advice.<key>.explanation`, `advice.<key>.steps.<n>`); the core's
// English stands in where a catalog has no words for it.
import { t } from "./i18n.js";

function words(key, english) {
  const text = t(key);
  return text === key ? english : text;
}

/** The cause in plain words. */
export function explanation(diagnosis) {
  return words(`advice.${diagnosis.advice}.explanation`, diagnosis.explanation);
}

/** What to do, in order. */
export function nextSteps(diagnosis) {
  return (diagnosis.next_steps || []).map((step, i) => words(`advice.${diagnosis.advice}.steps.${i + 1}`, step));
}
