// The engine's files as a workspace check sees them, recording what it read so the engine knows when to run it again.
import type { FileKind } from './model';
import type { ParsedFile, WorkspaceView } from './workspace';

/** What a workspace check read (kinds, single paths, or everything) and the versions it saw. */
export interface WorkspaceDeps {
  all?: number;
  kinds: Map<FileKind, number>;
  paths: Map<string, number>;
}

/** The engine's files with their versions: of everything, of each kind, of each path (-1: no such file). */
export interface VersionedFiles {
  files(): readonly ParsedFile[];
  byKind(kind: FileKind): readonly ParsedFile[];
  get(path: string): ParsedFile | undefined;
  version(): number;
  kindVersion(kind: FileKind): number;
  pathVersion(path: string): number;
}

/** The engine's files as one workspace check sees them, recording every kind and path it reads (and their versions). */
export class TrackingView implements WorkspaceView {
  readonly deps: WorkspaceDeps = { kinds: new Map(), paths: new Map() };
  constructor(private readonly source: VersionedFiles) {}
  get files(): readonly ParsedFile[] {
    this.deps.all = this.source.version();
    return this.source.files();
  }
  byKind<M = unknown>(kind: FileKind): readonly ParsedFile<M>[] {
    if (!this.deps.kinds.has(kind)) this.deps.kinds.set(kind, this.source.kindVersion(kind));
    return this.source.byKind(kind) as readonly ParsedFile<M>[];
  }
  get<M = unknown>(path: string): ParsedFile<M> | undefined {
    if (!this.deps.paths.has(path)) this.deps.paths.set(path, this.source.pathVersion(path));
    return this.source.get(path) as ParsedFile<M> | undefined;
  }
}
