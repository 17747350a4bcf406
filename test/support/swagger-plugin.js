/**
 * The @nestjs/swagger compiler plugin for ts-jest, with the options `nest build` uses (read from
 * `nest-cli.json`), so the tests see the OpenAPI document the built service serves.
 */
const plugin = require('@nestjs/swagger/plugin');
const { compilerOptions } = require('../../nest-cli.json');

const options = compilerOptions.plugins.find((entry) => entry.name === '@nestjs/swagger').options;

module.exports = {
  name: 'nestjs-swagger-plugin',
  version: 1,
  factory: (compiler) => plugin.before(options, compiler.program),
};
