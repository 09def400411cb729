import { z } from 'zod';
import type { TextEdit } from '../../model';
import type { DockerInstruction } from '../../parse/dockerfile';
import { defineFix } from '../template';
import { openDockerfile, textOf, type DockerTarget } from './common';

/** The instructions a finding is about: the one on its line, else every one of the stage it names (or the file). */
function targets(t: DockerTarget, line: number, stage: unknown, keyword: string): DockerInstruction[] {
  const all = t.model.stages.flatMap((s) => s.instructions).filter((i) => i.keyword === keyword);
  const hit = all.filter((i) => i.range.start.line <= line && line <= i.range.end.line);
  if (hit.length) return hit;
  return typeof stage === 'number' ? all.filter((i) => t.model.stages[stage]?.instructions.includes(i)) : all;
}

// `npm install` / `npm i` with flags only (installing named packages is a different thing)
const NPM_INSTALL = /\bnpm\s+(install|i)\b((?:[ \t]+--?[A-Za-z][\w-]*(?:=\S+)?)*)(?=[ \t]*(?:&&|;|\|\||\\|\r?\n|$))/g;

export const npmCi = defineFix({
  id: 'docker.npm-ci',
  description: 'Replaces `npm install` with `npm ci` (reproducible installs from the lockfile), optionally adding --omit=dev.',
  params: z.strictObject({ omitDev: z.boolean().default(false) }),
  compute({ text, finding, params }) {
    const t = openDockerfile(text);
    if ('declined' in t) return t;
    const edits: TextEdit[] = [];
    for (const ins of targets(t, finding.range.start.line, finding.data?.stage, 'RUN')) {
      const start = t.index.offsetAt(ins.range.start);
      const body = textOf(t, ins.range);
      for (const m of body.matchAll(NPM_INSTALL)) {
        const verbAt = start + m.index! + m[0].indexOf(m[1], 3);
        edits.push({ range: t.index.range(verbAt, verbAt + m[1].length), newText: 'ci' });
        if (params.omitDev && !/--(omit|only|production|prod)\b/.test(m[2])) {
          const end = start + m.index! + m[0].length;
          edits.push({ range: t.index.range(end, end), newText: ' --omit=dev' });
        }
      }
    }
    if (!edits.length) return { declined: 'no plain `npm install` found' };
    return { title: params.omitDev ? 'Use npm ci --omit=dev' : 'Use npm ci instead of npm install', edits: [{ file: finding.file, edits }] };
  },
});

const ARCHIVE = /\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst))$/i;

export const addToCopy = defineFix({
  id: 'docker.add-to-copy',
  description: 'Rewrites ADD as COPY when it copies local files (not URLs, git sources or archives ADD unpacks).',
  params: z.strictObject({}),
  compute({ text, finding }) {
    const t = openDockerfile(text);
    if ('declined' in t) return t;
    const edits: TextEdit[] = [];
    const refused: string[] = [];
    for (const ins of targets(t, finding.range.start.line, finding.data?.stage, 'ADD')) {
      const node = ins.node as unknown as { getArguments(): { getValue(): string }[]; getFlags?(): { getName(): string }[] };
      const flags = node.getFlags?.().map((f) => f.getName().toLowerCase()) ?? [];
      const args = node.getArguments().map((a) => a.getValue());
      const sources = /^\s*\[/.test(ins.args) ? [] : args.slice(0, -1);
      if (flags.some((f) => f === 'checksum' || f === 'keep-git-dir' || f === 'unpack')) refused.push('uses an ADD-only flag');
      else if (sources.some((s) => /^[a-z]+:\/\/|^git@/i.test(s))) refused.push('fetches a URL');
      else if (sources.some((s) => ARCHIVE.test(s))) refused.push('unpacks an archive');
      else if (/^\s*\[/.test(ins.args)) refused.push('uses the JSON form');
      else {
        const written = textOf(t, ins.keywordRange);
        edits.push({ range: ins.keywordRange, newText: written === written.toLowerCase() ? 'copy' : 'COPY' });
      }
    }
    if (!edits.length) return { declined: refused.length ? `ADD ${refused[0]}; keep it` : 'no ADD found' };
    return { title: 'Use COPY instead of ADD', edits: [{ file: finding.file, edits }] };
  },
});
