import { z } from 'zod';
import type { RawFinding } from '../../model';
import { dockerArgValues, dockerJson, hasPlaceholder, type DockerInstruction } from '../../parse/dockerfile';
import type { LineIndex } from '../../text';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding } from './util';

const Params = z.strictObject({});

const URL_RE = /^(https?|ftp):\/\/|^git@|\.git(#.*)?$/i;
// ADD unpacks a local tar by its content, so a tar compressed under a plain .gz, .bz2 or .xz name is unpacked too
const ARCHIVE_RE = /\.(tar|tar\.(gz|bz2|xz|lz|lzma|z|zst)|tgz|tbz2?|tb2|txz|tlz|tlzma|tz|tzst|gz|bz2|xz)$/i;

/** The sources of an ADD: arguments after its flags, all but the last (the destination). */
function sources(ins: DockerInstruction, index: LineIndex): string[] {
  const json = dockerJson(ins, index);
  if (json) return json.map((s) => s.value.replace(/^"|"$/g, '')).slice(0, -1);
  return dockerArgValues(ins).slice(0, -1).map((s) => s.replace(/^(["'])(.*)\1$/, '$2'));
}

/** ADD only fetches URLs or unpacks local tar archives; plain files and folders use COPY (hadolint DL3020). */
export const copyNotAdd = fileCheck({
  id: 'docker.copy-not-add',
  description: 'Files and folders are copied with COPY; ADD is kept for remote URLs and local tar archives it should unpack (hadolint DL3020).',
  params: Params,
  kinds: ['dockerfile'],
  run(file, _params, values) {
    const ctx = dockerContext(file, values);
    if (!ctx || ctx.model.stages.length === 0) return undefined;
    const findings: RawFinding[] = [];
    for (const stage of ctx.model.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'ADD') continue;
        const args = ins.args;
        // both heredoc shapes need `<<`: most ADDs skip the patterns and the split
        if (args.includes('<<') && (/^\s*<</.test(args) || /\s<<-?["']?\w+["']?(\s|$)/.test(args.split('\n')[0]))) {
          findings.push(dockerFinding(ctx, ins.keywordRange, 'ADD with a heredoc only writes a file; use COPY <<EOF instead.', stage));
          continue;
        }
        const srcs = sources(ins, ctx.index);
        if (srcs.length === 0) continue;
        if (srcs.some((s) => s.includes('$') || hasPlaceholder(s))) continue; // resolved at build time
        const plain = srcs.filter((s) => !URL_RE.test(s) && !ARCHIVE_RE.test(s));
        if (plain.length === 0) continue;
        findings.push(dockerFinding(ctx, ins.keywordRange, `Use COPY instead of ADD for ${plain.length === 1 ? (plain[0] === '.' || plain[0] === './' ? 'the build context' : `"${plain[0]}"`) : `${plain.length} files and folders`}: ADD also fetches URLs and unpacks archives, which COPY never does by surprise.`, stage));
      }
    }
    return passOrFail(findings);
  },
});
