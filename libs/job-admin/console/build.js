// Bundles the operators' console (preact + htm + uPlot) with esbuild: one script and one style
// sheet, no CDN, served by the API at /admin (libs/job-admin/src/operator-console.ts).
// `npm run build` bundles it into dist/admin-console, beside the built apps; the end-to-end tests,
// which run the API from its sources, bundle it into libs/job-admin/console/bundle (`--for-sources`),
// which no build wipes while they run.
const { buildSync } = require('esbuild');
const { join } = require('node:path');

const ROOT = join(__dirname, '../../..');
const BUILT_DIR = join(ROOT, 'dist/admin-console');
const SOURCES_DIR = join(__dirname, 'bundle');

function buildConsole(outDir = BUILT_DIR) {
  buildSync({
    entryPoints: { console: join(__dirname, 'src/main.js') },
    bundle: true,
    minify: true,
    sourcemap: false,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir: outDir,
    logLevel: 'warning',
    legalComments: 'eof',
  });
  return outDir;
}

module.exports = { buildConsole, BUILT_DIR, SOURCES_DIR };

if (require.main === module) {
  const outDir = process.argv.includes('--for-sources') ? SOURCES_DIR : BUILT_DIR;
  console.log(`Console bundled in ${buildConsole(outDir)}`);
}
