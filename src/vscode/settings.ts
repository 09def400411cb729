import { z } from 'zod';
import type { Config } from '../engine/checklist/schema';

/**
 * The extension's settings (`shipshape.*`): schema, defaults and validation. Pure (no vscode import), so
 * the rules are unit-tested in plain Node; config.ts reads the values from VS Code.
 */
export const SettingsSchema = z.object({
  enable: z.boolean(),
  checklists: z.array(z.string().min(1)),
  operations: z.boolean(),
  rules: z.record(z.string().min(1), z.enum(['off', 'error', 'warning', 'info'])),
  exclude: z.array(z.string().min(1)),
  run: z.enum(['onType', 'onSave']),
  typingDelay: z.number().int().min(0).max(10000),
  maxFiles: z.number().int().positive(),
  attestationAuthor: z.string(),
  renderHelm: z.string(),
  renderKubectl: z.string(),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  checklists: [],
  operations: false,
  rules: {},
  exclude: [],
  run: 'onType',
  typingDelay: 300,
  maxFiles: 20000,
  attestationAuthor: '',
  renderHelm: '',
  renderKubectl: '',
};

/** Setting keys under `shipshape.`, mapped to the fields above. */
const KEYS: Record<keyof Settings, string> = {
  enable: 'enable',
  checklists: 'checklists',
  operations: 'operations',
  rules: 'rules',
  exclude: 'exclude',
  run: 'run',
  typingDelay: 'typingDelay',
  maxFiles: 'maxFiles',
  attestationAuthor: 'attestation.author',
  renderHelm: 'render.helm',
  renderKubectl: 'render.kubectl',
};

/**
 * Validates raw setting values field by field: an invalid value produces a warning and falls back to the
 * default, the other settings still apply. Never throws.
 */
export function validateSettings(get: (key: string) => unknown): { settings: Settings; warnings: string[] } {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const warnings: string[] = [];
  for (const field of Object.keys(KEYS) as (keyof Settings)[]) {
    const raw = get(KEYS[field]);
    if (raw === undefined || raw === null) continue;
    const parsed = SettingsSchema.shape[field].safeParse(raw);
    if (parsed.success) settings[field] = parsed.data;
    else warnings.push(`Setting shipshape.${KEYS[field]} is invalid (${parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ')}); using the default ${JSON.stringify(DEFAULT_SETTINGS[field])}.`)
  }
  return { settings: settings as Settings, warnings };
}

/** Settings win over `.shipshape.yaml` for the user's own machine; the file stays the shared source for the CLI. */
export function mergeConfig(config: Config, settings: Settings): Config {
  const merged: Config = { ...config };
  if (settings.checklists.length) merged.checklists = settings.checklists;
  if (settings.operations) merged.operations = true;
  if (Object.keys(settings.rules).length) {
    const rules = { ...(config.rules ?? {}) };
    for (const [id, severity] of Object.entries(settings.rules)) {
      const current = rules[id];
      rules[id] = typeof current === 'object' ? { ...current, severity } : severity;
    }
    merged.rules = rules;
  }
  if (settings.exclude.length) merged.exclude = [...(config.exclude ?? []), ...settings.exclude];
  return merged;
}

