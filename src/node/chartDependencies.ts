import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';

/**
 * A chart's dependencies that are not in its `charts/` folder: `helm dependency build` fetches them, and many
 * repositories leave them out of version control. `helm template` refuses such a chart as a whole; rendered
 * without them, the chart's own templates are audited and each missing dependency is reported on its own.
 */

/** A dependency the chart declares and `charts/` does not hold: the file declaring it (relative to the chart) and the 0-based line of its entry. */
export interface MissingDependency {
  name: string;
  file: string;
  line: number;
}

/** Whether `charts/` holds a dependency: its folder (`charts/postgresql/`) or its archive (`charts/postgresql-12.1.0.tgz`). */
function vendored(chartsDir: string, entries: readonly string[], name: string): boolean {
  if (existsSync(path.join(chartsDir, name, 'Chart.yaml'))) return true;
  return entries.some((e) => e.endsWith('.tgz') && e.startsWith(`${name}-`) && /^\d/.test(e.slice(name.length + 1)));
}

/** The files that declare a chart's dependencies: Chart.yaml (apiVersion v2) and requirements.yaml (v1). */
const DECLARING = ['Chart.yaml', 'requirements.yaml'];
/** The lock files of those declarations: they lock what a copy leaves out. */
const LOCKS = new Set(['Chart.lock', 'requirements.lock']);

/** The dependencies of the chart in `chartDir` that are not vendored, with where they are declared (`file`, relative to the chart). */
export function missingDependencies(chartDir: string): MissingDependency[] {
  const chartsDir = path.join(chartDir, 'charts');
  let entries: string[] = [];
  try {
    entries = readdirSync(chartsDir);
  } catch {
    // no charts/ folder: every dependency is missing
  }
  const out: MissingDependency[] = [];
  for (const file of DECLARING) {
    let text: string;
    try {
      text = readFileSync(path.join(chartDir, file), 'utf8');
    } catch {
      continue;
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    const deps = isMap(doc.contents) ? doc.contents.get('dependencies', true) : undefined;
    if (doc.errors.length || !isSeq(deps)) continue;
    for (const item of deps.items) {
      if (!isMap(item)) continue;
      const name = item.get('name');
      if (typeof name !== 'string' || vendored(chartsDir, entries, name)) continue;
      out.push({ name, file, line: item.range ? lines.linePos(item.range[0]).line - 1 : 0 });
    }
  }
  return out;
}

/**
 * A copy of the chart (its `files`, absolute paths under `chartDir`) in `into`, whose Chart.yaml and
 * requirements.yaml leave out the `missing` dependencies and whose lock files are dropped. Returns the copy's folder.
 */
export function chartWithout(chartDir: string, files: readonly string[], missing: readonly MissingDependency[], into: string): string {
  // the folder is named by a hash of the chart's files: one made earlier in this process holds the same copy
  if (existsSync(into)) return into;
  const names = new Set(missing.map((m) => m.name));
  for (const f of files) {
    const rel = path.relative(chartDir, f);
    if (LOCKS.has(rel)) continue;
    const to = path.join(into, rel);
    mkdirSync(path.dirname(to), { recursive: true });
    if (!DECLARING.includes(rel)) {
      writeFileSync(to, readFileSync(f));
      continue;
    }
    const doc = parseDocument(readFileSync(f, 'utf8'));
    const deps = isMap(doc.contents) ? doc.contents.get('dependencies', true) : undefined;
    if (isSeq(deps)) deps.items = deps.items.filter((d) => !(isMap(d) && names.has(d.get('name') as string)));
    writeFileSync(to, String(doc));
  }
  return into;
}
