import { z } from 'zod';
import { defineFix } from '../template';
import { baseImage, insertLines, kw, openDockerfile, textOf, type DockerTarget } from './common';
import type { DockerStage } from '../../parse/dockerfile';

/** Images that ship their own non-root user. */
const OWN_USER: [RegExp, string][] = [
  [/(^|\/)node$/, 'node'],
  [/(^|\/)bun$/, 'bun'],
  [/(^|\/)deno$/, 'deno'],
  [/^gcr\.io\/distroless\//, 'nonroot'],
  [/^cgr\.dev\/chainguard\//, 'nonroot'],
];

/** The user line(s) for a stage: the image's own user, or a system user created for the app. */
export function userLines(t: DockerTarget, stage: DockerStage, name: string | undefined): { user: string; create: string[] } {
  if (name) return { user: name, create: [] };
  const base = baseImage(t, stage);
  for (const [re, user] of OWN_USER) if (re.test(base.name)) return { user, create: [] };
  if (base.name === 'scratch') return { user: '65532:65532', create: [] };
  const run = kw(t, 'RUN');
  if (/alpine/.test(base.name) || /alpine/.test(base.tag) || /busybox/.test(base.name)) return { user: 'app', create: [`${run} addgroup -S app && adduser -S -G app app`] };
  return { user: 'app', create: [`${run} groupadd --system app && useradd --system --gid app --no-create-home app`] };
}

export const addUser = defineFix({
  id: 'docker.add-user',
  description: 'Runs the final stage as a non-root user: the base image’s own user (node, bun, nonroot…) or a system user it creates, before CMD/ENTRYPOINT.',
  params: z.strictObject({ user: z.string().min(1).optional() }),
  compute({ text, finding, params }) {
    const t = openDockerfile(text);
    if ('declined' in t) return t;
    const stage = t.model.final!;
    const { user, create } = userLines(t, stage, params.user);
    const users = stage.instructions.filter((i) => i.keyword === 'USER');
    const last = users[users.length - 1];
    const runsAfter = last ? stage.instructions.slice(stage.instructions.indexOf(last) + 1).some((i) => i.keyword === 'RUN' || i.keyword === 'COPY' || i.keyword === 'ADD') : false;
    if (last && last.argsRange && /^(root|0)(:.*)?$/.test(last.args.trim()) && !runsAfter) {
      // `USER root` left last: switch it to the non-root user
      const edits = [{ range: last.argsRange, newText: user }];
      if (create.length) edits.unshift({ range: { start: { line: last.range.start.line, character: 0 }, end: { line: last.range.start.line, character: 0 } }, newText: create.join(t.eol) + t.eol });
      return { title: `Run as ${user} instead of root`, edits: [{ file: finding.file, edits }] };
    }
    if (last && !/^(root|0)(:.*)?$/.test(textOf(t, last.argsRange ?? last.range).trim())) return { declined: 'the final stage already sets a non-root USER' };
    // USER root with work after it (or no USER at all): switch once that work is done
    const edit = insertLines(t, stage, [...create, `${kw(t, 'USER')} ${user}`]);
    return { title: create.length ? `Create user ${user} and run as it` : `Run as ${user} (the image’s own user)`, edits: [{ file: finding.file, edits: [edit] }] };
  },
});
