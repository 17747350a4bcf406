import { Claim, Completion } from '../jobs.repository';
import { CompletionBatch } from './completion-batch';

const done: Completion = {
  state: 'processed',
  statusCode: 200,
  result: { kind: 'data', response_data: {} },
};
const claim = (id: string): Claim => ({ id, attempt: 1 });

/** A sender whose statements the test answers one by one. */
function scriptedSender() {
  const sent: { ids: string[]; answer: (finished: string[] | Error) => void }[] = [];
  const send = (batch: { claim: Claim }[]) =>
    new Promise<Set<string>>((resolve, reject) => {
      sent.push({
        ids: batch.map((item) => item.claim.id),
        answer: (finished) =>
          finished instanceof Error ? reject(finished) : resolve(new Set(finished)),
      });
    });
  return { sent, send };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CompletionBatch', () => {
  it('sends the first completion at once and those arriving meanwhile together', async () => {
    const { sent, send } = scriptedSender();
    const batch = new CompletionBatch(send);
    const first = batch.complete(claim('a'), done);
    const second = batch.complete(claim('b'), done);
    const third = batch.complete(claim('c'), done);
    expect(sent.map((s) => s.ids)).toEqual([['a']]);

    sent[0].answer(['a']);
    await expect(first).resolves.toBe(true);
    await settle();
    expect(sent.map((s) => s.ids)).toEqual([['a'], ['b', 'c']]);

    // The fencing held for b only: c's run had lost its lease.
    sent[1].answer(['b']);
    await expect(second).resolves.toBe(true);
    await expect(third).resolves.toBe(false);
  });

  it('fails only the completions of a statement that failed, then carries on', async () => {
    const { sent, send } = scriptedSender();
    const batch = new CompletionBatch(send);
    const lost = batch.complete(claim('a'), done);
    sent[0].answer(new Error('connection reset'));
    await expect(lost).rejects.toThrow('connection reset');

    const next = batch.complete(claim('b'), done);
    await settle();
    expect(sent.map((s) => s.ids)).toEqual([['a'], ['b']]);
    sent[1].answer(['b']);
    await expect(next).resolves.toBe(true);
  });
});
