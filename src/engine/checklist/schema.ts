import { z } from 'zod';
import { AppliesToSchema } from './appliesTo';

/** Dotted kebab ids: `k8s.probe.liveness`. */
export const ID_RE = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const id = z.string().regex(ID_RE, 'use lower-case dotted kebab case, e.g. k8s.probe.liveness');

export const SeveritySchema = z.enum(['error', 'warning', 'info']);

const params = z.record(z.string(), z.unknown());

/**
 * Options for validating checklists, config and rule params: each schema checks a handful of values once per
 * run, and zod's compiled fast path for an object schema costs more to compile than it saves on them.
 */
export const VALIDATE_ONCE = { jitless: true } as const;

export const DocsSchema = z.strictObject({
  why: z.string().optional().describe('Why the requirement matters in production.'),
  fix: z.string().optional().describe('How to meet it, in a sentence or a snippet.'),
  url: z.string().url().optional().describe('Further reading.'),
});

export const FixRefSchema = z.strictObject({
  template: z.string().describe('Fix template id, e.g. k8s.insert-probe.'),
  with: params.optional().describe('Parameters for the fix template.'),
  changesBehaviour: z
    .string()
    .min(1)
    .optional()
    .describe('Why applying the fix changes how the workload runs (e.g. it may no longer start). The editor previews such a fix before applying it, and shipshape fix names the reason.'),
});

export const ConceptSchema = z.strictObject({
  property: z.string().min(1).optional().describe('The property the rule asserts, as the lexicon names it (e.g. "memory limit", "root user").'),
  subject: z.string().min(1).optional().describe('What the property applies to (e.g. "container or pod", "image or Dockerfile").'),
  polarity: z.enum(['presence', 'absence']).optional().describe('Whether the good state is the property present ("has a memory limit") or absent ("no privilege escalation").'),
});

export const ItemSchema = z.strictObject({
  id: id.describe('Stable id of the item; findings carry it as their rule id.'),
  title: z.string().min(1).describe('The requirement, stated positively.'),
  severity: SeveritySchema.default('warning'),
  check: z.string().optional().describe('Check template id. Without a check the item is manual: a person attests it.'),
  with: params.optional().describe('Parameters for the check template.'),
  evidence: z.boolean().optional().describe('The check only gathers evidence; a person still confirms the item.'),
  optIn: z.boolean().optional().describe('Off unless .shipshape.yaml gives the rule a severity (rules: {<id>: warning}).'),
  fix: FixRefSchema.optional(),
  appliesTo: AppliesToSchema.optional(),
  matches: z
    .array(z.string().min(1))
    .default([])
    .describe('The item\'s lexicon: phrasings a team\'s own Markdown checklist might use for this requirement; a line that reads like one links to the item.'),
  broaderMatches: z
    .array(z.string().min(1))
    .default([])
    .describe('Phrasings of a broader requirement this item is one part of ("Set resource limits and requests" for the CPU limit): a line that reads like one links to this item and its siblings, ranked below their own phrasings.'),
  concept: ConceptSchema.optional().describe(
    'Only where the concept read from the rule\'s id, title and check is wrong: the property it asserts, its subject and which way round the good state is.',
  ),
  aliases: z
    .array(z.string().regex(/^[a-z0-9-]+:\S+$/, 'write peer ids as tool:check, e.g. kube-linter:no-liveness-probe'))
    .default([])
    .describe('The same check in peer tools (polaris:…, kube-linter:…, kube-score:…, checkov:…, hadolint:…).'),
  docs: DocsSchema.optional(),
  sources: z.array(z.string()).optional().describe('Lines of the reference checklists this item comes from (checklist:line).'),
});

export const SectionSchema = z.strictObject({
  id,
  title: z.string().min(1),
  description: z.string().optional(),
  items: z.array(ItemSchema),
});

export const ChecklistSchema = z.strictObject({
  $schema: z.string().optional(),
  id,
  title: z.string().min(1),
  description: z.string().optional(),
  optIn: z
    .boolean()
    .optional()
    .describe('Not used by default: only when named in `checklists` of the config, or, for built-in checklists, with `operations: true`.'),
  sections: z.array(SectionSchema).min(1),
});

export type ChecklistItem = z.infer<typeof ItemSchema>;
export type ChecklistSection = z.infer<typeof SectionSchema>;
export type Checklist = z.infer<typeof ChecklistSchema> & { file?: string };

const RuleSetting = z.union([
  z.enum(['off', 'error', 'warning', 'info']),
  z.strictObject({ severity: z.enum(['off', 'error', 'warning', 'info']).optional(), with: params.optional() }),
]);

const ValuesSetting = z.strictObject({
  values: z.array(z.string().min(1)).optional().describe('Values files (relative to the chart folder) given to helm template after the chart\'s values.yaml, in order.'),
  set: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Values set on the command line (helm template --set key=value).'),
});

const ChartSetting = ValuesSetting.extend({
  environments: z
    .record(z.string().min(1), ValuesSetting)
    .optional()
    .describe('One rendering per environment (e.g. prod: { values: [values-prod.yaml] }), each on top of values and set; without it the chart is rendered once.'),
});

const RenderSettings = z.strictObject({
  enabled: z.boolean().optional().describe('Render Helm charts and Kustomize overlays to audit them (default true). Off: they are reported as not audited.'),
  helm: z.string().min(1).optional().describe('The helm binary (default: helm on PATH).'),
  kubectl: z.string().min(1).optional().describe('The kubectl binary used for kubectl kustomize (default: kubectl on PATH).'),
  timeout: z.number().int().positive().optional().describe('Seconds one rendering may take (default 30).'),
  charts: z.record(z.string().min(1), ChartSetting).optional().describe('Per chart folder (relative to the root): values files, --set values and environments.'),
});

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  checklists: z
    .array(z.string().min(1))
    .optional()
    .describe('Checklists to use: built-in ids (e.g. kubernetes) or paths of *.checklist.yaml files in the repo. Default: every built-in that is not opt-in.'),
  operations: z
    .boolean()
    .optional()
    .describe('Also use the opt-in built-in checklists (operations: release, team and runtime items a person confirms). Default: false.'),
  rules: z.record(z.string(), RuleSetting).optional().describe('Per-rule severity (or off) and params.'),
  exclude: z.array(z.string().min(1)).optional().describe('Glob patterns (gitignore style) of files not to scan.'),
  markdown: z.array(z.string().min(1)).optional().describe('Markdown checklists to link, relative to the root.'),
  maxFileSize: z.number().int().positive().optional().describe('Files larger than this many bytes are not read; they are reported as unaudited (default 2 MiB).'),
  unaudited: z
    .enum(['error', 'warn', 'ignore'])
    .optional()
    .describe('How files, documents and objects that could not be audited count: error (default) fails the scan like an error finding and lowers the score; warn counts like a warning; ignore reports them without counting them.'),
  render: RenderSettings.optional().describe('How Helm charts (helm template) and Kustomize overlays (kubectl kustomize) are rendered for auditing.'),
});

export type RenderConfig = z.infer<typeof RenderSettings>;

export type Config = z.infer<typeof ConfigSchema>;

/** The built-in checklists used when the config names none: every one that is not opt-in, and the opt-in ones with `operations: true`. */
export function defaultChecklists<C extends Checklist>(builtins: readonly C[], config: Config): C[] {
  return builtins.filter((c) => !c.optIn || config.operations === true);
}
export type RuleSettingValue = z.infer<typeof RuleSetting>;
