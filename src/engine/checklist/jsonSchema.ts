import { z } from 'zod';
import { ChecklistSchema, ConfigSchema } from './schema';

/** The generated JSON schema files, by repo-relative path (kept in sync by a unit test). */
export function schemaFiles(): Record<string, string> {
  const render = (schema: z.ZodType, title: string) => JSON.stringify({ title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) }, null, 2) + '\n';
  return {
    'checklists/checklist.schema.json': render(ChecklistSchema, 'Shipshape checklist'),
    'checklists/config.schema.json': render(ConfigSchema, 'Shipshape configuration (.shipshape.yaml)'),
  };
}
