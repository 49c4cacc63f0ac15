import { isServerUnreachable } from '../../src/client/server-unreachable';

describe('isServerUnreachable', () => {
  it.each([
    ['a gRPC UNAVAILABLE status', Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 })],
    ['a deadline that passed', Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 })],
    ['a connection error', Object.assign(new Error('Failed to connect before the deadline'), { name: 'ConnectionError' })],
    ['an unavailable status under a service error', Object.assign(new Error('Failed to query workflow'), { cause: Object.assign(new Error('unavailable'), { code: 14 }) })],
    ['a refused socket in the message', new Error('connect ECONNREFUSED 127.0.0.1:7233')],
  ])('says yes for %s', (_, error) => {
    expect(isServerUnreachable(error)).toBe(true);
  });

  it.each([
    ['a workflow that failed', new Error('Workflow execution failed')],
    ['a not-found status', Object.assign(new Error('5 NOT_FOUND: workflow not found'), { code: 5 })],
    ['no error at all', undefined],
  ])('says no for %s', (_, error) => {
    expect(isServerUnreachable(error)).toBe(false);
  });
});
