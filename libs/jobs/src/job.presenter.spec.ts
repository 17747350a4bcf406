import { ErrorBody, ErrorType } from '@app/http';
import { Job } from './job.entity';
import { JobResult } from './job-result';
import { JobState } from './job-state';
import { jobHref, presentJob, retryAfterSeconds } from './job.presenter';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const ETA = new Date('2024-05-01T12:00:30.250Z');

function jobWith(
  state: JobState,
  result: JobResult | null = null,
  statusCode: number | null = null,
): Job {
  return Object.assign(new Job(), {
    id: 'NBXk9EyErUZv1RhXgyvgg',
    type: 'encounter_package',
    clientId: 'client-a',
    state,
    statusCode,
    payload: {},
    result,
    eta: ETA,
    dedupeKey: null,
    attempts: 0,
  });
}

const secondsAfter = (date: Date, seconds: number): Date =>
  new Date(date.getTime() + seconds * 1000);

describe('presentJob', () => {
  describe.each<JobState>(['waiting', 'running'])('a %s job', (state) => {
    const view = presentJob(jobWith(state), NOW);

    it('answers 200 pending with a link to the job itself', () => {
      expect(view.httpStatus).toBe(200);
      expect(view.data).toEqual({
        status: 'pending',
        eta: '2024-05-01T12:00:30.250Z',
        links: [{ entity: 'job', href: '/api/jobs/NBXk9EyErUZv1RhXgyvgg' }],
      });
    });

    it('carries no status_code', () => {
      expect(view.data).not.toHaveProperty('status_code');
    });

    it('sends Retry-After from the eta and forbids caching', () => {
      // eta is 30.25 s ahead: whole seconds, rounded up
      expect(view.headers).toEqual({ 'retry-after': '31', 'cache-control': 'no-store' });
    });
  });

  it('answers a processed job whose result is links with 303 to the first link', () => {
    const links = [
      { entity: 'encounter', href: '/api/patients/p1/encounters/e1' },
      { entity: 'episode', href: '/api/patients/p1/episodes/x9' },
    ];
    const view = presentJob(jobWith('processed', { kind: 'links', links }, 200), NOW);

    expect(view.httpStatus).toBe(303);
    expect(view.headers).toEqual({ location: '/api/patients/p1/encounters/e1' });
    expect(view.data).toEqual({
      status: 'processed',
      status_code: 200,
      eta: '2024-05-01T12:00:30.250Z',
      links,
    });
  });

  it.each<[string, Record<string, unknown> | string]>([
    ['an object', { declaration: { id: 'd-1' }, count: 2 }],
    ['a string', 'signed'],
  ])('answers a processed job whose result is %s with 200 and response_data', (_, responseData) => {
    const view = presentJob(
      jobWith('processed', { kind: 'data', response_data: responseData }, 200),
      NOW,
    );

    expect(view.httpStatus).toBe(200);
    expect(view.headers).toEqual({});
    expect(view.data).toEqual({
      status: 'processed',
      status_code: 200,
      eta: '2024-05-01T12:00:30.250Z',
      response_data: responseData,
    });
  });

  it('answers a job failed with 422 with 200 and the stored validation error', () => {
    const error: ErrorBody = {
      type: 'validation_failed',
      message: 'Validation failed.',
      invalid: [
        {
          entry_type: 'json_data_property' as const,
          entry: '$.encounter.period.start',
          rules: [
            {
              rule: 'required',
              params: [],
              description: 'required property start was not present',
            },
          ],
        },
      ],
    };
    const view = presentJob(jobWith('failed', { kind: 'error', error }, 422), NOW);

    expect(view.httpStatus).toBe(200);
    expect(view.headers).toEqual({});
    expect(view.data).toEqual({
      status: 'failed',
      status_code: 422,
      eta: '2024-05-01T12:00:30.250Z',
      error,
    });
  });

  it.each<[number, ErrorType, string]>([
    [409, 'request_conflict', 'The episode is closed.'],
    [403, 'forbidden', 'The legal entity is not active.'],
    [404, 'not_found', 'Patient not found.'],
  ])(
    'answers a job failed with %i with 200, that status_code and its error',
    (code, type, message) => {
      const view = presentJob(
        jobWith('failed', { kind: 'error', error: { type, message } }, code),
        NOW,
      );

      expect(view.httpStatus).toBe(200);
      expect(view.data).toEqual({
        status: 'failed',
        status_code: code,
        eta: '2024-05-01T12:00:30.250Z',
        error: { type, message },
      });
    },
  );

  it('answers a crashed job as failed_with_error 500 with its stored internal error', () => {
    const error: ErrorBody = {
      type: 'internal_error',
      message: 'Something went wrong. Error id: abc.',
    };
    const view = presentJob(jobWith('failed_with_error', { kind: 'error', error }, 500), NOW);

    expect(view.httpStatus).toBe(200);
    expect(view.data).toEqual({
      status: 'failed_with_error',
      status_code: 500,
      eta: '2024-05-01T12:00:30.250Z',
      error,
    });
  });

  it('gives the eta as ISO 8601 UTC with milliseconds even when they are zero', () => {
    const job = Object.assign(jobWith('waiting'), {
      eta: new Date(Date.UTC(2018, 7, 2, 10, 45, 16)),
    });

    expect(presentJob(job, NOW).data.eta).toBe('2018-08-02T10:45:16.000Z');
  });

  it('defaults the status_code of a processed job without one to 200', () => {
    const view = presentJob(jobWith('processed', { kind: 'data', response_data: 'ok' }, null), NOW);

    expect(view.data).toMatchObject({ status_code: 200 });
  });

  it.each<[string, JobState, JobResult | null]>([
    ['processed with no result', 'processed', null],
    [
      'processed with an error',
      'processed',
      { kind: 'error', error: { type: 'not_found', message: 'x' } },
    ],
    ['processed with an empty list of links', 'processed', { kind: 'links', links: [] }],
    ['failed with data', 'failed', { kind: 'data', response_data: 'x' }],
    ['failed with links', 'failed', { kind: 'links', links: [{ entity: 'a', href: '/a' }] }],
    ['failed_with_error with no result', 'failed_with_error', null],
  ])('throws for a job %s, whose stored result does not fit its state', (_, state, result) => {
    expect(() => presentJob(jobWith(state, result, 200), NOW)).toThrow(/does not fit/);
  });
});

describe('retryAfterSeconds', () => {
  it('rounds a partial second up', () => {
    expect(retryAfterSeconds(secondsAfter(NOW, 4.001), NOW)).toBe(5);
  });

  it('keeps whole seconds as they are', () => {
    expect(retryAfterSeconds(secondsAfter(NOW, 17), NOW)).toBe(17);
  });

  it.each([
    ['an eta already past', -120],
    ['an eta equal to now', 0],
  ])('answers at least 1 second for %s', (_, offset) => {
    expect(retryAfterSeconds(secondsAfter(NOW, offset), NOW)).toBe(1);
  });

  it('answers at most 60 seconds for a far eta', () => {
    expect(retryAfterSeconds(secondsAfter(NOW, 60_000), NOW)).toBe(60);
  });

  it('answers 60 exactly at the upper edge and 60 for 59.5 seconds', () => {
    expect(retryAfterSeconds(secondsAfter(NOW, 60), NOW)).toBe(60);
    expect(retryAfterSeconds(secondsAfter(NOW, 59.5), NOW)).toBe(60);
  });
});

describe('jobHref', () => {
  it('points at the job status route', () => {
    expect(jobHref('abc_DEF-123')).toBe('/api/jobs/abc_DEF-123');
  });
});
