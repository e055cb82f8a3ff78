// The window's languages. Catalogs are ui/i18n/<language>.json: flat keys ("connect.heading"),
// messages with named placeholders ("{vendor}"), and plural messages as objects of
// Intl.PluralRules categories ({"one": "…", "other": "…"}), picked by the `count` parameter.
// English is the source: index.html holds it as the fallback, and a key missing from another
// catalog shows in English. tests/it/ui_catalogs/ checks that every catalog has en.json's keys.
//
// Static HTML is translated through attributes: `data-i18n="key"` sets an element's text (its
// children marked `data-slot="name"` are kept and placed where the message says `{name}`), and
// `data-i18n-attr="aria-label:key;placeholder:key"` sets attributes.

/** The languages of the picker, in its order; English first (the source and the fallback). */
export const LANGUAGES = ["en", "de", "fr", "nl", "es"];
/** Where the picked language is remembered. */
export const STORAGE_KEY = "inbox-connect.language";

const catalogs = {};
let language = "en";
const listeners = [];
/** Bumped by every `setLanguage`, so a slower catalog cannot undo a later pick. */
let requests = 0;

/** The catalog of `lang`, fetched once from the app's own files. */
async function load(lang) {
  if (!catalogs[lang]) {
    const response = await fetch(`i18n/${lang}.json`);
    if (!response.ok) throw new Error(`i18n/${lang}.json: HTTP ${response.status}`);
    catalogs[lang] = await response.json();
  }
  return catalogs[lang];
}

/** The language shown now (one of LANGUAGES). */
export function currentLanguage() {
  return language;
}

/** The locale for dates and numbers: the OS's own variant of the language when it has one
 * (English with en-GB shows day before month), else the bare language. */
export function locale() {
  const own = (navigator.languages || []).find((tag) => baseOf(tag) === language);
  return own || language;
}

function baseOf(tag) {
  return String(tag || "").toLowerCase().split(/[-_]/)[0];
}

function saved() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The saved choice, else the first OS language the app has, else English. */
export function preferredLanguage() {
  const choice = saved();
  if (LANGUAGES.includes(choice)) return choice;
  const os = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
  return os.map(baseOf).find((lang) => LANGUAGES.includes(lang)) || "en";
}

/** The message of `key` in the current language (English if it has none), unformatted. */
function message(key) {
  const own = catalogs[language] && catalogs[language][key];
  if (own !== undefined) return own;
  const english = catalogs.en && catalogs.en[key];
  return english !== undefined ? english : null;
}

/** Picks the plural form of a message object for `count` in the current language. */
function pick(value, count) {
  if (value === null || typeof value !== "object") return value;
  const category = new Intl.PluralRules(locale()).select(Number(count));
  return value[category] ?? value.other ?? Object.values(value)[0];
}

/** A parameter as text: numbers in the language's digits and separators. */
function show(value) {
  if (typeof value === "number") return value.toLocaleString(locale());
  return value === null || value === undefined ? "" : String(value);
}

/** The message as a list of text pieces and placeholder names: "a {x} b" → ["a ", {name: "x"}, " b"]. */
function pieces(text) {
  const out = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf("{");
    const close = open < 0 ? -1 : rest.indexOf("}", open);
    if (close < 0) break;
    const name = rest.slice(open + 1, close);
    if (!/^[a-z_][a-z0-9_]*$/i.test(name)) {
      out.push(rest.slice(0, close + 1));
      rest = rest.slice(close + 1);
      continue;
    }
    if (open > 0) out.push(rest.slice(0, open));
    out.push({ name });
    rest = rest.slice(close + 1);
  }
  if (rest) out.push(rest);
  return out;
}

/** The text of `key` with its placeholders filled from `params` (a whole sentence, never parts). */
export function t(key, params = {}) {
  const text = pick(message(key), params.count);
  if (text === null || text === undefined) return key;
  return pieces(text).map((p) => (typeof p === "string" ? p : p.name in params ? show(params[p.name]) : `{${p.name}}`)).join("");
}

/** The core's `Words` ({key, params}) in the current language; a parameter may be a number, text,
 * `Words` of its own, or a list ({all_of: [...]} / {any_of: [...]}) joined as the catalog says. */
export function say(words) {
  const params = {};
  for (const [name, value] of Object.entries(words.params || {})) params[name] = sayValue(value);
  return t(words.key, params);
}

function sayValue(value) {
  if (value === null || typeof value !== "object") return value;
  if (typeof value.key === "string") return say(value);
  const [join, items] = value.all_of ? ["list.all_of", value.all_of] : ["list.any_of", value.any_of || []];
  const parts = items.map((item) => show(sayValue(item)));
  if (parts.length < 2) return parts.join("");
  return t(join, { rest: parts.slice(0, -1).join(", "), last: parts[parts.length - 1] });
}

/** Like `t`, for messages whose placeholders hold elements (a <time>, a <strong>): the nodes to
 * put into an element with `replaceChildren`. */
export function tNodes(key, params = {}) {
  const text = pick(message(key), params.count);
  if (text === null || text === undefined) return [key];
  return pieces(text).map((p) => {
    if (typeof p === "string") return p;
    const value = params[p.name];
    return value instanceof Node ? value : p.name in params ? show(value) : `{${p.name}}`;
  });
}

/** Translates the static HTML under `root`: `data-i18n` texts (keeping their `data-slot`
 * children) and `data-i18n-attr` attributes. */
export function translate(root = document) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    const key = node.dataset.i18n;
    const slots = {};
    for (const child of node.querySelectorAll("[data-slot]")) {
      if (child.parentElement.closest("[data-i18n]") === node) slots[child.dataset.slot] = child;
    }
    if (Object.keys(slots).length === 0) node.textContent = t(key);
    else node.replaceChildren(...tNodes(key, slots));
  }
  for (const node of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of node.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":").map((s) => s.trim());
      if (attr && key) node.setAttribute(attr, t(key));
    }
  }
}

/** Calls `render` after every change of language (the screens re-render their texts). */
export function onLanguageChange(render) {
  listeners.push(render);
}

/** Shows the window in `lang`: loads its catalog, sets <html lang>, translates the static HTML
 * and lets the screens re-render. `remember`: the user picked it (kept for the next start). */
export async function setLanguage(lang, remember = false) {
  if (!LANGUAGES.includes(lang)) lang = "en";
  const mine = ++requests;
  try {
    await load("en");
    await load(lang);
  } catch (error) {
    // A catalog that does not load leaves the English of the HTML and en.json.
    console.error("language catalog", error);
    if (!catalogs.en) return;
    lang = catalogs[lang] ? lang : "en";
  }
  // A later pick (still loading, or done) wins over this one.
  if (mine !== requests) return;
  language = lang;
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // Without storage the choice lasts until the app closes.
    }
  }
  document.documentElement.lang = lang;
  translate(document);
  for (const render of listeners) {
    try {
      render();
    } catch (error) {
      console.error("re-rendering after the language change", error);
    }
  }
}
