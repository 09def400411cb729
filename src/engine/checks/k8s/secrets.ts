import { z } from 'zod';
import type { RawFinding } from '../../model';
import { isObject } from '../../parse/kubernetes';
import { userPatternSchema, userRegExp } from '../../safeRegex';
import { fileCheck } from '../template';
import { urlPassword } from '../env/values';
import { containerFinding, findingAt, forEachContainer, k8sModel, listField, mapField } from './common';

/** Names that look like credentials (Polaris sensitiveContainerEnvVar + kube-linter env-var-secret + common key names). */
export const DEFAULT_SECRET_NAME = '(?i)(password|passwd|passphrase|(^|_)(pass|pwd)(_|$)|secret|token|bearer|api[_-]?key|apikey|private[_-]?key|credentials?|access[_-]?key|client[_-]?secret|^AZURE_.+KEY$|^OCI_CLI_KEY_CONTENT$|(^|_)DSN$)';
/** Names that merely point at a secret (a file path, a Secret's name, a URL) or describe it. GOOGLE_APPLICATION_CREDENTIALS is a key file path by definition. */
export const DEFAULT_NOT_SECRET = '(?i)(_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HOST|_PORT|_NAME|_REF|_ID|_TTL|_EXPIRY|_EXPIRES_IN|_EXPIRATION|_LENGTH|_ALGORITHM|_TYPE|_HEADER|_ISSUER|_AUDIENCE|_ENABLED|_KEY_ID)$|^GOOGLE_APPLICATION_CREDENTIALS$';
/** A PEM private key header (`-----BEGIN RSA PRIVATE KEY-----`, or Polaris's `---BEGIN OPENSSH PRIVATE KEY---`); bounded, so linear on any value. */
/** Access tokens whose format names them: GitHub (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_), Stripe live keys, Slack, AWS access key ids. */
const KNOWN_TOKEN_RE = /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|[sr]k_live_[A-Za-z0-9]{16,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})\b/;
const PRIVATE_KEY_RE = /-BEGIN[ \t]{1,4}[A-Z0-9 ]{0,40}PRIVATE KEY[ \t]{0,4}-/i;

/** `$(VAR)` (Kubernetes), `${VAR}` or `$VAR`: a password given as a reference to another variable is not a secret in the manifest. */
const VARIABLE_REF = /^\$(\(|\{|[A-Za-z_])/;

/** Does a connection URL value (`postgres://app:s3cret@db/app`) carry a literal password? */
function hasUrlPassword(value: string): boolean {
  const password = urlPassword(value);
  return !!password && !VARIABLE_REF.test(password);
}

/** Checklist patterns are user data: compiled through safeRegex (ReDoS-safe, `(?i)` prefix understood). */
const pattern = userPatternSchema();

/**
 * Secret-looking environment variables are not given literal values (nor read from a ConfigMap); they come
 * from a Secret (valueFrom.secretKeyRef / envFrom.secretRef). Messages name the key only, never the value.
 */
export const envSecretLiteral = fileCheck({
  id: 'k8s.env-secret-literal',
  description: 'Environment variables whose name looks like a credential are not set as literal values or from ConfigMaps, and no literal value holds a private key or is a connection URL with a password; ConfigMaps hold no secret-looking keys, private keys or such URLs.',
  params: z.strictObject({
    namePattern: pattern.default(DEFAULT_SECRET_NAME).describe('Names that look like credentials ((?i) prefix for case-insensitive).'),
    ignorePattern: pattern.default(DEFAULT_NOT_SECRET).describe('Names that only refer to a secret (paths, URLs, ids) and are not flagged.'),
    checkValues: z.boolean().default(true).describe('Also flag any literal value that contains a PEM private key or is a connection URL with a password (scheme://user:password@host), whatever its name.'),
    checkConfigMaps: z.boolean().default(true).describe('Also flag ConfigMap data keys that look like credentials and have a non-empty value.'),
    includeInit: z.boolean().default(true),
  }),
  kinds: ['kubernetes'],
  run: (file, p) => {
    const name = userRegExp(p.namePattern);
    const ignore = userRegExp(p.ignorePattern);
    if (!name || !ignore) return undefined; // the loader reported the bad pattern at the param
    const secretish = (n: string) => name.test(n) && !ignore.test(n);
    const out = forEachContainer(file, { init: p.includeInit }, (ctx) => {
      const env = listField(ctx.c.value, 'env');
      if (env === undefined) return undefined;
      const findings: RawFinding[] = [];
      (env ?? []).forEach((e, i) => {
        if (!isObject(e) || typeof e.name !== 'string') return;
        const key = e.name;
        const where = `${ctx.obj.ref}, container "${ctx.c.name}"`;
        if (typeof e.value === 'string' || typeof e.value === 'number' || typeof e.value === 'boolean') {
          const value = String(e.value);
          if (value === '' || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value)) return; // empty, or a reference to another variable
          // `${NAME}` is filled in before the manifest is applied (envsubst): the secret still lands in the pod spec
          const filled = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(value.trim()) ? ` is filled into the pod spec from ${value.trim()}` : ' is set as a literal value';
          if (secretish(key)) findings.push(containerFinding(ctx, ['env', i, 'value'], `${where}: environment variable ${key} looks like a secret but${filled}; read it from a Secret (valueFrom.secretKeyRef).`, { key }));
          else if (p.checkValues && PRIVATE_KEY_RE.test(value)) findings.push(containerFinding(ctx, ['env', i, 'value'], `${where}: environment variable ${key} holds a private key as a literal value; read it from a Secret.`, { key }));
          else if (p.checkValues && KNOWN_TOKEN_RE.test(value)) findings.push(containerFinding(ctx, ['env', i, 'value'], `${where}: environment variable ${key} holds an access token in a known format (GitHub, Stripe, Slack, AWS) as a literal value; read it from a Secret.`, { key }));
          else if (p.checkValues && hasUrlPassword(value)) findings.push(containerFinding(ctx, ['env', i, 'value'], `${where}: environment variable ${key} holds a URL with a password (scheme://user:password@host) as a literal value; read it from a Secret.`, { key }));
          return;
        }
        const from = mapField(e, 'valueFrom');
        if (from && mapField(from, 'configMapKeyRef') && secretish(key)) {
          findings.push(containerFinding(ctx, ['env', i, 'valueFrom', 'configMapKeyRef'], `${where}: environment variable ${key} looks like a secret but is read from a ConfigMap; ConfigMaps are not access-controlled like Secrets. Use valueFrom.secretKeyRef.`, { key }));
        }
      });
      return findings;
    });
    if (!p.checkConfigMaps) return out;
    const model = k8sModel(file);
    if (!model) return out;
    const cmFindings: RawFinding[] = [];
    let sawConfigMap = false;
    for (const obj of model.objects) {
      if (obj.kind !== 'ConfigMap') continue;
      const data = mapField(obj.value, 'data');
      if (data === undefined) continue;
      sawConfigMap = true;
      for (const [key, value] of Object.entries(data ?? {})) {
        if (value === null || value === '' || typeof value === 'object') continue;
        if (secretish(key)) cmFindings.push(findingAt({ file: file as never, model, obj }, obj.base.concat('data', key), `${obj.ref}: key ${key} looks like a secret; move it to a Secret (ConfigMaps are readable by anyone who can read the namespace's config).`, { data: { key } }));
        else if (p.checkValues && typeof value === 'string' && PRIVATE_KEY_RE.test(value)) cmFindings.push(findingAt({ file: file as never, model, obj }, obj.base.concat('data', key), `${obj.ref}: key ${key} holds a private key; move it to a Secret (ConfigMaps are readable by anyone who can read the namespace's config).`, { data: { key } }));
        else if (p.checkValues && typeof value === 'string' && hasUrlPassword(value)) cmFindings.push(findingAt({ file: file as never, model, obj }, obj.base.concat('data', key), `${obj.ref}: key ${key} holds a URL with a password (scheme://user:password@host); move it to a Secret (ConfigMaps are readable by anyone who can read the namespace's config).`, { data: { key } }));
      }
    }
    if (!sawConfigMap) return out;
    return { findings: [...(out?.findings ?? []), ...cmFindings] };
  },
});
