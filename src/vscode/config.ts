import * as vscode from 'vscode';
import { z } from 'zod';

/** The extension's settings (`shipshape.*`), validated per resource. */
export const SettingsSchema = z.object({
  enable: z.boolean(),
  checklists: z.array(z.string().min(1)),
  rules: z.record(z.string().min(1), z.enum(['off', 'error', 'warning', 'info'])),
  exclude: z.array(z.string().min(1)),
  run: z.enum(['onType', 'onSave']),
  typingDelay: z.number().int().min(0).max(10000),
  maxFiles: z.number().int().positive(),
  attestationAuthor: z.string(),
});

export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  checklists: [],
  rules: {},
  exclude: [],
  run: 'onType',
  typingDelay: 300,
  maxFiles: 20000,
  attestationAuthor: '',
};

/** Setting keys under `shipshape.`, mapped to the fields above. */
const KEYS: Record<keyof Settings, string> = {
  enable: 'enable',
  checklists: 'checklists',
  rules: 'rules',
  exclude: 'exclude',
  run: 'run',
  typingDelay: 'typingDelay',
  maxFiles: 'maxFiles',
  attestationAuthor: 'attestation.author',
};

/**
 * Reads the settings for a folder. Each field is validated on its own: an invalid value produces a
 * warning and falls back to the default, the other settings still apply. Never throws.
 */
export function readSettings(scope: vscode.ConfigurationScope | undefined, get: (key: string) => unknown = (key) => vscode.workspace.getConfiguration('shipshape', scope).get(key)): { settings: Settings; warnings: string[] } {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const warnings: string[] = [];
  for (const field of Object.keys(KEYS) as (keyof Settings)[]) {
    const raw = get(KEYS[field]);
    if (raw === undefined || raw === null) continue;
    const parsed = SettingsSchema.shape[field].safeParse(raw);
    if (parsed.success) settings[field] = parsed.data;
    else warnings.push(`Setting shipshape.${KEYS[field]} is invalid (${parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ')}); using the default ${JSON.stringify(DEFAULT_SETTINGS[field])}.`);
  }
  return { settings: settings as Settings, warnings };
}
