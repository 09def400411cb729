import { z } from 'zod';
import type { RawFinding } from '../../model';
import { envCheck } from './check';
import type { EnvVar } from './context';
import { declarationTarget } from './target';
import { alternatives, finding, isPlaceholder, urlPassword, WEAK_SECRETS, weakSecret, WhenSchema } from './values';

const Params = z.strictObject({
  keys: z.array(z.string().min(1)).min(1).describe('Names of the secret (A|B alternatives allowed); the first is the one a fix writes.'),
  urlKeys: z.array(z.string()).default([]).describe('Connection URLs whose password part is this secret (DATABASE_URL, REDIS_URL).'),
  required: z.boolean().default(true).describe('Fail when the secret is not declared anywhere.'),
  minLength: z.number().int().min(1).default(32).describe('Shortest acceptable literal value (seed 000: 32; seed 001 asks for 64).'),
  weak: z.array(z.string()).default(WEAK_SECRETS).describe('Known weak values that always fail.'),
  when: WhenSchema,
});

/**
 * `env.secret`: a secret (JWT_SECRET, DB_PASSWORD…) is declared; example files hold only empty values or
 * placeholders; a literal value in a real env file or compose file is long enough and not a known weak
 * value. Compose files are judged when they are production ones (docker-compose.prod.yml); Kubernetes and
 * Dockerfile literals are left to `k8s.secrets.secret-ref` and the Dockerfile rules.
 * Messages name the key and the reason, never the value.
 */
export const secretCheck = envCheck({
  id: 'env.secret',
  description: 'A secret is declared, example files leave it empty or a placeholder, and any literal value is long and not a known weak value.',
  params: Params,
  check(ctx, p) {
    const findings: RawFinding[] = [];
    const keys = p.keys.flatMap(alternatives);
    const vars = keys.flatMap((k) => ctx.byKey.get(k) ?? []);
    const urlVars = p.urlKeys.flatMap(alternatives).flatMap((k) => ctx.byKey.get(k) ?? []);
    const judge = (v: EnvVar, value: string, what: string) => {
      // Kubernetes and Dockerfile literals belong to their own rules; a local compose file's database password is a dev default
      if (v.origin === 'k8s' || v.origin === 'dockerfile' || v.nonProduction || (v.origin === 'compose' && !v.production)) return;
      if (v.template) {
        if (!isPlaceholder(value)) findings.push(finding(v, `${what} has a literal value in an example file; leave it empty or write a placeholder such as <generate: openssl rand -base64 48>`, true));
        return;
      }
      const reason = weakSecret(value, p.minLength, p.weak);
      if (reason) findings.push(finding(v, `${what} ${reason}; use a generated secret of at least ${p.minLength} characters kept outside the repository`, true));
    };
    for (const v of vars) if (v.value !== undefined) judge(v, v.value, v.key);
    let urlDeclares = false;
    for (const v of urlVars) {
      if (v.value === undefined || isPlaceholder(v.value)) {
        urlDeclares = true;
        continue;
      }
      const pw = urlPassword(v.value);
      if (pw === undefined) continue;
      urlDeclares = true;
      if (pw !== '') judge(v, pw, `The password in ${v.key}`);
    }
    if (p.required && vars.length === 0 && !urlDeclares) {
      const target = declarationTarget(ctx, false, keys[0], p.when);
      if (target) findings.push({ ...target, message: `${keys[0]} is not declared in any env file; declare it with an empty value in the example file and keep the real value in a secret store`, data: { key: keys[0] } });
    }
    return { findings };
  },
});
