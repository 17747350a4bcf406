// @ts-check
'use strict';

/**
 * Jest transform for ES modules under node_modules (NestJS 12, jose 6, cookie 2, ...).
 *
 * Those packages ship ES modules only. The built application and ts-node load them with Node's
 * `require(esm)` (Node 20.19+), but Jest's module runtime on Node before 24.9 cannot: it fails with
 * "Must use import to load ES Module". This transform compiles each file Node would load as an ES
 * module (`.mjs`, or `.js` under a package.json with `"type": "module"`) to CommonJS with
 * TypeScript, and leaves every other file as it is. Jest then loads them through its own registry,
 * so the tests and the packages share one copy of each module (one `@nestjs/common`, one `typeorm`).
 *
 * What ES modules have and CommonJS lacks, in these packages: `import.meta.url`, `.dirname`,
 * `.filename` and `.resolve()` become their CommonJS equivalents, and the common
 * `const require = createRequire(import.meta.url)` is dropped, since CommonJS already has that
 * `require` (Jest's own, for this file). Anything else an ES module could do that CommonJS cannot
 * stops the transform with an error naming the file.
 */

const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const ts = require('typescript');

const OWN_SOURCE = readFileSync(__filename, 'utf8');
const COMMONJS_NAMES = new Set(['require', 'module', 'exports', '__filename', '__dirname']);

/** The `type` of the package.json nearest to `dir`, as Node reads it (cached per folder). */
const typeByDir = new Map();
function packageType(dir) {
  if (typeByDir.has(dir)) return typeByDir.get(dir);
  let type;
  try {
    type = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type ?? 'commonjs';
  } catch (error) {
    if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
    const parent = dirname(dir);
    type = parent === dir ? 'commonjs' : packageType(parent);
  }
  typeByDir.set(dir, type);
  return type;
}

/** Whether Node loads this file as an ES module. */
function isEsModule(filename) {
  if (filename.endsWith('.mjs')) return true;
  if (filename.endsWith('.cjs') || filename.endsWith('.json')) return false;
  return packageType(dirname(filename)) === 'module';
}

/** `import.meta.<name>` → the property name, else undefined. */
function importMetaProperty(node) {
  return ts.isPropertyAccessExpression(node) &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
    ? node.name.text
    : undefined;
}

/** `createRequire(import.meta.url)`, however `createRequire` was imported. */
function isCreateRequireOfThisFile(node) {
  if (!node || !ts.isCallExpression(node) || node.arguments.length !== 1) return false;
  const callee = node.expression;
  const name = ts.isIdentifier(callee)
    ? callee.text
    : ts.isPropertyAccessExpression(callee)
      ? callee.name.text
      : undefined;
  return name === 'createRequire' && importMetaProperty(node.arguments[0]) === 'url';
}

function importMetaToCommonJs(filename) {
  return (context) => {
    const f = context.factory;
    const call = (callee, args) => f.createCallExpression(callee, undefined, args);
    const fileUrl = (path) =>
      f.createPropertyAccessExpression(
        call(
          f.createPropertyAccessExpression(
            call(f.createIdentifier('require'), [f.createStringLiteral('node:url')]),
            'pathToFileURL',
          ),
          [path],
        ),
        'href',
      );
    const fail = (what) => {
      throw new Error(`${filename}: ${what} has no CommonJS equivalent in esm-to-commonjs.js`);
    };

    const visit = (node) => {
      if (ts.isCallExpression(node) && importMetaProperty(node.expression) === 'resolve') {
        const [specifier] = node.arguments.map((argument) => ts.visitNode(argument, visit));
        return fileUrl(
          call(f.createPropertyAccessExpression(f.createIdentifier('require'), 'resolve'), [
            specifier,
          ]),
        );
      }
      const property = importMetaProperty(node);
      if (property === 'url') return fileUrl(f.createIdentifier('__filename'));
      if (property === 'filename') return f.createIdentifier('__filename');
      if (property === 'dirname') return f.createIdentifier('__dirname');
      if (property !== undefined) fail(`import.meta.${property}`);
      if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
        fail('import.meta');
      }
      return ts.visitEachChild(node, visit, context);
    };

    return (sourceFile) => {
      const statements = sourceFile.statements.filter((statement) => {
        if (ts.isExpressionStatement(statement) && ts.isAwaitExpression(statement.expression)) {
          fail('top-level await');
        }
        if (!ts.isVariableStatement(statement)) return true;
        const declarations = statement.declarationList.declarations;
        const clashing = declarations.filter(
          (declaration) =>
            ts.isIdentifier(declaration.name) && COMMONJS_NAMES.has(declaration.name.text),
        );
        if (clashing.length === 0) return true;
        // CommonJS already has this `require`: the module's own.
        const ownRequire =
          declarations.length === 1 &&
          clashing[0].name.text === 'require' &&
          isCreateRequireOfThisFile(clashing[0].initializer);
        if (!ownRequire) fail(`a top-level \`${clashing[0].name.text}\``);
        return false;
      });
      return ts.visitEachChild(f.updateSourceFile(sourceFile, statements), visit, context);
    };
  };
}

const COMPILER_OPTIONS = {
  allowJs: true,
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  sourceMap: true,
  inlineSources: true,
};

module.exports = {
  getCacheKey(sourceText, sourcePath, options) {
    return createHash('sha256')
      .update(OWN_SOURCE)
      .update(ts.version)
      .update(options.configString)
      .update(sourcePath)
      .update(sourceText)
      .digest('hex');
  },

  process(sourceText, sourcePath) {
    if (!isEsModule(sourcePath)) return { code: sourceText };
    const output = ts.transpileModule(sourceText, {
      fileName: sourcePath,
      compilerOptions: COMPILER_OPTIONS,
      transformers: { before: [importMetaToCommonJs(sourcePath)] },
      reportDiagnostics: false,
    });
    return { code: output.outputText, map: output.sourceMapText };
  },
};
