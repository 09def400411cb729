import { z } from 'zod';
import type { RawFinding } from '../../model';
import { hasPlaceholder } from '../../parse/dockerfile';
import { fileCheck, passOrFail } from '../template';
import { dockerContext, dockerFinding, fromRange, properties, stageChain } from './util';

// Docker's key format: starts with a lower-case letter, no two dots or hyphens in a row (a trailing digit is let pass)
const KEY_RE = /^[a-z](?:[a-z0-9]|[.-](?=[a-z0-9]))*$/;
const RESERVED_KEY_RE = /^(com\.docker|io\.docker|org\.dockerproject)\./;
const URL_RE = /^[a-z][a-z0-9+.-]*:\/\/[^\s/?#]\S*$/i;
const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const SPDX_RE = /^\(?[A-Za-z0-9.+-]+(:[A-Za-z0-9.+-]+)?\)?(\s+(AND|OR|WITH)\s+\(?[A-Za-z0-9.+-]+(:[A-Za-z0-9.+-]+)?\)?)*$/;
const REVISION_RE = /^[0-9a-f]{7,64}$/i;
const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** The format each pre-defined OCI annotation key must have, with the name used in the message. */
const OCI_FORMATS: Record<string, { re: RegExp; what: string }> = {
  'org.opencontainers.image.created': { re: RFC3339_RE, what: 'an RFC 3339 date-time' },
  'org.opencontainers.image.url': { re: URL_RE, what: 'a URL' },
  'org.opencontainers.image.source': { re: URL_RE, what: 'a URL' },
  'org.opencontainers.image.documentation': { re: URL_RE, what: 'a URL' },
  'org.opencontainers.image.licenses': { re: SPDX_RE, what: 'an SPDX license expression' },
  'org.opencontainers.image.revision': { re: REVISION_RE, what: 'a commit hash' },
  'org.opencontainers.image.version': { re: SEMVER_RE, what: 'a semantic version (1.4.2)' },
};

/** LABELs of the final image: required keys are present; keys are well-formed and values of the OCI keys have their format. */
export const imageLabels = fileCheck({
  id: 'docker.labels',
  description: 'LABELs of the final image (inherited through FROM <stage>): the required keys are present and non-empty; with validate, every key is well-formed and the pre-defined OCI keys (created, url, source, documentation, licenses, revision, version) hold values of their format. Values set from build arguments are not judged.',
  params: z.strictObject({
    required: z.array(z.string().min(1)).default([]).describe('Label keys the final image must carry.'),
    validate: z.boolean().default(false).describe('Keys are lower-case reverse-DNS words, values are not empty, OCI keys have their format.'),
  }),
  kinds: ['dockerfile'],
  reads: () => ['LABEL'],
  run(file, params, values) {
    const ctx = dockerContext(file, values);
    const final = ctx?.model.final;
    if (!ctx || !final) return undefined;
    const findings: RawFinding[] = [];
    const present = new Set<string>();
    let any = false;
    for (const stage of stageChain(ctx.model, final).reverse()) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'LABEL') continue;
        any = true;
        for (const p of properties(ins)) {
          const key = p.getName().replace(/^["']|["']$/g, '');
          const value = (p.getValue() ?? '').replace(/^["']|["']$/g, '');
          if (value !== '') present.add(key);
          if (!params.validate) continue;
          if (!KEY_RE.test(key) || RESERVED_KEY_RE.test(key)) {
            findings.push(dockerFinding(ctx, p.getNameRange(), `Label key ${key} is not valid: start with a lower-case letter and use lower-case letters, digits and single dots or hyphens in reverse-DNS form (org.opencontainers.image.source), outside the com.docker, io.docker and org.dockerproject namespaces.`, stage));
          } else if (value === '') {
            findings.push(dockerFinding(ctx, p.getRange(), `Label ${key} is empty; give it a value or remove it.`, stage));
          } else if (!value.includes('$') && !hasPlaceholder(value) && OCI_FORMATS[key] && !OCI_FORMATS[key].re.test(value)) {
            findings.push(dockerFinding(ctx, p.getValueRange() ?? p.getRange(), `Label ${key} should be ${OCI_FORMATS[key].what}.`, stage));
          }
        }
      }
    }
    const missing = params.required.filter((k) => !present.has(k));
    if (missing.length > 0) {
      findings.push(dockerFinding(ctx, fromRange(final), `The final image has no ${missing.join(', ')} label${missing.length > 1 ? 's' : ''}; add LABEL ${missing[0]}=… so the image can be traced to its source.`, final));
    }
    if (params.required.length === 0 && !any) return undefined;
    return passOrFail(findings);
  },
});
