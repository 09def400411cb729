// A build-time cache of the plain YAML values of the built-in checklists, so a run validates them without
// parsing their YAML. Each entry is keyed by the sha256 of the file's text and is used only when the text
// still has that hash; a missing or unusable cache only means the files are parsed as usual.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { plainValue } from '../engine/checklist/located';

/** The cache file, in the built-in checklists folder. */
export const CHECKLIST_CACHE_FILE = '.builtin-cache.json';
const FORMAT = 1;

interface CacheEntry {
  sha256: string;
  plain: unknown;
}

/** The plain value cached for a file (`{ plain }`) when its text still matches the entry, else undefined. */
export type CachedPlain = (name: string, text: string) => { plain: unknown } | undefined;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
/** The checklist files of a built-in checklists folder, sorted (the files loaded, and so the files cached). */
export const builtinChecklistNames = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.checklist.yaml')).sort();
const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The cache of every `*.checklist.yaml` in a folder, as JSON text: `{ format: 1, files: { name: { sha256, plain } } }`.
 * A file with YAML errors, or whose plain value does not survive JSON unchanged, gets no entry (it is parsed at run time).
 */
export function buildChecklistCache(dir: string): string {
  const files: Record<string, CacheEntry> = {};
  for (const name of builtinChecklistNames(dir)) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    const value = plainValue(text);
    if (!value || !isDeepStrictEqual(JSON.parse(JSON.stringify(value.plain) ?? 'null'), value.plain)) continue;
    files[name] = { sha256: sha256(text), plain: value.plain };
  }
  return JSON.stringify({ format: FORMAT, files });
}

/** Writes the cache of a folder's checklists into that folder. */
export function writeChecklistCache(dir: string): void {
  writeFileSync(path.join(dir, CHECKLIST_CACHE_FILE), buildChecklistCache(dir));
}

/** The lookup for a cache's JSON text; malformed or of another format, it finds nothing. */
export function parseChecklistCache(json: string | undefined): CachedPlain {
  let files: Record<string, unknown> | undefined;
  try {
    const cache: unknown = json === undefined ? undefined : JSON.parse(json);
    if (isRecord(cache) && cache.format === FORMAT && isRecord(cache.files)) files = cache.files;
  } catch {
    files = undefined;
  }
  return (name, text) => {
    const entry = files && Object.hasOwn(files, name) ? files[name] : undefined;
    if (!isRecord(entry) || typeof entry.sha256 !== 'string' || !('plain' in entry)) return undefined;
    return entry.sha256 === sha256(text) ? { plain: entry.plain } : undefined;
  };
}

/** The lookup for the cache in a checklists folder; when the file is missing or unreadable, it finds nothing. */
export function readChecklistCache(dir: string): CachedPlain {
  let json: string | undefined;
  try {
    json = readFileSync(path.join(dir, CHECKLIST_CACHE_FILE), 'utf8');
  } catch {
    json = undefined;
  }
  return parseChecklistCache(json);
}
