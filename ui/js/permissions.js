// The feature picker and the lists of permissions with their reasons (first screen, status panel,
// admin screen, confirmation box). Feature names, descriptions and reasons are the vendor
// profile's, as the core sends them. Each permission reads in plain words first, its scope name
// second: Microsoft's title for it, the vendor's reason, and what Microsoft says it allows
// (`scope.<name>.title` / `.allows`, the core's graph/permissions.rs in English).
import { el } from "./dom.js";
import { t } from "./i18n.js";

/** A feature checkbox per feature; `checked(feature)` decides the initial tick. */
export function renderFeaturePicker(container, features, checked) {
  container.replaceChildren();
  for (const feature of features) {
    const label = el("label");
    const box = el("input");
    box.type = "checkbox";
    box.value = feature.id;
    box.checked = checked(feature);
    box.dataset.feature = feature.id;
    const text = el("span", "", feature.name);
    text.append(el("span", "desc", feature.description));
    label.append(box, text);
    container.append(label);
  }
}

export function pickedFeatures(container) {
  return [...container.querySelectorAll("input:checked")].map((box) => box.value);
}

/** Fills a list with permissions and their reasons (no badge), each permission once. */
export function renderPermissionList(list, permissions) {
  const seen = new Set();
  list.replaceChildren();
  for (const permission of permissions) {
    if (seen.has(permission.scope.toLowerCase())) continue;
    seen.add(permission.scope.toLowerCase());
    list.append(permissionItem(permission, null));
  }
}

/** Microsoft's words for a scope ({title, allows}), or null for a scope the catalogs do not word. */
function microsoftWords(scope) {
  const bare = scope.split("/").pop().toLowerCase().replace(/\./g, "_");
  const key = `scope.${bare}`;
  const title = t(`${key}.title`);
  if (title === `${key}.title`) return null;
  return { title, allows: t(`${key}.allows`) };
}

/** One permission row; `granted` null means "not asked yet" (the preview: no badge). */
export function permissionItem(permission, granted) {
  const item = el("li", "permission");
  item.dataset.scope = permission.scope;
  const microsoft = microsoftWords(permission.scope);
  const name = el("span", "permission-what");
  if (microsoft) name.append(el("span", "permission-title", microsoft.title));
  name.append(scopeName(permission.scope));
  const reason = el("span", "item-detail");
  reason.append(el("span", "permission-reason", permission.reason));
  if (microsoft && microsoft.allows !== microsoft.title) {
    reason.append(el("span", "permission-allows", t("permission.microsoft_allows", { allows: microsoft.allows })));
  }
  if (granted === null) {
    item.classList.add("unasked");
    item.append(name, reason);
    return item;
  }
  item.dataset.granted = String(granted);
  item.dataset.requested = String(permission.requested);
  let badge;
  if (granted) badge = el("span", "badge ok", t("permission.granted"));
  else if (permission.requested) badge = el("span", "badge bad", t("permission.missing"));
  else badge = el("span", "badge neutral", t("permission.not_asked"));
  item.append(badge, name, reason);
  return item;
}

/** A scope's name that wraps only after its dots (`Mail.<wbr>ReadWrite`), never inside a word. */
function scopeName(scope) {
  const name = el("span", "item-name");
  scope.split(".").forEach((part, i, parts) => {
    name.append(i < parts.length - 1 ? `${part}.` : part);
    if (i < parts.length - 1) name.append(el("wbr"));
  });
  return name;
}
