import type { AnyTemplate } from '../template';

export const dockerTemplates: AnyTemplate[] = [];
