import { z } from 'zod';
import type { RawFinding } from '../../model';
import { fileCheck } from '../template';
import { findingAt, k8sModel, type K8sFile } from './common';

const Api = z.strictObject({
  apiVersion: z.string().min(1),
  kinds: z.array(z.string()).optional().describe('The kinds this applies to (default: every kind of that apiVersion).'),
  replacement: z.string().optional().describe('The apiVersion to use instead; absent when the API is gone without one.'),
  removedIn: z.string().describe('The Kubernetes minor version that no longer serves it, e.g. "1.25".'),
});

/** Objects do not use an apiVersion that Kubernetes has deprecated and removed (the table is data: the item's `apis`). */
export const apiVersion = fileCheck({
  id: 'k8s.api-version',
  description: 'No object uses a removed or deprecated apiVersion for its kind; the finding names the replacement and the release that removed it.',
  params: z.strictObject({
    apis: z.array(Api).min(1).describe('The removed API versions, with their replacement and the release that removed them.'),
  }),
  kinds: ['kubernetes'],
  run: (file, p) => {
    const model = k8sModel(file);
    if (!model || !model.objects.some((o) => !o.malformed)) return undefined;
    const findings: RawFinding[] = [];
    for (const obj of model.objects) {
      if (obj.malformed) continue; // reported as a problem; judged once it is well formed
      // the first entry of the table for this apiVersion and kind (a few dozen entries: a scan, no index per file)
      const hit = p.apis.find((a) => a.apiVersion === obj.apiVersion && (!a.kinds || a.kinds.includes(obj.kind)));
      if (!hit) continue;
      findings.push(findingAt({ file: file as K8sFile, model, obj }, obj.base.concat('apiVersion'), `${obj.ref} uses ${obj.apiVersion}, which Kubernetes ${hit.removedIn} no longer serves; ${hit.replacement ? `use ${hit.replacement} (check the fields that changed with it)` : 'the API was removed without a replacement'}.`));
    }
    return { findings };
  },
});
