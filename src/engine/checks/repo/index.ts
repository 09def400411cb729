import type { AnyTemplate } from '../template';
import { ciStepsCheck } from './ci';
import { composeHealthcheck, composeImagePinned, composePresent, composeResourceLimits } from './compose';
import { envFilesCommitted, gitignoreEnv } from './gitignore';
import { signalsCheck } from './signals';

export const repoTemplates: AnyTemplate[] = [gitignoreEnv, envFilesCommitted, ciStepsCheck, composeHealthcheck, composeImagePinned, composeResourceLimits, composePresent, signalsCheck];
