import type { z } from 'zod';
import type { FileKind } from '../../model';
import type { WorkspaceView } from '../../workspace';
import { type CheckOutput, workspaceCheck, type WorkspaceCheckTemplate } from '../template';
import { envContext, type EnvContext, ENV_SOURCE_KINDS } from './context';
import { applies, type When } from './values';

/** Marks "no facts" in the memo, whose keys must be objects. */
const NO_FACTS = {};

export interface EnvCheckSpec<P, F extends object> {
  id: string;
  description: string;
  params: z.ZodType<P>;
  /** File kinds the check reads; the env context reads all of ENV_SOURCE_KINDS (the default). */
  kinds?: readonly FileKind[];
  /** Whether the check applies; by default: the workspace configures a service and the item's `when:` holds. */
  applies?: (ctx: EnvContext, p: P) => boolean;
  /**
   * Workspace facts besides the env context (the ports the deployment exposes…), from memos that return
   * the same object while their files are unchanged: the memo of outputs is keyed by it.
   */
  facts?: (ws: WorkspaceView) => F;
  /** The check itself, once the context is built and the check applies. */
  check(ctx: EnvContext, p: P, facts: F): CheckOutput;
}

/**
 * The env checks' common steps: build the env context, check `applies`, run the check. The output is
 * memoised per context, facts and params (the item's parsed `with:`), so while an edit leaves every env
 * declaration as it was the check returns the very same output without running, and the engine keeps
 * its earlier result.
 */
export function envCheck<P, F extends object = object>(spec: EnvCheckSpec<P, F>): WorkspaceCheckTemplate<P> {
  const memo = new WeakMap<EnvContext, WeakMap<object, WeakMap<object, CheckOutput | null>>>();
  const isApplicable = spec.applies ?? ((ctx: EnvContext, p: P) => applies(ctx, (p as { when?: When }).when));
  return workspaceCheck<P>({
    id: spec.id,
    description: spec.description,
    params: spec.params,
    kinds: spec.kinds ?? ENV_SOURCE_KINDS,
    run(ws, p) {
      const ctx = envContext(ws);
      const facts = spec.facts ? spec.facts(ws) : (NO_FACTS as F);
      let byFacts = memo.get(ctx);
      if (!byFacts) memo.set(ctx, (byFacts = new WeakMap()));
      let byParams = byFacts.get(facts);
      if (!byParams) byFacts.set(facts, (byParams = new WeakMap()));
      const key = p as object;
      let out = byParams.get(key);
      if (out === undefined) byParams.set(key, (out = isApplicable(ctx, p) ? spec.check(ctx, p, facts) : null));
      return out ?? undefined;
    },
  });
}
