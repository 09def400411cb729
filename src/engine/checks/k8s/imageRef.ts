/** A container image reference split into its parts: `[registry[:port]/]repository[:tag][@digest]`. */
export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  // A colon after the last slash separates the tag; a colon before it belongs to a registry port.
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag: string | undefined;
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  // keys only when present (assigned, not spread: V8's spread of a small literal is its slow path)
  const ref: ImageRef = { repository: rest };
  if (tag !== undefined) ref.tag = tag;
  if (digest) ref.digest = digest;
  return ref;
}

/** The image is pinned by an immutable content digest (sha256:…). */
export function hasDigest(ref: ImageRef): boolean {
  return !!ref.digest && /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(ref.digest);
}
