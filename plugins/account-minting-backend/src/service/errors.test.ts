import { ConflictError, NotFoundError } from '@backstage/errors';
import { Request, Response } from 'express';
import { answerOf, errorHandler, INTERNAL_ERROR_MESSAGE } from './errors';

/** Runs the handler on an error; returns what it answered and logged. */
function handle(error: unknown) {
  const logger = { error: jest.fn() };
  const res = {
    headersSent: false,
    status: jest.fn().mockReturnThis(),
    json: jest.fn().mockReturnThis(),
  };
  const req = { method: 'GET', originalUrl: '/api/account-minting/runs' };
  const next = jest.fn();
  errorHandler(logger)(
    error,
    req as unknown as Request,
    res as unknown as Response,
    next,
  );
  return {
    status: res.status.mock.calls[0]?.[0],
    body: res.json.mock.calls[0]?.[0],
    logged: logger.error.mock.calls,
    next,
  };
}

describe('errorHandler', () => {
  it('logs an internal error with its cause and answers only that there was one', () => {
    const cause = new Error('no such table: findings at /work/main/x.ts:1:2');
    const { status, body, logged } = handle(cause);
    expect(status).toBe(500);
    expect(body).toEqual({
      error: { name: 'Error', message: INTERNAL_ERROR_MESSAGE },
      request: { method: 'GET', url: '/api/account-minting/runs' },
      response: { statusCode: 500 },
    });
    expect(logged).toEqual([[expect.stringContaining('GET'), cause]]);
  });

  it("answers the caller's errors with their name and message, unlogged", () => {
    const { status, body, logged } = handle(new ConflictError('run r is done'));
    expect(status).toBe(409);
    expect(body.error).toEqual({
      name: 'ConflictError',
      message: 'run r is done',
    });
    expect(body.error.stack).toBeUndefined();
    expect(logged).toEqual([]);
  });

  it('leaves an error after the answer started to the backend', () => {
    const logger = { error: jest.fn() };
    const next = jest.fn();
    const error = new Error('late');
    errorHandler(logger)(
      error,
      {} as Request,
      { headersSent: true } as unknown as Response,
      next,
    );
    expect(next).toHaveBeenCalledWith(error);
  });

  it('cuts a long message, and answers what is not an error as internal', () => {
    expect(
      answerOf(new NotFoundError('x'.repeat(5000))).message.length,
    ).toBeLessThanOrEqual(1001);
    expect(answerOf('a string')).toEqual({
      status: 500,
      name: 'Error',
      message: INTERNAL_ERROR_MESSAGE,
    });
  });
});
