/**
 * The namespace a chart is rendered with. Helm renders `.Release.Namespace` as the namespace given to `helm
 * template`, but a release's namespace is chosen when it is installed (`helm install -n`). A chart is rendered with
 * this placeholder, then {@link openReleaseNamespace} turns it back into what an unplaced object says.
 */
export const RELEASE_NAMESPACE_PLACEHOLDER = 'release-ns-0d6f9b2c';

/**
 * A rendered chart with the release namespace left open. A value that is the release namespace alone (`namespace:
 * {{ .Release.Namespace }}`, a ServiceMonitor's `matchNames` item, a RoleBinding subject's namespace) becomes `""`:
 * no namespace, like an object without one, placed at install time, so it is neither "the default namespace" nor
 * apart from the chart's objects that name none. Inside a longer value (a service's DNS name in an argument) it
 * becomes `default`, as Helm renders it without `-n`. Lines keep their number, so the source map holds.
 */
export function openReleaseNamespace(output: string, placeholder = RELEASE_NAMESPACE_PLACEHOLDER): string {
  if (!output.includes(placeholder)) return output;
  const alone = new RegExp(String.raw`^([^\n]*?(?::|-)[ \t]+)(["']?)${placeholder}\2([ \t]*(?:#[^\n]*)?)$`, 'gm');
  return output.replace(alone, '$1""$3').replaceAll(placeholder, 'default');
}

/**
 * The namespace a rendered chart's objects are audited in when they name none, or name the release's: the release's
 * own, one per chart and environment, never the same as another chart's or a plain manifest's (each is installed on
 * its own). Not a name a person sees: {@link shownNamespace}.
 */
export function releaseNamespaceOf(from: string): string {
  return `\u0000release namespace of ${from}`;
}

/** A namespace as messages show it: a release's is left unnamed, as an object's that names none is. */
export function shownNamespace(ns: string | undefined): string | undefined {
  return ns === undefined || ns === '' || ns.startsWith('\u0000') ? undefined : ns;
}
