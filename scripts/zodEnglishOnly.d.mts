import type { Plugin } from 'esbuild';

/** Bundles zod's locales index as English alone (see zodEnglishOnly.mjs). */
export declare const zodEnglishOnly: Plugin;
