import { z } from 'zod';
import { defineFix } from '../template';
import { insertLines, kw, openDockerfile, textOf, type DockerTarget } from './common';
import { imageFacts } from './images';
import type { DockerStage } from '../../parse/dockerfile';

/**
 * The user line(s) for a stage, from its base image: the image's own user (node, nonroot…), a numeric
 * user where there is no shell to create one (distroless, scratch), or a system user created with the
 * image's own tools (Alpine addgroup/adduser, Debian/Ubuntu and RHEL groupadd/useradd). Declined for
 * Windows images, servers that drop privileges themselves (nginx, postgres…) and images it cannot tell.
 */
export function userLines(t: DockerTarget, stage: DockerStage, name: string | undefined): { user: string; create: string[] } | { declined: string } {
  if (name) return { user: name, create: [] };
  const img = imageFacts(t, stage);
  if (img.family === 'windows') return { declined: `${img.image} is a Windows image; set USER ContainerUser by hand if the app runs without administrator rights` };
  if (img.user) return { user: img.family === 'noShell' ? '65532:65532' : img.user, create: [] };
  if (img.family === 'noShell') return { user: '65532:65532', create: [] };
  if (img.rootByDesign) return { declined: `${img.image}: ${img.rootByDesign}` };
  const run = kw(t, 'RUN');
  if (img.family === 'alpine') return { user: 'app', create: [`${run} addgroup -S app && adduser -S -G app app`] };
  if (img.family === 'debian' || img.family === 'rhel') return { user: 'app', create: [`${run} groupadd --system app && useradd --system --gid app --no-create-home app`] };
  return { declined: `cannot tell how to create a user in ${img.image || 'the base image'}; add a non-root USER by hand (or set the fix's user)` };
}

export const addUser = defineFix({
  id: 'docker.add-user',
  description: 'Runs the final stage as a non-root user: the base image’s own user (node, bun, nonroot…) or a system user it creates, before CMD/ENTRYPOINT.',
  params: z.strictObject({ user: z.string().min(1).optional() }),
  compute({ text, finding, params }) {
    const t = openDockerfile(text);
    if ('declined' in t) return t;
    const stage = t.model.final!;
    const lines = userLines(t, stage, params.user);
    if ('declined' in lines) return lines;
    const { user, create } = lines;
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
