/** The build name for the sources in `srcDir` (default: ./src); see buildId.mjs. */
export declare function buildId(srcDir?: string): string;
