// docs/peer-coverage.md: every check of sections 2a–2e of the peer comparison note (../shared/notes/peer-rule-gaps.md)
// that is not marked low impact, with the rules that carry its peer ids as aliases, their fixtures and fix. The note is
// read as written; `npm run docs` regenerates the page and a unit test fails for a check that no rule covers.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Checklist, ChecklistItem } from '../src/engine/checklist/schema';

export const PEER_NOTE = path.resolve(__dirname, '..', '..', 'shared', 'notes', 'peer-rule-gaps.md');
const REPO = path.resolve(__dirname, '..');

/** Tools the note names, as aliases spell them. */
const TOOLS: Record<string, string> = { hadolint: 'hadolint', checkov: 'checkov', 'kube-linter': 'kube-linter', polaris: 'polaris', 'kube-score': 'kube-score', shellcheck: 'shellcheck' };

/** Ids the note abbreviates in a way the expansion cannot undo (`container-(cpu-/memory-)resource-…`), as the peer spells them. */
const SPELLING: Record<string, string> = {
  'kube-score:container-cpu-resource-requests-equal-limits': 'kube-score:container-cpu-requests-equal-limits',
  'kube-score:container-memory-resource-requests-equal-limits': 'kube-score:container-memory-requests-equal-limits',
};

/**
 * Peer ids of the note that no rule carries as an alias, each with the reason. Every other id of a check that is not
 * low impact must be some rule's alias.
 */
export const NOT_ALIASED: Readonly<Record<string, string>> = {
  'shellcheck:SCxxxx': 'ShellCheck runs hundreds of shell checks on RUN scripts; Shipshape judges the commands of RUN by data (run-command rules) and does not embed a shell linter.',
  'polaris:linuxHardening': 'Polaris passes it with any one of seccomp, AppArmor, SELinux or dropping ALL capabilities; Shipshape asks for seccomp and for dropping ALL separately, each stricter.',
  'hadolint:DL3050': 'Superfluous labels: an allow-list of label keys, a house-style choice rather than a production risk.',
  'checkov:CKV_K8S_41': 'The default ServiceAccount is made by the cluster and seldom appears in manifests; k8s.service-account.automount-token asks every pod to opt out of the token instead.',
  'checkov:CKV_K8S_44': 'A Service named tiller: it comes with the Tiller Deployment, whose image k8s.images.known-risky flags.',
  'checkov:CKV_K8S_45': 'Tiller reachable only from localhost (its command-line flags); Tiller itself is flagged by k8s.images.known-risky.',
  'hadolint:DL3058': 'Labels a user\'s label schema declares as email addresses; no pre-defined OCI label is one (authors is free text).',
  'kube-score:pod-topology-spread-constraints': 'It checks that the topologySpreadConstraints a pod sets are well formed (labelSelector, topologyKey, maxSkew, minDomains, whenUnsatisfiable) and passes a pod without any, which is not the spreading k8s.replicas.spread asks of multi-replica workloads.',
  'kube-linter:restart-policy': 'It asks workloads for restartPolicy Always or OnFailure (the low-impact row of 2c); k8s.job.restart-policy covers Jobs and CronJobs.',
};

export interface NoteRow {
  section: string;
  check: string;
  peers: string;
  ids: string[];
  lowImpact: boolean;
}

/** `deployment-/statefulset-x` → deployment-x, statefulset-x; `a-(b-/c-)d` → a-d, a-b-d, a-c-d. */
function expandWord(word: string): string[] {
  const group = /^(.*)\(([^)]*)\)(.*)$/.exec(word);
  if (group) return ['', ...group[2].split('/')].flatMap((alt) => expandWord(group[1] + alt + group[3]));
  const parts = word.split('/');
  if (parts.length > 1 && parts.slice(0, -1).every((p) => p.endsWith('-'))) {
    const last = parts[parts.length - 1];
    const rest = last.slice(last.indexOf('-') + 1);
    return [...parts.slice(0, -1).map((p) => p + rest), last];
  }
  return [word];
}

/** The peer ids of a Peers cell: `Checkov CKV2_DOCKER_2,3,4`, `hadolint DL3048–DL3056`, `CKV_K8S_155–158`, `kube-linter a, b`. */
export function peerIds(cell: string): string[] {
  const out: string[] = [];
  // a parenthesis that starts with a tool (`hadolint (ShellCheck SCxxxx)`) is a segment of its own; other remarks go
  const segments = cell.replace(/\s*\(([A-Za-z-]+)\s+([^)]*)\)/g, (_match, tool: string, rest: string) => (TOOLS[tool.toLowerCase()] ? `; ${tool} ${rest}` : ''))
    .replace(/\s+\([^)]*\)/g, '')
    .split(';');
  for (const segment of segments) {
    const m = /^\s*([A-Za-z-]+)\s+(.*)$/.exec(segment.trim());
    if (!m || !TOOLS[m[1].toLowerCase()]) continue;
    let tool = TOOLS[m[1].toLowerCase()];
    let prefix = '';
    for (const raw of m[2].split(',')) {
      let token = raw.trim();
      const switched = /^([A-Za-z-]+)\s+(\S+)$/.exec(token); // `…, Checkov CKV_DOCKER_9`
      if (switched && TOOLS[switched[1].toLowerCase()]) [tool, token] = [TOOLS[switched[1].toLowerCase()], switched[2]];
      if (!token) continue;
      const range = /^([A-Z0-9_]*?)(\d+)[–-](?:[A-Z0-9_]*?)(\d+)$/.exec(token);
      if (range) {
        prefix = range[1] || prefix;
        for (let n = Number(range[2]); n <= Number(range[3]); n++) out.push(`${tool}:${prefix}${n}`);
        continue;
      }
      if (/^\d+$/.test(token) && prefix) {
        out.push(`${tool}:${prefix}${token}`);
        continue;
      }
      const numbered = /^([A-Z][A-Z0-9_]*?)(\d+)$/.exec(token);
      prefix = numbered ? numbered[1] : '';
      for (const id of expandWord(token)) out.push(SPELLING[`${tool}:${id}`] ?? `${tool}:${id}`);
    }
  }
  return [...new Set(out)];
}

/** The check rows of sections 2a–2e. */
export function readNote(text: string): NoteRow[] {
  const rows: NoteRow[] = [];
  let section: string | undefined;
  for (const line of text.replace(/\r/g, '').split('\n')) {
    const h = /^###\s+(2[a-e])\.\s*(.*)$/.exec(line);
    if (h) {
      section = `${h[1]}. ${h[2]}`;
      continue;
    }
    if (/^#{1,3}\s/.test(line)) section = undefined;
    if (!section || !line.startsWith('|')) continue;
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length < 4 || cells[0] === 'Check' || /^-+$/.test(cells[0])) continue;
    rows.push({ section, check: cells[0], peers: cells[1], ids: peerIds(cells[1]), lowImpact: /^\(low impact\)/i.test(cells[0]) });
  }
  return rows;
}

export interface Covered {
  row: NoteRow;
  rules: { item: ChecklistItem; aliases: string[] }[];
  unaliased: string[];
}

/** Each row with the rules that alias its ids, and the ids no rule aliases. */
export function coverage(rows: readonly NoteRow[], checklists: readonly Checklist[]): Covered[] {
  const items = checklists.flatMap((c) => c.sections.flatMap((s) => s.items));
  return rows.map((row) => {
    const rules = items.map((item) => ({ item, aliases: item.aliases.filter((a) => row.ids.includes(a)) })).filter((r) => r.aliases.length > 0);
    return { row, rules, unaliased: row.ids.filter((id) => !rules.some((r) => r.aliases.includes(id))) };
  });
}

/** The fixture files of a rule whose names start with `prefix`, relative to the repository. */
function fixtures(id: string, prefix: string): string[] {
  const dir = path.join(REPO, 'test', 'fixtures', 'rules', id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.startsWith(prefix) && !n.includes('.fixed')).sort().map((n) => `test/fixtures/rules/${id}/${n}`);
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderPeerCoverage(rows: readonly NoteRow[], checklists: readonly Checklist[]): string {
  const covered = coverage(rows.filter((r) => !r.lowImpact && r.ids.length > 0), checklists);
  const out = [
    '## Checks of the peer linters and the rules that cover them',
    '',
    'Generated by `npm run docs` from the comparison with hadolint, Checkov, kube-linter, Polaris and kube-score (sections 2a–2e;',
    'checks marked low impact left out) and the rules\' `aliases`; a unit test fails when a check has no rule or a peer id is',
    'neither an alias nor listed below with its reason. Fixtures are under `test/fixtures/rules/<rule>/`; rules marked opt-in',
    'run when turned on in `.shipshape.yaml`.',
    '',
    '| check (peer ids) | rule | severity | aliases | fails | passes | fix |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of covered) {
    c.rules.forEach((r, k) => {
      const head = k === 0 ? `**${c.row.section.slice(0, 2)}** ${cell(c.row.check)}` : '';
      const fail = fixtures(r.item.id, 'fail').map((f) => `\`${path.basename(f)}\``).join(', ') || '—';
      const pass = fixtures(r.item.id, 'pass').map((f) => `\`${path.basename(f)}\``).join(', ') || '—';
      const fix = r.item.fix ? `\`${r.item.fix.template}\`` : '—';
      out.push(`| ${head} | [\`${r.item.id}\`](rules/${r.item.id}.md)${r.item.optIn ? ' (opt-in)' : ''} | ${r.item.severity} | ${r.aliases.map((a) => `\`${a}\``).join(' ')} | ${fail} | ${pass} | ${fix} |`);
    });
    if (c.rules.length === 0) out.push(`| **${c.row.section.slice(0, 2)}** ${cell(c.row.check)} | not covered (see below) | | | | | |`);
  }
  const left = covered.flatMap((c) => c.unaliased.map((id) => ({ id, check: c.row.check })));
  out.push('', '### Peer ids without an alias', '', '| peer id | check | why |', '|---|---|---|');
  for (const l of left) out.push(`| \`${l.id}\` | ${cell(l.check)} | ${NOT_ALIASED[l.id] ?? '**missing**'} |`);
  return out.join('\n');
}

export const readPeerNote = (): NoteRow[] => readNote(readFileSync(PEER_NOTE, 'utf8'));
