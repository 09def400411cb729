import { z } from 'zod';
import type { Family } from '../fixes/docker/images';

/** What a service runs, told from its Dockerfile (base images, build commands) or its package.json. */
export const RUNTIMES = ['node', 'go', 'python', 'java', 'dotnet', 'ruby', 'php', 'rust'] as const;
export type Runtime = (typeof RUNTIMES)[number];
export const BASE_FAMILIES = ['alpine', 'debian', 'rhel', 'noShell', 'windows', 'unknown'] as const satisfies readonly Family[];

/** Where a rule or an example applies: any of the runtimes, and any of the base image families (each absent: any). */
export const AppliesToSchema = z
  .strictObject({
    runtime: z.array(z.enum(RUNTIMES)).min(1).optional().describe('Runtimes of the service the file belongs to (node, go, python, java, dotnet, ruby, php, rust).'),
    base: z
      .array(z.enum(BASE_FAMILIES))
      .min(1)
      .optional()
      .describe('Families of the final base image: alpine, debian, rhel, noShell (distroless, scratch, Chainguard: no shell), windows, unknown.'),
  })
  .describe('Where the rule applies, by the service a file belongs to: elsewhere it is not applicable. Files whose runtime or base cannot be told are audited.');
export type AppliesTo = z.infer<typeof AppliesToSchema>;

