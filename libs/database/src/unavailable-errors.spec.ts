import { isDatabaseUnavailable } from './unavailable-errors';

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a statement cancelled by statement_timeout', { code: '57014' }],
    ['a connection that answered nothing within query_timeout', new Error('Query read timeout')],
    ['a refused connection', { code: 'ECONNREFUSED' }],
    ['a lost connection, wrapped by the driver', { driverError: { code: '08006' } }],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', { code: '23505' }],
    ['a syntax error', { code: '42601' }],
    ['a bug', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
