import { isMap, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import type { Attestation, Problem } from './model';
import { parseValidated } from './checklist/located';

/** Where the team's sign-offs for manual items live, relative to the workspace root. */
export const ATTESTATIONS_FILE = '.shipshape/attestations.yaml';

const AttestationSchema = z.strictObject({ by: z.string().min(1), at: z.string().min(1), note: z.string().optional() });
const FileSchema = z.strictObject({ items: z.record(z.string(), AttestationSchema).default({}) });

export function parseAttestations(text: string): { attestations: Map<string, Attestation>; problems: Problem[] } {
  const { value, problems } = parseValidated(text, ATTESTATIONS_FILE, FileSchema, 'Attestations');
  return { attestations: new Map(Object.entries(value?.items ?? {})), problems };
}

const HEADER = '# Sign-offs for manual readiness items, shared by the team. Written by Shipshape; commit this file.\n';

/** Returns the new text of the attestations file with one item ticked (or unticked when `att` is undefined). */
export function setAttestation(text: string | undefined, itemId: string, att: Attestation | undefined): string {
  const doc: Document = parseDocument(text && text.trim() ? text : `${HEADER}items: {}\n`);
  if (!isMap(doc.get('items'))) doc.set('items', doc.createNode({}));
  if (att) doc.setIn(['items', itemId], doc.createNode(att.note ? att : { by: att.by, at: att.at }));
  else doc.deleteIn(['items', itemId]);
  const items = doc.get('items');
  if (isMap(items)) items.flow = items.items.length === 0;
  return doc.toString({ lineWidth: 0 });
}
