import { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError } from '../../errors';
import type { Sandbox } from '../../Sandbox';
import { requestCredentials } from '../../sigv4';
import { s3Errors } from './errors';
import { S3OperationName, S3Outputs } from './operations';
import { errorResponse, S3HttpResponse, successResponse } from './responses';
import { routeRequest } from './routing';
import { s3Service } from './service';

/** The path as the client sent it: `new URL` would resolve `.` and `..` segments, which are part of S3 keys. */
function rawPathOf(req: IncomingMessage, url: URL): string {
  const target = req.url ?? '/';
  return target.startsWith('/') ? target.split('?', 1)[0] : url.pathname;
}

function write(
  res: ServerResponse,
  response: S3HttpResponse,
  requestId: string,
) {
  const headers: Record<string, string | number> = {
    ...response.headers,
    'x-amz-request-id': requestId,
  };
  // A 204 has no Content-Length; a HEAD answer has no body but the length GET would send.
  if (response.status !== 204) {
    headers['content-length'] =
      response.body !== undefined
        ? Buffer.byteLength(response.body)
        : Number(response.headers['content-length'] ?? 0);
  }
  res.writeHead(response.status, headers);
  res.end(response.body);
}

/**
 * Answers an S3 request (path-style REST/XML): maps it to an operation, runs that
 * through the sandbox's pipeline (authentication, faults, call log, persistence)
 * and writes the answer as S3 does, errors included.
 */
export async function handleS3Request(
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  requestId: string,
): Promise<void> {
  const head = req.method === 'HEAD';
  let response: S3HttpResponse;
  try {
    const { scope, credentials } = requestCredentials(req);
    // An unsigned request is anonymous; no bucket in the sandbox allows anonymous
    // access, so S3 would answer AccessDenied. It names no principal, so it is not
    // a call of the sandbox's pipeline.
    if (!scope) throw s3Errors.accessDenied();
    const route = routeRequest({
      method: req.method ?? 'GET',
      rawPath: rawPathOf(req, url),
      query: url.searchParams,
      headers: req.headers,
      body,
    });
    const output = await sandbox.invoke(
      s3Service,
      route.operation,
      credentials,
      route.input,
      requestId,
    );
    // The pipeline ran the operation, so it is one the sandbox serves.
    const operation = route.operation as S3OperationName;
    response = successResponse(
      operation,
      output as S3Outputs[typeof operation],
    );
  } catch (error) {
    const awsError =
      error instanceof AwsError ? error : s3Errors.internalError();
    response = errorResponse(awsError, requestId, head);
  }
  write(res, response, requestId);
}
