import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  ErrorResponseBody,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
  AuthenticationError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { clip } from '@regional-minting/plugin-account-minting-common';
import { ErrorRequestHandler, Request } from 'express';

/** What a 500 says: the real error is in the backend's log, not in the answer. */
export const INTERNAL_ERROR_MESSAGE = 'internal error, see the backend log';

/** The largest request body the API reads. */
export const BODY_LIMIT = '1mb';

/** Messages longer than this are cut: no message repeats a large input. */
const MAX_MESSAGE_CHARS = 1000;
/** The request's URL in an error body is cut to this many characters. */
const MAX_URL_CHARS = 200;

/** Errors of Backstage's own kinds, whose status and message are meant for the caller. */
const STATUS_BY_NAME: Record<string, number> = {
  [NotModifiedError.name]: 304,
  [InputError.name]: 400,
  [AuthenticationError.name]: 401,
  [NotAllowedError.name]: 403,
  [NotFoundError.name]: 404,
  [ConflictError.name]: 409,
  [NotImplementedError.name]: 501,
  [ServiceUnavailableError.name]: 503,
};

/** The status of an error, as Backstage's error handler finds it. */
function statusOf(error: Error): number {
  for (const field of ['statusCode', 'status'] as const) {
    const status = (error as unknown as Record<string, unknown>)[field];
    if (
      typeof status === 'number' &&
      Number.isInteger(status) &&
      status >= 100 &&
      status <= 599
    ) {
      return status;
    }
  }
  return STATUS_BY_NAME[error.name] ?? 500;
}

/** What an error of express.json (body-parser) says, by its type: none repeats the body. */
function bodyError(
  error: Error & { type?: unknown },
  status: number,
): { status: number; name: string; message: string } | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return {
        status: 400,
        name: InputError.name,
        message: 'body: not valid JSON; send a JSON object',
      };
    case 'entity.too.large':
      return {
        status: 413,
        name: 'PayloadTooLargeError',
        message: `body: larger than the ${BODY_LIMIT} a request may carry`,
      };
    case 'charset.unsupported':
      return {
        status: 415,
        name: 'UnsupportedMediaTypeError',
        message: 'body: JSON must be sent in UTF-8',
      };
    case 'encoding.unsupported':
      return {
        status: 415,
        name: 'UnsupportedMediaTypeError',
        message:
          'body: unsupported Content-Encoding; send it as is, gzip or deflate',
      };
    case 'request.size.invalid':
    case 'request.aborted':
      return {
        status: 400,
        name: InputError.name,
        message: 'body: not received whole (Content-Length does not match)',
      };
    default:
      if (typeof error.type === 'string' && status >= 400 && status < 500) {
        return {
          status,
          name: InputError.name,
          message: `body: ${error.message}`,
        };
      }
      return undefined;
  }
}

/** What the caller is told of an error; a 500 says nothing of its cause. */
export function answerOf(raw: unknown): {
  status: number;
  name: string;
  message: string;
} {
  if (!isError(raw)) {
    return { status: 500, name: 'Error', message: INTERNAL_ERROR_MESSAGE };
  }
  const error = raw as Error & { type?: unknown };
  const status = statusOf(error);
  const fromBody = bodyError(error, status);
  if (fromBody) return fromBody;
  if (error instanceof URIError && status === 400) {
    // express could not decode a path parameter.
    return {
      status,
      name: InputError.name,
      message: 'path: a parameter is not valid percent-encoding',
    };
  }
  if (status >= 500 && STATUS_BY_NAME[error.name] !== status) {
    return { status: 500, name: 'Error', message: INTERNAL_ERROR_MESSAGE };
  }
  return {
    status,
    name: clip(error.name || 'Error', 100),
    message: clip(error.message || '<no reason given>', MAX_MESSAGE_CHARS),
  };
}

/** Backstage's error body, with no stack trace or server path in it. */
export function errorBody(
  req: Request,
  answer: { status: number; name: string; message: string },
): ErrorResponseBody {
  return {
    error: { name: answer.name, message: answer.message },
    request: {
      method: req.method,
      url: clip(req.originalUrl ?? req.url, MAX_URL_CHARS),
    },
    response: { statusCode: answer.status },
  };
}

/**
 * The API's error handler: every error gets Backstage's error body (ErrorResponse)
 * without a stack, whatever the backend's NODE_ENV; a 500 is logged with its
 * cause and tells the caller only to look there.
 */
export function errorHandler(
  logger: Pick<LoggerService, 'error'>,
): ErrorRequestHandler {
  return (raw, req, res, next) => {
    if (res.headersSent) {
      // Too late for an answer: the backend's handler logs it and ends the response.
      next(raw);
      return;
    }
    const answer = answerOf(raw);
    if (answer.status >= 500) {
      logger.error(
        `account-minting: ${req.method} ${clip(
          req.originalUrl ?? req.url,
          MAX_URL_CHARS,
        )} failed`,
        isError(raw) ? (raw as Error) : new Error(String(raw)),
      );
    }
    res.status(answer.status).json(errorBody(req, answer));
  };
}
