import { ApiException, ERROR_MESSAGES } from '@app/http';
import { plainToInstance } from 'class-transformer';
import { IsInt, IsString, validate } from 'class-validator';
import { QueryFailedError } from 'typeorm';
import { JobFailure, TransientJobError } from './job-outcome';
import { judgeError, retryDelayMs } from './job-verdict';

class PatientDto {
  @IsString()
  name: string;

  @IsInt()
  age: number;
}

const withCode = (message: string, code: string): Error =>
  Object.assign(new Error(message), { code });

describe('judgeError', () => {
  describe('a refusal fails the job with its status and error', () => {
    it.each([
      ['conflict', JobFailure.conflict('Епізод уже закрито.'), 409, 'request_conflict'],
      ['forbidden', JobFailure.forbidden('Not your patient.'), 403, 'forbidden'],
      ['notFound', JobFailure.notFound('Patient not found.'), 404, 'not_found'],
    ])('JobFailure.%s', (_, failure, statusCode, type) => {
      expect(judgeError(failure)).toEqual({
        kind: 'failed',
        statusCode,
        error: { type, message: failure.message },
      });
    });

    it('JobFailure.validation keeps its invalid entries', () => {
      const invalid = [
        {
          entry_type: 'json_data_property' as const,
          entry: '$.period.start',
          rules: [{ rule: 'required', params: [] }],
        },
      ];
      expect(judgeError(JobFailure.validation(invalid))).toEqual({
        kind: 'failed',
        statusCode: 422,
        error: { type: 'validation_failed', message: ERROR_MESSAGES.validationFailed, invalid },
      });
    });
  });

  it('fails class-validator errors with 422 validation_failed in the contract shape', async () => {
    const errors = await validate(plainToInstance(PatientDto, { name: 5, age: 'old' }));
    expect(errors).toHaveLength(2);

    expect(judgeError(errors)).toEqual({
      kind: 'failed',
      statusCode: 422,
      error: {
        type: 'validation_failed',
        message: ERROR_MESSAGES.validationFailed,
        invalid: [
          {
            entry_type: 'json_data_property',
            entry: '$.name',
            rules: [{ rule: 'cast', params: ['string'], description: 'name must be a string' }],
          },
          {
            entry_type: 'json_data_property',
            entry: '$.age',
            rules: [
              { rule: 'cast', params: ['integer'], description: 'age must be an integer number' },
            ],
          },
        ],
      },
    });
  });

  it('fails a 4xx ApiException with its status and body', () => {
    expect(judgeError(new ApiException('forbidden', 'No access to this legal entity.'))).toEqual({
      kind: 'failed',
      statusCode: 403,
      error: { type: 'forbidden', message: 'No access to this legal entity.' },
    });
    expect(judgeError(ApiException.notFound('No such patient.'))).toEqual({
      kind: 'failed',
      statusCode: 404,
      error: { type: 'not_found', message: 'No such patient.' },
    });
  });

  describe('a condition that passes is transient', () => {
    class WrappedQueryError extends Error {
      constructor(readonly driverError: Error) {
        super('query failed');
      }
    }

    it.each<[string, unknown]>([
      ['TransientJobError', new TransientJobError('registry is down')],
      ['ECONNREFUSED', withCode('connect failed 127.0.0.1:5432', 'ECONNREFUSED')],
      ['PostgreSQL serialization failure 40001', withCode('could not serialize', '40001')],
      ['a TimeoutError', Object.assign(new Error('took too long'), { name: 'TimeoutError' })],
      [
        'a TypeORM-like error whose driverError is 57P01 (admin shutdown)',
        new WrappedQueryError(withCode('terminating due to administrator command', '57P01')),
      ],
      [
        "TypeORM's QueryFailedError around a 40P01 deadlock",
        new QueryFailedError('UPDATE jobs SET ...', [], withCode('deadlock detected', '40P01')),
      ],
    ])('%s', (_, error) => {
      expect(judgeError(error)).toEqual({ kind: 'transient' });
    });
  });

  describe('anything else is a crash', () => {
    it.each<[string, unknown]>([
      ['a plain Error', new Error('Cannot read properties of undefined')],
      ['a thrown string', 'boom'],
      ['undefined', undefined],
      ['an empty array', []],
      ['an Error with a non-transient SQLSTATE', withCode('duplicate key value', '23505')],
      ['a 500 ApiException', new ApiException('internal_error', 'Something went wrong.')],
    ])('%s', (_, error) => {
      expect(judgeError(error)).toEqual({ kind: 'crashed' });
    });
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 500],
    [2, 1_000],
    [3, 2_000],
  ])('attempt %i waits %i ms at the lowest jitter', (attempt, ms) => {
    expect(retryDelayMs(attempt, () => 0)).toBe(ms);
  });

  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
  ])('attempt %i waits %i ms at the highest jitter', (attempt, ms) => {
    expect(retryDelayMs(attempt, () => 1)).toBe(ms);
  });

  it('never waits more than 5 minutes', () => {
    expect(retryDelayMs(30, () => 1)).toBe(300_000);
    expect(retryDelayMs(1_000, () => 1)).toBe(300_000);
  });

  it('always waits at least half its ceiling', () => {
    // ceilings 1 s, 2 s, 4 s, 8 s, then 5 minutes once 2^(attempt-1) s passes it
    const ceilings: [number, number][] = [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [4, 8_000],
      [10, 300_000],
      [30, 300_000],
    ];
    for (const [attempt, ceiling] of ceilings) {
      for (const r of [0, 0.01, 0.25, 0.5, 0.99]) {
        const delay = retryDelayMs(attempt, () => r);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});
