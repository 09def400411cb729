import type { AnyTemplate } from '../template';
import { coverageThresholdCheck, dependencyCheck, enginesNodeCheck, lockfileCheck } from './package';
import { scriptCheck, startCheck } from './script';

export const scriptTemplates: AnyTemplate[] = [scriptCheck, startCheck, enginesNodeCheck, lockfileCheck, coverageThresholdCheck, dependencyCheck];
