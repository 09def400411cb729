import { addHealthcheck } from './docker/healthcheck';
import { addToCopy, npmCi } from './docker/instructions';
import { fixInstruction } from './docker/syntax';
import { dockerignore } from './docker/dockerignore';
import { insertOption } from './docker/option';
import { addUser } from './docker/user';
import { addEnvKeys, setEnv } from './env/setValue';
import { setImagePullPolicy, setReplicas } from './k8s/fields';
import { insertProbe } from './k8s/probe';
import { insertResources } from './k8s/resources';
import { securityContext } from './k8s/securityContext';
import { setField } from './k8s/setField';
import { addScript } from './scripts';
import type { AnyFix } from './template';

export const FIX_LIST: readonly AnyFix[] = [insertProbe, insertResources, securityContext, setField, setReplicas, setImagePullPolicy, addUser, addHealthcheck, npmCi, addToCopy, fixInstruction, insertOption, dockerignore, setEnv, addEnvKeys, addScript];

/** Every fix template, by id. Checklist items refer to these by `fix.template`. */
export const FIXES: ReadonlyMap<string, AnyFix> = new Map(FIX_LIST.map((f) => [f.id, f]));
