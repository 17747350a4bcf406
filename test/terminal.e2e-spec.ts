import { ServiceProcess, startServiceProcess } from './support/service-process';

/**
 * A person types `npm start` in a terminal: the service's output is a pseudo-terminal, not a pipe,
 * and in development the logs are meant for reading.
 */
describe('the service started in a terminal', () => {
  let service: ServiceProcess | undefined;
  afterEach(() => service?.close(), 30_000);

  it('comes up, answers, and writes readable lines rather than JSON', async () => {
    service = await startServiceProcess({
      entry: 'api',
      terminal: true,
      env: { NODE_ENV: 'development', DATABASE_URL: undefined },
    });
    const live = await fetch(`${service.baseUrl}/health/live`);
    expect(live.status).toBe(200);

    const listening = await service.line(/Listening on http:\/\//);
    expect(listening.trimStart().startsWith('{')).toBe(false);
    expect(service.output()).not.toMatch(/unable to determine transport target/);
  }, 120_000);

  it('stops on SIGTERM (Ctrl-C sends SIGINT; both close it cleanly)', async () => {
    service = await startServiceProcess({
      entry: 'api',
      terminal: true,
      env: { NODE_ENV: 'development', DATABASE_URL: undefined },
    });
    service.signal('SIGINT');
    expect(await service.exited).toBe(0);
  }, 120_000);
});
