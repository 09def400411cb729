import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { SourceFile } from '../../src/engine/workspace';
import { kindOf } from './helpers';

/** Every file of a folder the engine audits (fixed copies left out), with paths relative to `prefix`. */
export function filesUnder(root: string, prefix = '', keep: (rel: string, i: number) => boolean = () => true): SourceFile[] {
  const out: SourceFile[] = [];
  let i = 0;
  const visit = (abs: string, rel: string) => {
    for (const name of readdirSync(abs).sort()) {
      const a = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(a).isDirectory()) visit(a, r);
      else if (!/\.fixed(\.|$)/.test(name)) {
        const text = readFileSync(a, 'utf8');
        const kind = kindOf(r, text);
        if (kind && keep(r, i++)) out.push({ path: `${prefix}${r}`, text, kind });
      }
    }
  };
  visit(root, '');
  return out;
}

/** A small seeded generator, so a random sequence of edits is the same on every run. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}
