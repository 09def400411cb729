import type { AnyTemplate } from '../template';

export const repoTemplates: AnyTemplate[] = [];
