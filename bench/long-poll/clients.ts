/**
 * The clients of the long-poll benchmark: each asks for its own job until it has finished, either
 * holding each request open (`Prefer: wait=N`) or asking again every second.
 */
import { sleep } from '../engine/bench-database';

export type Mode = 'long-poll' | 'polling';

export interface ClientRun {
  url: string;
  token: string;
  mode: Mode;
  waitSeconds: number;
}

/** Asks until the job is no longer pending; resolves with the number of requests it took. */
export async function followJob(run: ClientRun, jobId: string): Promise<number> {
  const headers: Record<string, string> = { authorization: `Bearer ${run.token}` };
  if (run.mode === 'long-poll') headers.prefer = `wait=${run.waitSeconds}`;
  for (let requests = 1; ; requests++) {
    const res = await fetch(`${run.url}/api/jobs/${jobId}`, { headers, redirect: 'manual' });
    const body = (await res.json()) as { data?: { status?: string } };
    if (res.status !== 200) throw new Error(`GET ${jobId} answered ${res.status}`);
    if (body.data?.status !== 'pending') return requests;
    if (run.mode === 'polling') await sleep(1_000);
  }
}
