// Options of a shell command as package managers read them: present (alone or in a short bundle), their value,
// and the level a repeatable option adds up to.
import type { Word } from './shell';

/** Whether an option is among the words: `--long`, `--long=value`, `-x`, or `x` inside a short bundle (`-fsSLk`). */
export function optionAt(words: readonly Word[], names: readonly string[]): Word | undefined {
  for (const w of words) {
    const v = w.value;
    if (v.charCodeAt(0) !== 45) continue; // '-'
    for (const n of names) {
      if (v === n) return w;
      if (n.startsWith('--')) {
        if (v.length > n.length && v.startsWith(n) && (v.charCodeAt(n.length) === 61 || n.endsWith('='))) return w;
      } else if (n.length === 2 && v.length > 2 && v[1] !== '-' && /^-[A-Za-z]+$/.test(v) && v.includes(n[1])) return w;
      else if (n.length > 2 && !n.startsWith('--') && v.startsWith(n)) return w; // `-q=2`, `-oAPT…`
    }
  }
  return undefined;
}

/**
 * The level a repeatable option adds up to: each `-q` or `--quiet` counts one, each `q` in a short bundle (`-qq`,
 * `-yq`) too, and `-q=2` or `--quiet=2` sets it.
 */
export function optionLevel(words: readonly Word[], names: readonly string[]): number {
  let level = 0;
  for (const w of words) {
    const v = w.value;
    if (v.charCodeAt(0) !== 45) continue; // '-'
    for (const n of names) {
      if (v === n) level++;
      else if (v.startsWith(`${n}=`) && /^\d+$/.test(v.slice(n.length + 1))) level = Number(v.slice(n.length + 1));
      else if (n.length === 2 && n[1] !== '-' && /^-[A-Za-z]+$/.test(v)) for (const c of v.slice(1)) if (c === n[1]) level++;
    }
  }
  return level;
}

/** The value of an option (`-u 100000`, `--uid=100000`, `-u100000`). */
export function optionValue(words: readonly Word[], names: readonly string[]): string | undefined {
  for (let k = 0; k < words.length; k++) {
    const v = words[k].value;
    for (const n of names) {
      if (v === n) return words[k + 1]?.value;
      if (n.startsWith('--') && v.startsWith(`${n}=`)) return v.slice(n.length + 1);
      if (!n.startsWith('--') && v.startsWith(n) && v.length > n.length) return v.slice(n.length).replace(/^=/, '');
    }
  }
  return undefined;
}

