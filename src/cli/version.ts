/** Replaced at bundle time from package.json; the fallback serves tests run from sources. */
declare const __SHIPSHAPE_VERSION__: string | undefined;
export const VERSION: string = typeof __SHIPSHAPE_VERSION__ === 'string' ? __SHIPSHAPE_VERSION__ : '0.0.0-dev';
