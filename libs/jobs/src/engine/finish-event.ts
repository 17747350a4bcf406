import { JobResult } from '../job-result';
import { JobState } from '../job-state';
import { Claim, Completion } from './job-store';

/** What a finish event carries of the finished job: enough to answer a long poll without a read. */
export interface FinishedJob {
  id: string;
  state: Exclude<JobState, 'waiting' | 'running'>;
  statusCode: number;
  result: JobResult;
  eta: Date;
}

/** The finish event of a run's completion, as a long poll receives it. */
export function finishedJobOf(claim: Claim, completion: Completion, eta: Date): FinishedJob {
  return {
    id: claim.id,
    state: completion.state,
    statusCode: completion.statusCode,
    result: completion.result,
    eta,
  };
}

/**
 * PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more. One notification carries the finish
 * events of a whole completion batch, as a JSON array, within this budget.
 */
export const MAX_NOTIFY_BYTES = 7_900;
/** An event larger than this goes as the id alone: the long poll it wakes reads the job once. */
export const MAX_EVENT_BYTES = 3_900;

/**
 * One job's finish event as JSON text: `["id","state",statusCode,etaMs,result]`, or `"id"` alone
 * when that would not fit `MAX_EVENT_BYTES`. `resultJson` is the result as stored (JSON text).
 */
export function encodeFinished(
  id: string,
  state: FinishedJob['state'],
  statusCode: number,
  eta: Date,
  resultJson: string,
): string {
  const full = `[${JSON.stringify(id)},${JSON.stringify(state)},${statusCode},${eta.getTime()},${resultJson}]`;
  return Buffer.byteLength(full) <= MAX_EVENT_BYTES ? full : JSON.stringify(id);
}

/**
 * The notification of one job finished: its event in an array, or its id alone when its state is
 * not known.
 */
export function finishNotification(jobId: string, finished?: FinishedJob): string {
  const event = finished
    ? encodeFinished(
        jobId,
        finished.state,
        finished.statusCode,
        finished.eta,
        JSON.stringify(finished.result),
      )
    : JSON.stringify(jobId);
  return `[${event}]`;
}

/**
 * Numbers events into notifications: consecutive events share a number while their array stays
 * within `MAX_NOTIFY_BYTES`. Each event is at most `MAX_EVENT_BYTES`, so every subset of a group
 * fits too (the statement sends only the events of the jobs it actually finished).
 */
export function chunkEvents(events: string[]): number[] {
  const chunks: number[] = [];
  let chunk = 0;
  let bytes = 2;
  for (const event of events) {
    const size = Buffer.byteLength(event) + 1;
    if (bytes + size > MAX_NOTIFY_BYTES) {
      chunk += 1;
      bytes = 2;
    }
    bytes += size;
    chunks.push(chunk);
  }
  return chunks;
}

/** A notification's events, one per job: `[id, finished job or undefined]`. */
export function decodeFinished(payload: string): [string, FinishedJob | undefined][] {
  // A bare id: the payload of a worker from before finish events carried the state.
  if (!payload.startsWith('[')) return [[payload, undefined]];
  let items: unknown;
  try {
    items = JSON.parse(payload);
  } catch {
    return [];
  }
  if (!Array.isArray(items)) return [];
  const events: [string, FinishedJob | undefined][] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      events.push([item, undefined]);
    } else if (Array.isArray(item) && typeof item[0] === 'string') {
      const [id, state, statusCode, etaMs, result] = item as [
        string,
        FinishedJob['state'],
        number,
        number,
        JobResult,
      ];
      events.push([id, { id, state, statusCode, eta: new Date(etaMs), result }]);
    }
  }
  return events;
}
