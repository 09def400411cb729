/**
 * A value made the first time it is asked for, then kept: tables a run may never need (the Markdown linker's,
 * in a scan with no Markdown checklist) cost nothing when the bundle loads.
 */
export function onFirstUse<T>(make: () => T): () => T {
  let made = false;
  let value: T;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
