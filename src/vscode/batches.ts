/**
 * VS Code passes on at most about 1,100 diagnostics per call of `DiagnosticCollection.set` with many files (the
 * files after that are dropped), and sends one message to the workbench per call. So a folder's changed
 * diagnostics go in batches of at most `limit` diagnostics (a file with more goes alone), in their order.
 */
export const BATCH_DIAGNOSTICS = 1000;

export function batches<K, T extends readonly unknown[]>(changes: readonly (readonly [K, T])[], limit = BATCH_DIAGNOSTICS): [K, T][][] {
  const out: [K, T][][] = [];
  let batch: [K, T][] = [];
  let size = 0;
  for (const [key, items] of changes) {
    if (batch.length && size + items.length > limit) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push([key, items]);
    size += items.length;
  }
  if (batch.length) out.push(batch);
  return out;
}
