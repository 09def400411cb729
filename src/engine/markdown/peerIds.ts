/**
 * Check ids of other tools, as checklists copied from their rule lists write them: `pod-probes` and
 * `container-image-tag` (kube-score), `no-read-only-root-fs` (kube-linter), `DL3007` (hadolint), `CKV_K8S_8`
 * (Checkov). Rules carry the ids of their peers as aliases in their data
 * (`kube-score:pod-probes`); a line that names one speaks of the rules that carry it.
 */

/**
 * A token shaped like a check id, after an optional tool name (`kube-score:`): words joined by hyphens, or a code with
 * digits. A camelCase id (Polaris) is left out: it is written like the field it is about, which names the rule already.
 */
const ID_TOKEN = /(?<![\w:./-])(?:[a-z][a-z-]*:)?([a-z][a-z0-9]*(?:-[a-z0-9]+)+|[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)*\d[A-Z0-9]*)(?![\w/]|[.:-]\w)/g;

/** The key an alias is filed under: its id without the tool (`kube-score:pod-probes` → `pod-probes`), lower case. */
export function peerIdKey(alias: string): string | undefined {
  const colon = alias.indexOf(':');
  const id = (colon >= 0 ? alias.slice(colon + 1) : alias).trim().toLowerCase();
  // a tool's own id needs a shape of its own: one plain word ("privileged") is everyday English
  return /[-_\d]/.test(id) ? id : undefined;
}

/** The id-shaped tokens of a line with where they are, lower case (`DL3007 - Avoid …` → `dl3007`). */
export function lineIds(text: string): { key: string; start: number; end: number }[] {
  return [...text.matchAll(ID_TOKEN)].map((m) => ({ key: m[1].toLowerCase(), start: m.index, end: m.index + m[0].length }));
}
