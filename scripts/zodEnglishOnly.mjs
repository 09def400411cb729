// An esbuild plugin shared by the build and the benchmark's bundle.
/**
 * zod's classic API re-exports every locale of its error messages (about 250 KB minified, a quarter of the
 * bundle); Shipshape reports in English only, which zod configures itself. The locales index is bundled as
 * English alone.
 */
export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.c?js$/ }, (args) => ({
      contents: args.path.endsWith('.cjs') ? 'module.exports = { en: require("./en.cjs").default };' : 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: args.path.replace(/[\\/][^\\/]+$/, ''),
    }));
  },
};
