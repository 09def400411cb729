import type { AnyTemplate } from '../template';
import { apiVersion } from './apiVersions';
import { autoscalerCoverage, pdbCoverage, replicasMin } from './availability';
import { capabilitiesAdd, capabilitiesDrop } from './capabilities';
import { hostPort, podHostNamespace } from './hostAccess';
import { imagePullPolicy, imageTag } from './images';
import { networkPolicyCoverage, serviceReadiness } from './network';
import { containerProbe, probesDistinct } from './probes';
import { containerPorts, envUnique, probePort, selectorMatchesTemplate } from './consistency';
import { k8sField } from './field';
import { adminBinding, rbacGrant } from './rbac';
import { referenceExists } from './references';
import { autoscaledReplicas, replicaSpread } from './scaling';
import { selectsPods, serviceTargetPort } from './targets';
import { selectsServices } from './selectsServices';
import { containerResource, requestsWithinLimits } from './resources';
import { envSecretLiteral } from './secrets';
import { runAsNonRoot, securityContextFlag } from './securityContext';
import { manifestSchema, manifestsPresent } from './manifests';
import { rolloutStrategy } from './strategy';
import { pdbEviction } from './pdbEviction';

/** Kubernetes check templates. Per-file templates judge one manifest; workspace ones (coverage, replicas) index every manifest once. */
export const k8sTemplates: AnyTemplate[] = [
  containerProbe,
  probesDistinct,
  containerResource,
  requestsWithinLimits,
  securityContextFlag,
  runAsNonRoot,
  capabilitiesDrop,
  capabilitiesAdd,
  podHostNamespace,
  hostPort,
  imageTag,
  imagePullPolicy,
  envSecretLiteral,
  rolloutStrategy,
  replicasMin,
  pdbCoverage,
  pdbEviction,
  autoscalerCoverage,
  networkPolicyCoverage,
  serviceReadiness,
  manifestSchema,
  manifestsPresent,
  k8sField,
  selectorMatchesTemplate,
  probePort,
  envUnique,
  containerPorts,
  apiVersion,
  rbacGrant,
  adminBinding,
  referenceExists,
  selectsPods,
  selectsServices,
  serviceTargetPort,
  autoscaledReplicas,
  replicaSpread,
];
