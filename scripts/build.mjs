// Bundles the CLI and the extension with esbuild. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { buildId } from './buildId.mjs';
import { zodTrimmed } from './zodTrimmed.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const production = process.argv.includes('--production') || process.env.NODE_ENV === 'production';
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  plugins: [zodTrimmed],
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  // the build's name, for the checklist cache it writes (not in watch mode: its sources change under it)
  define: { __SHIPSHAPE_VERSION__: JSON.stringify(pkg.version), ...(watch ? {} : { __SHIPSHAPE_BUILD__: JSON.stringify(buildId()) }) },
  logLevel: 'warning',
};

const entries = [
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
];
if (existsSync('src/vscode/extension.ts')) entries.push({ entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
if (existsSync('test/integration/index.ts')) entries.push({ entryPoints: ['test/integration/index.ts'], outfile: 'out/test/integration/index.js', external: ['vscode', 'mocha'], sourcemap: 'inline', minify: false });

// The cache of the built-in checklists (checklists/.builtin-cache.json): their plain YAML values, so runs skip
// parsing them, and the checklists as this build loads them, so its bundles skip validating them too.
if (existsSync('scripts/checklistCache.ts') && existsSync('checklists')) {
  await esbuild.build({ ...common, entryPoints: ['scripts/checklistCache.ts'], outfile: 'out/checklistCache.js', sourcemap: false, minify: false });
  execFileSync(process.execPath, ['out/checklistCache.js', 'checklists'], { stdio: 'inherit' });
}

const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
