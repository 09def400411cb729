// A build-time cache of the built-in checklists, so a run neither parses their YAML nor, in a bundle built
// with the cache, validates them again. Each entry is keyed by the sha256 of the file's text and is used only
// when the text still has that hash; a missing or unusable cache only means the files are parsed as usual.
// An entry holds the file's plain YAML value (validated at run time) and, when the cache was written for a
// build (`npm run build`, which names the build by a hash of its sources), the checklist as validated then:
// a bundle of that same build uses it as it is, any other code validates the plain value.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadChecklist } from '../engine/checklist/load';
import { plainValue } from '../engine/checklist/located';
import type { Checklist } from '../engine/checklist/schema';
import { markBuiltinItems, provideLinkReadings, type LinkReadings } from '../engine/markdown/builtinReadings';
import { readingsOf } from '../engine/markdown/ruleIndex';
import { targetsOf } from '../engine/markdown/link';
import { resolveItems } from '../engine/resolve';

/** The build this code belongs to (set by `scripts/build.mjs` in its bundles; undefined when run from source). */
declare const __SHIPSHAPE_BUILD__: string | undefined;
export const BUILD_ID: string | undefined = typeof __SHIPSHAPE_BUILD__ === 'string' ? __SHIPSHAPE_BUILD__ : undefined;

/** The cache file, in the built-in checklists folder. */
export const CHECKLIST_CACHE_FILE = '.builtin-cache.json';
const FORMAT = 1;

interface CacheEntry {
  sha256: string;
  plain: unknown;
  /** The checklist as loaded by the build that wrote the cache, when it loaded without a problem. */
  checklist?: Checklist;
}

/**
 * What the cache holds for a file when its text still matches the entry, else undefined: its plain value,
 * and its loaded checklist when the cache was written by the build running it.
 */
export type CachedPlain = (name: string, text: string) => { plain: unknown; checklist?: Checklist } | undefined;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
/** The checklist files of a built-in checklists folder, sorted (the files loaded, and so the files cached). */
export const builtinChecklistNames = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.checklist.yaml')).sort();
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

const survivesJson = (v: unknown): boolean => isDeepStrictEqual(JSON.parse(JSON.stringify(v) ?? 'null'), v);

/**
 * The cache of every `*.checklist.yaml` in a folder, as JSON text: `{ format: 1, build?, links?, files: { name: {
 * sha256, plain, checklist? } } }`. A file with YAML errors, or whose plain value does not survive JSON unchanged, gets
 * no entry (it is parsed at run time). With `build`, each file that loads without a problem also gets its loaded
 * checklist, and `links` holds the link index's readings of their rules (builtinReadings.ts), as JSON text of its own
 * (parsed only when a Markdown checklist is linked), for that build alone.
 */
export function buildChecklistCache(dir: string, build: string | undefined = BUILD_ID): string {
  const files: Record<string, CacheEntry> = {};
  const loadedAll: Checklist[] = [];
  for (const name of builtinChecklistNames(dir)) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const value = plainValue(text);
    if (!value || !survivesJson(value.plain)) continue;
    const entry: CacheEntry = { sha256: sha256(text), plain: value.plain };
    if (build !== undefined) {
      const loaded = loadChecklist(text, `checklists/${name}`, { plain: value.plain }); // (the text is parsed again only for a problem's place)
      if (loaded.checklist && loaded.problems.length === 0 && survivesJson(loaded.checklist)) {
        entry.checklist = loaded.checklist;
        loadedAll.push(loaded.checklist);
      }
    }
    files[name] = entry;
  }
  if (build === undefined) return JSON.stringify({ format: FORMAT, files });
  // (strings, numbers and plain records only: they survive JSON by construction)
  const links = JSON.stringify(readingsOf(targetsOf(resolveItems(loadedAll).items)));
  return JSON.stringify({ format: FORMAT, build, links, files });
}

/** Writes the cache of a folder's checklists into that folder (for `build`: see buildChecklistCache). */
export function writeChecklistCache(dir: string, build: string | undefined = BUILD_ID): void {
  writeFileSync(path.join(dir, CHECKLIST_CACHE_FILE), buildChecklistCache(dir, build));
}

/**
 * The lookup for a cache's JSON text; malformed or of another format, it finds nothing. Loaded checklists
 * are given only when the cache was written by `build` (the running code's, by default).
 */
export function parseChecklistCache(json: string | undefined, build: string | undefined = BUILD_ID): CachedPlain {
  let files: Record<string, unknown> | undefined;
  let sameBuild = false;
  let links: unknown;
  try {
    const cache: unknown = json === undefined ? undefined : JSON.parse(json);
    if (isRecord(cache) && cache.format === FORMAT && isRecord(cache.files)) {
      files = cache.files;
      sameBuild = build !== undefined && cache.build === build;
      links = cache.links;
    }
  } catch {
    files = undefined;
  }
  // the build's readings for the link index, of the checklists it loaded (given back below), parsed when first used
  if (sameBuild && typeof links === 'string') provideLinkReadings(() => JSON.parse(links!) as LinkReadings);
  return (name, text) => {
    const entry = files && Object.hasOwn(files, name) ? files[name] : undefined;
    if (!isRecord(entry) || typeof entry.sha256 !== 'string' || !('plain' in entry)) return undefined;
    if (entry.sha256 !== sha256(text)) return undefined;
    if (!sameBuild || !isRecord(entry.checklist)) return { plain: entry.plain };
    const checklist = entry.checklist as unknown as Checklist;
    if (typeof links === 'string') markBuiltinItems(checklist.sections.flatMap((s) => s.items));
    return { plain: entry.plain, checklist };
  };
}

/** The lookup for the cache in a checklists folder; when the file is missing or unreadable, it finds nothing. */
export function readChecklistCache(dir: string, build: string | undefined = BUILD_ID): CachedPlain {
  let json: string | undefined;
  try {
    json = readFileSync(path.join(dir, CHECKLIST_CACHE_FILE), 'utf8');
  } catch {
    json = undefined;
  }
  return parseChecklistCache(json, build);
}
