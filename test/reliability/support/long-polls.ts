import { JobWaiters } from '@app/jobs';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AddressInfo } from 'node:net';
import { Agent } from 'node:http';
import { waitFor } from '../../support/wait-for';
import { Answer } from './contract-answer';
import { socketRequest } from './send-request';

/** Listens on an ephemeral port of 127.0.0.1 (real sockets, not `inject`) and returns the port. */
export async function listenLocally(app: NestFastifyApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}

/** Requests, long polls above all, over real sockets: one socket each. */
export class LongPolls {
  readonly agent = new Agent({ keepAlive: false, maxSockets: Infinity });

  constructor(
    private readonly app: NestFastifyApplication,
    private readonly port: number,
  ) {}

  /** The answer of `GET /api/jobs/{jobId}`, sent with `Prefer: wait=N` when `waitSeconds` is given. */
  poll(jobId: string, token: string, waitSeconds?: number): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (waitSeconds) headers.prefer = `wait=${waitSeconds}`;
    return this.get(`/api/jobs/${jobId}`, '/api/jobs/:id', headers);
  }

  /** A GET of `path` (whose route pattern is `route`) on a socket of its own. */
  get(path: string, route: string, headers: Record<string, string> = {}): Promise<Answer> {
    return socketRequest(this.port, this.agent, {
      route: { method: 'GET', url: route },
      method: 'GET',
      url: path,
      headers,
    });
  }

  /** How many long polls the service holds right now. */
  get held(): number {
    return this.app.get(JobWaiters).count;
  }

  /** Waits until the service holds exactly `count` long polls. */
  async untilHeld(count: number, ms = 30_000): Promise<void> {
    await waitFor(async () => (this.held === count ? count : undefined), ms).catch(() => {
      throw new Error(`Waited ${ms} ms for ${count} long polls to be held; ${this.held} are`);
    });
  }

  /**
   * Opens `count` long polls, `batch` at a time, each batch once the service holds the previous
   * (a connection storm beyond the listen backlog only measures the kernel's SYN retries).
   */
  async hold(count: number, batch: number, open: (i: number) => Promise<Answer>) {
    const answers: Promise<Answer>[] = [];
    const base = this.held;
    while (answers.length < count) {
      const size = Math.min(batch, count - answers.length);
      for (let i = 0; i < size; i++) {
        const answer = open(answers.length);
        // Should the test fail early, the sockets it leaves must not fail the run a second time.
        answer.catch(() => undefined);
        answers.push(answer);
      }
      await this.untilHeld(base + answers.length);
    }
    return answers;
  }

  close(): void {
    this.agent.destroy();
  }
}
