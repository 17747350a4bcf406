/**
 * Unit specs live beside the code (`*.spec.ts`); end-to-end specs in `test/` (`*.e2e-spec.ts`), and a
 * feature library's own in its `test/` folder (`libs/<name>/test/*.e2e-spec.ts`).
 */
const shared = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testEnvironment: 'node',
  transform: {
    // The swagger plugin documents the response and request classes, as in the build.
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: 'tsconfig.jest.json',
        astTransformers: { before: ['<rootDir>/test/support/swagger-plugin.js'] },
      },
    ],
    // ES-module-only packages (NestJS 12, jose 6, ...) become CommonJS for Jest's runtime; every
    // other file passes through unchanged (see the file).
    '^.+\\.m?js$': '<rootDir>/test/support/esm-to-commonjs.js',
  },
  transformIgnorePatterns: [],
  // A library is `@app/<name>`, its folder `libs/<name>/src`: a new library needs no entry here.
  moduleNameMapper: { '^@app/([^/]+)$': '<rootDir>/libs/$1/src' },
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/libs/*/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
  ],
};
