import type { AnyTemplate } from '../template';

export const k8sTemplates: AnyTemplate[] = [];
