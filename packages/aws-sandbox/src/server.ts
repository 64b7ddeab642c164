import { randomUUID } from 'node:crypto';
import { writeFileSync, renameSync, existsSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { handleAdminRequest } from './admin';
import { Clock } from './clock';
import { asAwsError, AwsError } from './errors';
import { LatencyProfile, PROFILES } from './profiles';
import { jsonError, parseJsonBody } from './protocols/json';
import { parseQueryBody, queryError, queryResponse } from './protocols/query';
import { restJsonError } from './protocols/restJson';
import { Sandbox } from './Sandbox';
import { defaultSeed } from './seed/defaultSeed';
import { Seed } from './seed/schema';
import { requestCredentials } from './sigv4';
import { accountService, ACCOUNT_ROUTES } from './services/account';
import { iamService, IAM_NAMESPACE } from './services/iam';
import { organizationsService } from './services/organizations';
import { handleS3Request } from './services/s3';
import { serviceQuotasService } from './services/servicequotas';
import { stsService, STS_NAMESPACE } from './services/sts';
import { ServiceDefinition } from './services/types';
import { SandboxState } from './state/SandboxState';

export interface SandboxOptions {
  /** Port to listen on; 0 picks a free one. Default 4566. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** The estate to start from; the design document's three payers when absent. */
  seed?: Seed;
  /** How long things take: a profile such as PROFILES.realistic. Default instant. */
  profile?: LatencyProfile;
  /** Multiplies every latency of the profile. Default 1. */
  timeScale?: number;
  /** A file that keeps the state across restarts: read at start when it exists, written after each change. */
  stateFile?: string;
  clock?: Clock;
}

export interface RunningSandbox {
  /** The endpoint to give the AWS SDK clients, such as http://127.0.0.1:4566. */
  endpoint: string;
  /** The sandbox itself, for in-process tests: its state, faults and calls. */
  sandbox: Sandbox;
  close(): Promise<void>;
}

/** The JSON 1.1 services, by the X-Amz-Target prefix before the operation name. */
const JSON_SERVICES: Record<string, ServiceDefinition> = {
  AWSOrganizationsV20161128: organizationsService,
  ServiceQuotasV20190624: serviceQuotasService,
};
const QUERY_SERVICES: Record<
  string,
  { service: ServiceDefinition; namespace: string }
> = {
  sts: { service: stsService, namespace: STS_NAMESPACE },
  iam: { service: iamService, namespace: IAM_NAMESPACE },
};

/** The restJson1 services, by SigV4 scope, with the operation each `POST <path>` runs. */
const REST_JSON_SERVICES: Record<
  string,
  { service: ServiceDefinition; routes: Record<string, string> }
> = {
  account: { service: accountService, routes: ACCOUNT_ROUTES },
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: string | Buffer,
) {
  res.writeHead(status, {
    ...headers,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Answers a JSON protocol's call with what the operation returned. */
async function answerJson(
  res: ServerResponse,
  headers: Record<string, string>,
  invoke: () => Promise<unknown>,
) {
  const output = await invoke();
  send(res, 200, headers, JSON.stringify(output ?? {}));
}

/** Answers a JSON protocol's call with its error, in the protocol's error body. */
function answerJsonError(
  res: ServerResponse,
  headers: Record<string, string>,
  error: unknown,
  errorBody: (error: AwsError) => string,
) {
  const awsError = asAwsError(error);
  send(
    res,
    awsError.statusCode,
    { ...headers, 'x-amzn-errortype': awsError.code },
    errorBody(awsError),
  );
}

async function handleJson(
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  requestId: string,
) {
  const target = String(req.headers['x-amz-target']);
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': requestId,
  };
  try {
    const dot = target.indexOf('.');
    const prefix = dot < 0 ? target : target.slice(0, dot);
    const service = Object.prototype.hasOwnProperty.call(JSON_SERVICES, prefix)
      ? JSON_SERVICES[prefix]
      : undefined;
    if (!service) {
      throw new AwsError(
        'UnknownOperationException',
        `The sandbox does not serve ${target}`,
      );
    }
    await answerJson(res, headers, () =>
      sandbox.invoke(
        service,
        target.slice(dot + 1),
        requestCredentials(req).credentials,
        parseJsonBody(body.toString('utf8')),
        requestId,
      ),
    );
  } catch (error) {
    answerJsonError(res, headers, error, jsonError);
  }
}

async function handleQuery(
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  requestId: string,
  protocol: { service: ServiceDefinition; namespace: string },
) {
  const headers = { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
  const input = parseQueryBody(body.toString('utf8'));
  const action = typeof input.Action === 'string' ? input.Action : '';
  try {
    const { Action: _action, Version: _version, ...params } = input;
    const result = await sandbox.invoke(
      protocol.service,
      action,
      requestCredentials(req).credentials,
      params,
      requestId,
    );
    send(
      res,
      200,
      headers,
      queryResponse(action, protocol.namespace, result, requestId),
    );
  } catch (error) {
    const awsError = asAwsError(error);
    send(
      res,
      awsError.statusCode,
      headers,
      queryError(awsError, protocol.namespace, requestId),
    );
  }
}

async function handleRestJson(
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  requestId: string,
  protocol: { service: ServiceDefinition; routes: Record<string, string> },
) {
  const headers = {
    'content-type': 'application/json',
    'x-amzn-requestid': requestId,
  };
  try {
    const operationName =
      req.method === 'POST' &&
      Object.prototype.hasOwnProperty.call(protocol.routes, url.pathname)
        ? protocol.routes[url.pathname]
        : `${req.method} ${url.pathname}`;
    await answerJson(res, headers, () =>
      sandbox.invoke(
        protocol.service,
        operationName,
        requestCredentials(req).credentials,
        parseJsonBody(body.toString('utf8')),
        requestId,
      ),
    );
  } catch (error) {
    answerJsonError(res, headers, error, restJsonError);
  }
}

function loadState(stateFile: string | undefined): SandboxState | undefined {
  if (!stateFile || !existsSync(stateFile)) return undefined;
  try {
    return SandboxState.fromData(JSON.parse(readFileSync(stateFile, 'utf8')));
  } catch (error) {
    throw new Error(
      `state ${stateFile}: not a sandbox state file (${
        (error as Error).message
      })`,
    );
  }
}

/** Writes the state at most once per tick, atomically, so a killed sandbox leaves a whole file. */
function stateWriter(stateFile: string | undefined, sandbox: Sandbox) {
  if (!stateFile) return { schedule: () => {}, flush: () => {} };
  let pending = false;
  const flush = () => {
    pending = false;
    const temporary = `${stateFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(sandbox.state.toData()));
    renameSync(temporary, stateFile);
  };
  return {
    schedule: () => {
      if (pending) return;
      pending = true;
      setImmediate(flush);
    },
    flush: () => {
      if (pending) flush();
    },
  };
}

/** Starts the sandbox: one port that speaks each AWS protocol the plugin uses, plus /_sandbox/. */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<RunningSandbox> {
  const sandbox: Sandbox = new Sandbox({
    seed: options.seed ?? defaultSeed(),
    profile: options.profile ?? PROFILES.instant,
    timeScale: options.timeScale,
    clock: options.clock,
    state: loadState(options.stateFile),
  });
  const writer = stateWriter(options.stateFile, sandbox);
  sandbox.onChange(writer.schedule);

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (url.pathname.startsWith('/_sandbox/')) {
        return handleAdminRequest(sandbox, req, res, url, body);
      }
      if (req.headers['x-amz-target']) {
        return handleJson(sandbox, req, res, body, requestId);
      }
      const { scope } = requestCredentials(req);
      const query = scope && QUERY_SERVICES[scope.service];
      if (query) {
        return handleQuery(sandbox, req, res, body, requestId, query);
      }
      const restJson =
        scope &&
        Object.prototype.hasOwnProperty.call(REST_JSON_SERVICES, scope.service)
          ? REST_JSON_SERVICES[scope.service]
          : undefined;
      if (restJson) {
        return handleRestJson(
          sandbox,
          req,
          res,
          url,
          body,
          requestId,
          restJson,
        );
      }
      return handleS3Request(sandbox, req, res, url, body, requestId);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 5000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4566, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    sandbox,
    close: () =>
      new Promise<void>((resolve, reject) => {
        writer.flush();
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}
