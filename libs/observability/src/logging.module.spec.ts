import { prettyTransport } from './logging.module';

describe('prettyTransport', () => {
  const development = { nodeEnv: 'development' as const };
  const found = (name: string) => `/node_modules/${name}/index.js`;
  const missing = (name: string): string => {
    throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
  };

  it('prettifies for a person at a development terminal, with the resolved prettifier', () => {
    expect(prettyTransport(development, {}, true, found)).toEqual({
      target: '/node_modules/pino-pretty/index.js',
      options: { singleLine: true, colorize: true },
    });
  });

  it('writes JSON when the prettifier is missing, so the start never depends on it', () => {
    expect(prettyTransport(development, {}, true, missing)).toBeUndefined();
  });

  it.each([
    ['production', { nodeEnv: 'production' as const }, true, {}],
    ['test', { nodeEnv: 'test' as const }, true, {}],
    ['output piped', development, false, {}],
    ['a stream of its own', development, true, { stream: { write: () => undefined } }],
  ])('writes JSON in %s', (_, config, isTerminal, options) => {
    expect(prettyTransport(config, options, isTerminal, found)).toBeUndefined();
  });
});
