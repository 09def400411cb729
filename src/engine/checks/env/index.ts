import type { AnyTemplate } from '../template';

export const envTemplates: AnyTemplate[] = [];
