import type { AnyTemplate } from './template';
import { k8sTemplates } from './k8s';
import { dockerTemplates } from './docker';
import { envTemplates } from './env';
import { scriptTemplates } from './scripts';
import { repoTemplates } from './repo';

/** Every check template, by id. Checklist items refer to these by `check:`. */
export const TEMPLATES: ReadonlyMap<string, AnyTemplate> = new Map(
  [...k8sTemplates, ...dockerTemplates, ...envTemplates, ...scriptTemplates, ...repoTemplates].map((t) => [t.id, t]),
);
