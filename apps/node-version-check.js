'use strict';

/*
 * The Node.js versions the service runs on, checked before anything else is loaded: `npm start` runs
 * this file first, and every entry point (apps/api/src/main.ts, apps/worker/src/main.ts, the token
 * command) imports it first. On another version it prints one line naming the versions needed and
 * exits 1, instead of failing deep inside a package.
 *
 * Why these versions (package.json "engines" says the same): NestJS 12 and jose 6 are ES modules,
 * which this CommonJS build loads with require(), unflagged from Node.js 20.19 and 22.12; TypeORM 1
 * declares ^20.19.0 || ^22.13.0 || >=24.11.0 and @nestjs/typeorm 12 >=20.19.0; configuration reads
 * .env with process.loadEnvFile (20.12).
 *
 * Plain CommonJS in old syntax on purpose: it must parse and run on any Node.js.
 */

/** Per major version, the first minor supported; a major not listed is unsupported below 25. */
var FIRST_SUPPORTED_MINOR = { 20: 19, 22: 13, 24: 11 };
var FIRST_UNLISTED_SUPPORTED_MAJOR = 25;

var REQUIREMENT = 'Node.js 20.19 or later on 20.x, 22.13 or later on 22.x, or 24.11 or later';

/** Whether the service runs on this Node.js version ("20.19.0" or "v20.19.0"). */
function isSupportedNode(version) {
  var match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(version));
  if (!match) return false;
  var major = Number(match[1]);
  var minor = Number(match[2]);
  if (major >= FIRST_UNLISTED_SUPPORTED_MAJOR) return true;
  var firstMinor = FIRST_SUPPORTED_MINOR[major];
  return firstMinor !== undefined && minor >= firstMinor;
}

/** The one line printed on an unsupported version, or null when the version is supported. */
function unsupportedNodeMessage(version) {
  return isSupportedNode(version)
    ? null
    : 'The MIS jobs service needs ' + REQUIREMENT + '; this is Node.js ' + version + '.';
}

/** Prints the line and exits 1 when `version` is unsupported; does nothing otherwise. */
function exitUnlessSupported(version) {
  var message = unsupportedNodeMessage(version);
  if (message === null) return;
  process.stderr.write(message + '\n');
  process.exit(1);
}

module.exports = {
  isSupportedNode: isSupportedNode,
  unsupportedNodeMessage: unsupportedNodeMessage,
  exitUnlessSupported: exitUnlessSupported,
};

exitUnlessSupported(process.versions.node);
