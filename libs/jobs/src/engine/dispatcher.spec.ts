import { ClaimedJob, CycleResult, QueuedCompletion } from './job-store';
import { Dispatcher } from './dispatcher';

const job = (id: string): ClaimedJob => ({
  id,
  type: 'test',
  clientId: 'c',
  payload: {},
  attempts: 1,
  attemptBase: 0,
  eta: new Date(0),
});
const completion = (id: string): QueuedCompletion => ({
  claim: { id, attempt: 1 },
  completion: { state: 'processed', statusCode: 200, result: { kind: 'data', response_data: {} } },
  eta: new Date(0),
  event: JSON.stringify(id),
});

/** A sender whose statements the test answers one by one. */
function scripted() {
  const sent: {
    completions: string[];
    limit: number;
    answer: (result: Partial<CycleResult> | Error) => void;
  }[] = [];
  const send = (completions: QueuedCompletion[], limit: number) =>
    new Promise<CycleResult>((resolve, reject) => {
      sent.push({
        completions: completions.map((item) => item.claim.id),
        limit,
        answer: (result) =>
          result instanceof Error
            ? reject(result)
            : resolve({ finished: new Set(), jobs: [], reclaimed: 0, ...result }),
      });
    });
  return { sent, send };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('Dispatcher', () => {
  it('sends one statement at a time: completions that arrive meanwhile and the freed slots go with the next', async () => {
    const { sent, send } = scripted();
    const launched: string[] = [];
    const dispatcher = new Dispatcher(2, send, { launch: (j) => launched.push(j.id) });
    dispatcher.start();
    await turn();
    expect(sent.map(({ completions, limit }) => ({ completions, limit }))).toEqual([
      { completions: [], limit: 2 },
    ]);
    sent[0].answer({ jobs: [job('a'), job('b')] });
    await turn();
    expect(launched).toEqual(['a', 'b']);
    // Both slots are busy: nothing to claim, no statement.
    await turn();
    expect(sent).toHaveLength(1);

    // Both handlers return: their slots free before their completions are sent.
    const a = dispatcher.complete(completion('a'));
    dispatcher.release(1);
    const b = dispatcher.complete(completion('b'));
    dispatcher.release(1);
    await turn();
    expect(sent).toHaveLength(2);
    expect(sent[1].completions).toEqual(['a', 'b']);
    expect(sent[1].limit).toBeGreaterThanOrEqual(2);
    // The fencing held for a only.
    sent[1].answer({ finished: new Set(['a']) });
    await expect(a).resolves.toBe(true);
    await expect(b).resolves.toBe(false);
  });

  it('never runs more handlers than its concurrency; jobs claimed ahead wait for a slot', async () => {
    const { sent, send } = scripted();
    const launched: string[] = [];
    const dispatcher = new Dispatcher(1, send, { launch: (j) => launched.push(j.id) });
    dispatcher.start();
    await turn();
    sent[0].answer({ jobs: [job('a'), job('b'), job('c')] });
    await turn();
    expect(launched).toEqual(['a']);
    expect(dispatcher.waiting.map((j) => j.id)).toEqual(['b', 'c']);
    dispatcher.release(1);
    expect(launched).toEqual(['a', 'b']);
    dispatcher.release(1);
    expect(launched).toEqual(['a', 'b', 'c']);
    expect(dispatcher.waiting).toEqual([]);
  });

  it('claims ahead only for runs shorter than a round trip, as many as the slots finish in one', async () => {
    const { sent, send } = scripted();
    const dispatcher = new Dispatcher(4, send, { launch: () => undefined });
    expect(dispatcher.ahead).toBe(0);
    dispatcher.start();
    await turn();
    // A round trip of some milliseconds.
    await new Promise((resolve) => setTimeout(resolve, 20));
    sent[0].answer({ jobs: [job('a')] });
    await turn();
    dispatcher.release(1_000);
    expect(dispatcher.ahead).toBe(0);
    const fast = new Dispatcher(4, send, { launch: () => undefined });
    fast.start();
    await turn();
    await new Promise((resolve) => setTimeout(resolve, 20));
    sent[sent.length - 1].answer({ jobs: [job('b')] });
    await turn();
    fast.release(0.5);
    expect(fast.ahead).toBeGreaterThanOrEqual(4 * 10);
    expect(fast.ahead).toBeLessThanOrEqual(500);
  });

  it('rejects the completions of a statement that failed, then carries on', async () => {
    const { sent, send } = scripted();
    const failed: unknown[] = [];
    const dispatcher = new Dispatcher(1, send, {
      launch: () => undefined,
      failed: (error) => failed.push(error),
    });
    const lost = dispatcher.complete(completion('a'));
    await turn();
    sent[0].answer(new Error('connection reset'));
    await expect(lost).rejects.toThrow('connection reset');
    expect(failed).toHaveLength(1);
    const next = dispatcher.complete(completion('b'));
    await turn();
    expect(sent[1].completions).toEqual(['b']);
    sent[1].answer({ finished: new Set(['b']) });
    await expect(next).resolves.toBe(true);
  });

  it('once claiming stops: starts nothing more, still sends completions, hands back what it claimed', async () => {
    const { sent, send } = scripted();
    const launched: string[] = [];
    const dispatcher = new Dispatcher(1, send, { launch: (j) => launched.push(j.id) });
    dispatcher.start();
    await turn();
    dispatcher.stopClaiming();
    // The claim in flight still brings jobs: they are not started.
    sent[0].answer({ jobs: [job('a'), job('b')] });
    await turn();
    expect(launched).toEqual([]);
    const done = dispatcher.complete(completion('z'));
    await turn();
    expect(sent[1]).toMatchObject({ completions: ['z'], limit: 0 });
    let settled = false;
    void dispatcher.settled().then(() => (settled = true));
    await turn();
    expect(settled).toBe(false);
    sent[1].answer({ finished: new Set(['z']) });
    await expect(done).resolves.toBe(true);
    await turn();
    expect(settled).toBe(true);
    expect(dispatcher.takeQueued().map((j) => j.id)).toEqual(['a', 'b']);
    expect(dispatcher.waiting).toEqual([]);
  });
});
