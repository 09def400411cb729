import type { AnyTemplate } from '../template';
import { declaredCheck } from './declared';
import { duplicateKeysCheck, exampleCompleteCheck, exampleInSyncCheck } from './files';
import { originsCheck } from './origins';
import { metricsPortCheck, portCheck, shutdownTimeoutCheck } from './ports';
import { productionValue } from './productionValue';
import { secretCheck } from './secret';

export const envTemplates: AnyTemplate[] = [productionValue, declaredCheck, secretCheck, originsCheck, portCheck, metricsPortCheck, shutdownTimeoutCheck, duplicateKeysCheck, exampleInSyncCheck, exampleCompleteCheck];
