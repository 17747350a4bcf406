/**
 * The layers of the libraries, lowest first: a library imports only from layers below its own.
 * Every library not named here is a feature (`libs/encounter-packages`, ...): features build on
 * every layer and may use one another, never in a cycle; no layer names a feature. Apps compose.
 * Checked by `npm run lint:layers` (part of `.ci/run`).
 */
const LAYERS = [
  'config',
  'http',
  'database',
  'auth',
  'observability',
  'jobs',
  'job-admin',
  'patients',
];

const lib = (names) => `^libs/(${names.join('|')})/`;
const FEATURE = `^libs/(?!(${LAYERS.join('|')})/)[^/]+/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Libraries import one another without cycles.',
      from: { path: '^(apps|libs)/' },
      to: { circular: true },
    },
    {
      name: 'no-apps-from-libs',
      severity: 'error',
      comment: 'Libraries never import an app: apps compose libraries.',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    ...LAYERS.map((layer, at) => ({
      name: `${layer}-imports-downward`,
      severity: 'error',
      comment: `libs/${layer} imports only ${at === 0 ? 'no other library' : `libs/{${LAYERS.slice(0, at).join(',')}}`}, and no feature.`,
      from: { path: lib([layer]) },
      to: {
        path: [...(at + 1 < LAYERS.length ? [lib(LAYERS.slice(at + 1))] : []), FEATURE],
      },
    })),
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment: 'Apps and libraries never import specs, end-to-end support or benchmarks.',
      from: { path: '^(apps|libs)/', pathNot: ['\\.spec\\.ts$', '^libs/[^/]+/test/'] },
      to: { path: ['^test/', '^bench/', '\\.spec\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
