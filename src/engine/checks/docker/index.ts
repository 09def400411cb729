import type { AnyTemplate } from '../template';
import { aptGet } from './aptGet';
import { copyNotAdd } from './copyNotAdd';
import { dockerignore } from './dockerignore';
import { execForm } from './execForm';
import { finalInstruction } from './finalInstruction';
import { imagePinned } from './imagePinned';
import { multiStage } from './multiStage';
import { nonRootUser } from './nonRootUser';
import { productionDeps } from './productionDeps';
import { forbiddenCommand, lockfileInstall } from './runCommands';
import { secretEnv } from './secretEnv';
import { workdirAbsolute } from './workdir';
import { runCommand } from './runCommand';
import { dockerfileStructure, exposePorts, instructionCount } from './instructionRules';
import { fromRegistry, numericUser, stageReferences } from './stages';
import { copyDestination } from './copyDestination';
import { imageLabels } from './labels';
import { pipefail } from './pipefail';

export const dockerTemplates: AnyTemplate[] = [
  imagePinned,
  nonRootUser,
  finalInstruction,
  multiStage,
  copyNotAdd,
  lockfileInstall,
  productionDeps,
  secretEnv,
  aptGet,
  forbiddenCommand,
  workdirAbsolute,
  execForm,
  dockerignore,
  runCommand,
  instructionCount,
  exposePorts,
  dockerfileStructure,
  stageReferences,
  fromRegistry,
  numericUser,
  copyDestination,
  imageLabels,
  pipefail,
];
