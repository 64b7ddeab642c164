import { randomUUID } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { AwsError } from './errors';
import { Principals } from './principals';
import { parseQueryBody, queryError, queryResponse } from './protocols/query';
import { seedPrincipals } from './seed';
import { parseAuthorization } from './sigv4';
import { handleSts, STS_NAMESPACE } from './services/sts';

export interface SandboxOptions {
  /** Port to listen on; 0 picks a free one. Default 4566. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
}

export interface RunningSandbox {
  /** The endpoint to give the AWS SDK clients, such as http://127.0.0.1:4566. */
  endpoint: string;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  requestId: string,
) {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

/** Answers the Query-protocol services (STS, IAM), named by the signature's scope. */
async function handleQuery(
  principals: Principals,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
) {
  const scope = parseAuthorization(req.headers.authorization);
  const params = parseQueryBody(await readBody(req));
  const namespace = STS_NAMESPACE;
  try {
    const caller = principals.resolve(scope?.accessKeyId);
    if (scope?.service !== 'sts') {
      throw new AwsError(
        'UnknownService',
        `The sandbox does not serve the ${
          scope?.service ?? 'unnamed'
        } service yet`,
      );
    }
    const result = handleSts(params.Action, params, caller);
    send(
      res,
      200,
      'text/xml',
      queryResponse(params.Action, namespace, result, requestId),
      requestId,
    );
  } catch (error) {
    const awsError =
      error instanceof AwsError
        ? error
        : new AwsError(
            'InternalFailure',
            'The sandbox failed to handle the request',
            500,
          );
    send(
      res,
      awsError.statusCode,
      'text/xml',
      queryError(awsError, namespace, requestId),
      requestId,
    );
  }
}

/** Starts the sandbox: one port that speaks each AWS protocol the plugin uses. */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<RunningSandbox> {
  const principals = seedPrincipals();
  const server: Server = createServer((req, res) => {
    const requestId = randomUUID();
    handleQuery(principals, req, res, requestId).catch(() => {
      if (!res.headersSent) {
        res.writeHead(500);
      }
      res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) =>
        server.close(error => (error ? reject(error) : resolve())),
      ),
  };
}
