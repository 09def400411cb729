import type { Plugin } from 'esbuild';

/** zod as Shipshape uses it: English messages only, without the APIs it never calls (see zodTrimmed.mjs). */
export declare const zodTrimmed: Plugin;
