import type { AnyTemplate } from '../template';

export const scriptTemplates: AnyTemplate[] = [];
