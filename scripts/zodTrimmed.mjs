// An esbuild plugin shared by the build and the benchmark's bundle: zod as Shipshape uses it.
/**
 * zod's classic API re-exports every locale of its error messages (about 250 KB minified, a quarter of the
 * bundle); Shipshape reports in English only, which zod configures itself. The locales index is bundled as
 * English alone.
 *
 * It also re-exports two APIs that nothing else in zod imports and Shipshape never calls: `z.fromJSONSchema`
 * (schemas from JSON Schema) and `z.compile` / `z.withParser` (validators compiled ahead of time), about 40 KB
 * minified. They are bundled as functions that say so when called; the rest of their modules' exports stay.
 */
const dirOf = (p) => p.replace(/[\\/][^\\/]+$/, '');

const unused = (api) => `function () { throw new Error('zod ${api} is not bundled with Shipshape'); }`;

export const zodTrimmed = {
  name: 'zod-trimmed',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.c?js$/ }, (args) => ({
      contents: args.path.endsWith('.cjs') ? 'module.exports = { en: require("./en.cjs").default };' : 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: dirOf(args.path),
    }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]classic[\\/]from-json-schema\.c?js$/ }, (args) => ({
      contents: args.path.endsWith('.cjs') ? `exports.fromJSONSchema = ${unused('fromJSONSchema')};` : `export const fromJSONSchema = ${unused('fromJSONSchema')};`,
      loader: 'js',
      resolveDir: dirOf(args.path),
    }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]compile\.c?js$/ }, (args) => {
      // the same names as the module exports (the sentinel is the registry symbol parse.js mirrors)
      const names = ['compile', 'withParser', 'compileFn'];
      const errors = ['ZodCompileAsyncError', 'ZodCompileUnsupportedError'];
      const cjs = args.path.endsWith('.cjs');
      const lines = [
        cjs ? 'exports.INVALID = Symbol.for("zod.compile.invalid");' : 'export const INVALID = Symbol.for("zod.compile.invalid");',
        ...errors.map((n) => (cjs ? `exports.${n} = class ${n} extends Error {};` : `export class ${n} extends Error {}`)),
        ...names.map((n) => (cjs ? `exports.${n} = ${unused(n)};` : `export const ${n} = ${unused(n)};`)),
      ];
      return { contents: lines.join('\n'), loader: 'js', resolveDir: dirOf(args.path) };
    });
  },
};
