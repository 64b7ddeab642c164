// The bad-input corpus: malformed requests over every route of the REST API, each with the
// statuses it may get and the parameter its answer must name. Used by the reliability
// experiment (reliability/badInput.ts) and by the backend's tests (src/service/badInput.test.ts).
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** One malformed request and what the API must answer it. */
export interface BadRequest {
  /** The route, as the API's specification names it. */
  route: string;
  /** What is wrong with the request. */
  title: string;
  method: 'GET' | 'POST';
  /** The path under /api/account-minting with its query, as sent (percent-encoded). */
  path: string;
  /** The body: a string or bytes are sent as they are, anything else as JSON. */
  body?: unknown;
  /** Headers of the request; a body is sent as application/json unless they say otherwise. */
  headers?: Record<string, string>;
  /** The statuses the answer may have. */
  status: number[];
  /** The parameter or field that the answer's message (or its fields) must name. */
  param: string;
}

/** Every operation of the API (src/schema/openapi.yaml): the corpus covers each. */
export const API_ROUTES = [
  'GET /health',
  'GET /config',
  'GET /estate',
  'GET /regions',
  'POST /regions',
  'GET /regions/{name}',
  'POST /runs',
  'GET /runs',
  'GET /runs/{id}',
  'GET /runs/{id}/logs',
  'POST /runs/{id}/cancel',
  'POST /runs/{id}/retry',
  'GET /drift',
  'POST /drift/checks',
  'POST /drift/{id}/repair',
];

/** An answer of the API, as received. */
export interface Answer {
  status: number;
  text: string;
}

/** The longest error body accepted: no answer repeats a large input. */
export const MAX_ANSWER_CHARS = 4096;

const NUL = '%00';
/** A UUID that names nothing. */
const UNKNOWN_UUID = '0b5f5a37-9c0e-4e7e-9d55-3c8c2f0b7d41';
/** Longer than any id or name the API reads, and well within the 16 KB of an URL. */
const LONG = 'x'.repeat(8_000);
/** Most of the 1 MB a body may carry. */
const HUGE = 'x'.repeat(900_000);
/** More than the 1 MB a body may carry. */
const TOO_LARGE = JSON.stringify({ environment: 'y'.repeat(1_100_000) });
const INJECTION = "' OR '1'='1'; DROP TABLE runs; --";
const TRAVERSAL = '..%2F..%2F..%2Fetc%2Fpasswd';
const BAD_ESCAPE = '%E0%A4%A';

const GET = 'GET' as const;
const POST = 'POST' as const;

/** The routes with an id in their path, and what their 404 names. */
const ID_ROUTES = [
  { route: 'GET /runs/{id}', method: GET, path: (id: string) => `/runs/${id}` },
  {
    route: 'POST /runs/{id}/cancel',
    method: POST,
    path: (id: string) => `/runs/${id}/cancel`,
  },
  {
    route: 'POST /runs/{id}/retry',
    method: POST,
    path: (id: string) => `/runs/${id}/retry`,
  },
  {
    route: 'POST /drift/{id}/repair',
    method: POST,
    path: (id: string) => `/drift/${id}/repair`,
  },
];

function idCases(): BadRequest[] {
  return ID_ROUTES.flatMap(({ route, method, path }) => [
    {
      route,
      method,
      title: 'a NUL byte in the id',
      path: path(`a${NUL}b`),
      status: [400],
      param: 'id',
    },
    {
      route,
      method,
      title: 'a UUID with a NUL byte after it',
      path: path(`${UNKNOWN_UUID}${NUL}`),
      status: [400],
      param: 'id',
    },
    {
      route,
      method,
      title: 'an 8,000-character id',
      path: path(LONG),
      status: [400],
      param: 'id',
    },
    {
      route,
      method,
      title: 'an id that is not a UUID',
      path: path('not-a-uuid'),
      status: [404],
      param: 'id',
    },
    {
      route,
      method,
      title: 'path traversal in the id',
      path: path(TRAVERSAL),
      status: [404],
      param: 'id',
    },
    {
      route,
      method,
      title: 'SQL injection in the id',
      path: path(encodeURIComponent(INJECTION)),
      status: [404],
      param: 'id',
    },
    {
      route,
      method,
      title: 'an unknown UUID',
      path: path(UNKNOWN_UUID),
      status: [404],
      param: 'id',
    },
    {
      route,
      method,
      title: 'a broken percent-escape in the id',
      path: path(BAD_ESCAPE),
      status: [400],
      param: 'path',
    },
  ]);
}

/** The corpus: every route of the API, with the malformed requests that fit it. */
export function badInputCorpus(): BadRequest[] {
  const cases: BadRequest[] = [
    // GET /health, GET /config, GET /regions: they read no parameter, but a body is parsed.
    ...['/health', '/config', '/regions'].map(path => ({
      route: `GET ${path}`,
      method: GET,
      title: 'malformed JSON in the body',
      path,
      body: '{"a": [1, 2',
      status: [400],
      param: 'body',
    })),

    // GET /estate
    ...[
      ['refresh=yes', 'refresh neither true nor false'],
      ['refresh[]=true', 'refresh as a list'],
      [`refresh=${NUL}`, 'a NUL byte in refresh'],
    ].map(([query, title]) => ({
      route: 'GET /estate',
      method: GET,
      title,
      path: `/estate?${query}`,
      status: [400],
      param: 'refresh',
    })),

    // GET /regions/{name}
    ...[
      [`dev${NUL}x`, 'a NUL byte in the name', 400, 'name'],
      ['dev%0Ax', 'a newline in the name', 400, 'name'],
      [LONG, 'an 8,000-character name', 400, 'name'],
      [TRAVERSAL, 'path traversal in the name', 404, 'region'],
      [
        encodeURIComponent(INJECTION),
        'SQL injection in the name',
        404,
        'region',
      ],
      [
        '%F0%9F%98%80-%E2%80%AE',
        'an emoji and a right-to-left mark',
        404,
        'region',
      ],
      [BAD_ESCAPE, 'a broken percent-escape', 400, 'path'],
    ].map(([name, title, status, param]) => ({
      route: 'GET /regions/{name}',
      method: GET,
      title: title as string,
      path: `/regions/${name}`,
      status: [status as number],
      param: param as string,
    })),

    // POST /regions
    ...(
      [
        ['a list for the body', [], 400, 'body'],
        ['a JSON string for the body', '"dev"', 400, 'body'],
        ['malformed JSON', '{"environment": "dev",', 400, 'body'],
        ['JSON with a trailing comma', '{"environment": "dev",}', 400, 'body'],
        [
          'a number for the environment',
          { environment: 42 },
          400,
          'environment',
        ],
        [
          'a query operator for the environment',
          { environment: { $ne: null } },
          400,
          'environment',
        ],
        [
          'a 900,000-character environment',
          { environment: HUGE, region: 'us-east-2' },
          400,
          'environment',
        ],
        [
          'a NUL byte in the region',
          { environment: 'dev', region: 'us-east-2\u0000', owner: 'kirk' },
          400,
          'region',
        ],
        [
          'a 900,000-character region',
          { environment: 'dev', region: HUGE, owner: 'kirk' },
          400,
          'region',
        ],
        [
          'a NUL byte in the owner',
          { environment: 'dev', region: 'us-east-2', owner: 'ki\u0000rk' },
          400,
          'owner',
        ],
        [
          'a 900,000-character owner',
          { environment: 'dev', region: 'us-east-2', owner: HUGE },
          400,
          'regionOu',
        ],
        [
          'SQL injection in the owner',
          { environment: 'dev', region: 'us-east-2', owner: INJECTION },
          400,
          'owner',
        ],
        [
          'unicode in the owner',
          { environment: 'dev', region: 'us-east-2', owner: 'kırk-😀' },
          400,
          'owner',
        ],
        [
          'a list for the account roles',
          { environment: 'prod', region: 'us-east-1', accountRoles: [1, 2] },
          400,
          'accountRoles',
        ],
        [
          'a negative count',
          {
            environment: 'prod',
            region: 'us-east-1',
            accountRoles: { 'management-cluster': -1 },
          },
          400,
          'accountRoles/management-cluster',
        ],
        [
          'a huge count',
          {
            environment: 'prod',
            region: 'us-east-1',
            accountRoles: { 'management-cluster': 1e308 },
          },
          400,
          'accountRoles.management-cluster',
        ],
        [
          'a count as a string',
          {
            environment: 'prod',
            region: 'us-east-1',
            accountRoles: { 'regional-cluster': '1' },
          },
          400,
          'accountRoles/regional-cluster',
        ],
        [
          '10,000 unknown account roles',
          {
            environment: 'prod',
            region: 'us-east-1',
            accountRoles: Object.fromEntries(
              Array.from({ length: 10_000 }, (_, i) => [`role-${i}`, 1]),
            ),
          },
          400,
          'accountRoles',
        ],
        [
          '__proto__ as an account role',
          '{"environment":"prod","region":"us-east-1","accountRoles":{"__proto__":{"x":1}}}',
          400,
          'accountRoles/__proto__',
        ],
        [
          'dryRun as a string',
          { environment: 'prod', region: 'us-east-1', dryRun: 'true' },
          400,
          'dryRun',
        ],
        ['a body over 1 MB', TOO_LARGE, 413, 'body'],
      ] as const
    ).map(([title, body, status, param]) => ({
      route: 'POST /regions',
      method: POST,
      title,
      path: '/regions',
      body,
      status: [status],
      param,
    })),
    {
      route: 'POST /regions',
      method: POST,
      title: 'JSON sent as text/plain',
      path: '/regions',
      body: '{"environment":"prod","region":"us-east-1"}',
      headers: { 'content-type': 'text/plain' },
      status: [400],
      param: 'media type',
    },
    {
      route: 'POST /regions',
      method: POST,
      title: 'JSON in an unsupported charset',
      path: '/regions',
      body: '{"environment":"prod"}',
      headers: { 'content-type': 'application/json; charset=latin1' },
      status: [415],
      param: 'body',
    },
    {
      route: 'POST /regions',
      method: POST,
      title: 'an unsupported Content-Encoding',
      path: '/regions',
      body: '{"environment":"prod"}',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'br',
      },
      status: [415],
      param: 'body',
    },
    {
      route: 'POST /regions',
      method: POST,
      title: 'gzip of more than 1 MB of JSON',
      path: '/regions',
      body: gzipSync(TOO_LARGE),
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      status: [413],
      param: 'body',
    },

    // POST /runs
    ...(
      [
        [
          'a list for the pipeline',
          { pipeline: ['mint'], region: 'x' },
          400,
          'pipeline',
        ],
        [
          'an unknown pipeline',
          { pipeline: 'deploy', region: 'x' },
          400,
          'pipeline',
        ],
        [
          'a NUL byte in the pipeline',
          { pipeline: 'mint\u0000' },
          400,
          'pipeline',
        ],
        ['no region', { pipeline: 'mint' }, 400, 'region'],
        [
          'a number for the region',
          { pipeline: 'mint', region: 42 },
          400,
          'region',
        ],
        [
          'a NUL byte in the region',
          { pipeline: 'mint', region: 'dev-kirk-us-east-2\u0000' },
          400,
          'region',
        ],
        [
          'a 900,000-character region',
          { pipeline: 'mint', region: HUGE },
          400,
          'region',
        ],
        [
          'SQL injection in the region',
          { pipeline: 'mint', region: INJECTION },
          404,
          'region',
        ],
        [
          'a lone surrogate in the region',
          '{"pipeline": "mint", "region": "\\ud800"}',
          404,
          'region',
        ],
        [
          'path traversal in the region',
          { pipeline: 'mint', region: '../../../etc/passwd' },
          404,
          'region',
        ],
        [
          'an empty account',
          { pipeline: 'mint', region: 'x', account: '' },
          400,
          'account',
        ],
        [
          'a NUL byte in the account',
          { pipeline: 'mint', region: 'x', account: 'a\u0000' },
          400,
          'account',
        ],
        [
          'an object for the account',
          { pipeline: 'mint', region: 'x', account: { name: 'a' } },
          400,
          'account',
        ],
        [
          'a 51-character account',
          { pipeline: 'mint', region: 'x', account: 'a'.repeat(51) },
          400,
          'account',
        ],
        [
          'dryRun as a string',
          { pipeline: 'mint', region: 'x', dryRun: 'yes' },
          400,
          'dryRun',
        ],
        ['null for the body', 'null', 400, 'body'],
        [
          'a list for the body',
          [{ pipeline: 'mint', region: 'x' }],
          400,
          'body',
        ],
        ['a body over 1 MB', TOO_LARGE, 413, 'body'],
      ] as const
    ).map(([title, body, status, param]) => ({
      route: 'POST /runs',
      method: POST,
      title,
      path: '/runs',
      body,
      status: [status],
      param,
    })),

    // GET /runs
    ...[
      [`region=${NUL}`, 'a NUL byte in the region', 'region'],
      [`region=${LONG}`, 'an 8,000-character region', 'region'],
      ['region[$ne]=x', 'a query operator for the region', 'region'],
      ['region=a&region=b', 'two regions', 'region'],
      ['pipeline=deploy', 'an unknown pipeline', 'pipeline'],
      [`pipeline=mint${NUL}`, 'a NUL byte in the pipeline', 'pipeline'],
      ['status=queued,bogus', 'an unknown status', 'status'],
      ['status[]=queued', 'status as a list', 'status'],
      [
        `status=${encodeURIComponent(INJECTION)}`,
        'SQL injection in the status',
        'status',
      ],
      ['cursor=nonsense', 'a cursor the API did not give', 'cursor'],
      ['limit=0', 'a page of no runs', 'limit'],
      ['limit=501', 'a page past the largest', 'limit'],
    ].map(([query, title, param]) => ({
      route: 'GET /runs',
      method: GET,
      title,
      path: `/runs?${query}`,
      status: [400],
      param,
    })),

    // GET /runs/{id}/logs
    ...[
      ['after=3000000000', 'an after beyond the integer range', 'after'],
      ['after=-1', 'a negative after', 'after'],
      ['after=1.5', 'a fractional after', 'after'],
      ['after=1e3', 'after in exponent notation', 'after'],
      ['after=0x10', 'after in hexadecimal', 'after'],
      ['after=9007199254740993', 'an after beyond the safe integers', 'after'],
      ['after=abc', 'an after that is no number', 'after'],
      ['after[]=1', 'after as a list', 'after'],
      [`after=1${NUL}`, 'a NUL byte in after', 'after'],
      [`step=${NUL}`, 'a NUL byte in the step', 'step'],
      ['step=a&step=b', 'two steps', 'step'],
      [`step=${'s'.repeat(300)}`, 'a 300-character step', 'step'],
      ['limit=5001', 'a page past the largest', 'limit'],
      ['cursor=3000000000', 'a cursor beyond the integer range', 'cursor'],
    ].map(([query, title, param]) => ({
      route: 'GET /runs/{id}/logs',
      method: GET,
      title,
      path: `/runs/${UNKNOWN_UUID}/logs?${query}`,
      status: [400],
      param,
    })),
    {
      route: 'GET /runs/{id}/logs',
      method: GET,
      title: 'a NUL byte in the id',
      path: `/runs/a${NUL}b/logs`,
      status: [400],
      param: 'id',
    },
    {
      route: 'GET /runs/{id}/logs',
      method: GET,
      title: 'an 8,000-character id',
      path: `/runs/${LONG}/logs`,
      status: [400],
      param: 'id',
    },

    ...idCases(),
    {
      route: 'POST /runs/{id}/cancel',
      method: POST,
      title: 'malformed JSON in the body',
      path: `/runs/${UNKNOWN_UUID}/cancel`,
      body: '{"reason":',
      status: [400],
      param: 'body',
    },

    // GET /drift
    ...[
      [`region=${NUL}`, 'a NUL byte in the region', 'region'],
      [`environment=dev${NUL}`, 'a NUL byte in the environment', 'environment'],
      [`environment=${LONG}`, 'an 8,000-character environment', 'environment'],
      ['environment[]=dev', 'the environment as a list', 'environment'],
      ['layer=weather', 'an unknown layer', 'layer'],
      ['layer[]=ou', 'the layer as a list', 'layer'],
      ['status=closed', 'an unknown status', 'status'],
      [`status=open${NUL}`, 'a NUL byte in the status', 'status'],
    ].map(([query, title, param]) => ({
      route: 'GET /drift',
      method: GET,
      title,
      path: `/drift?${query}`,
      status: [400],
      param,
    })),

    // POST /drift/checks
    ...(
      [
        [
          'the region pipeline, which has no check',
          { pipeline: 'region' },
          'pipeline',
        ],
        ['an object for the pipeline', { pipeline: {} }, 'pipeline'],
        ['a NUL byte in the pipeline', { pipeline: 'mint\u0000' }, 'pipeline'],
        ['no pipeline', {}, 'pipeline'],
        ['a list for the body', ['mint'], 'body'],
        ['malformed JSON', '{pipeline: mint}', 'body'],
      ] as const
    ).map(([title, body, param]) => ({
      route: 'POST /drift/checks',
      method: POST,
      title,
      path: '/drift/checks',
      body,
      status: [400],
      param,
    })),
  ];
  return cases;
}

/** Sends a request of the corpus to a server of the backend and reads its answer. */
export function send(
  server: { address(): AddressInfo | string | null },
  bad: BadRequest,
  timeoutMs = 30_000,
): Promise<Answer> {
  const address = server.address();
  if (!address || typeof address === 'string') {
    throw new Error('the backend does not listen on a port');
  }
  let body: Buffer | undefined;
  if (bad.body instanceof Buffer) body = bad.body;
  else if (typeof bad.body === 'string') body = Buffer.from(bad.body);
  else if (bad.body !== undefined) body = Buffer.from(JSON.stringify(bad.body));
  const headers: Record<string, string | number> = {
    ...(body && { 'content-type': 'application/json' }),
    ...bad.headers,
    ...(body && { 'content-length': body.length }),
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: 'localhost',
        port: address.port,
        method: bad.method,
        path: `/api/account-minting${bad.path}`,
        headers,
        timeout: timeoutMs,
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer in ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

const STACK_OR_PATH = [
  /"stack"/,
  /\n\s+at /,
  /\bat \S+ \(/,
  /node_modules/,
  /\/work\//,
  /\.(?:ts|js|cjs|mjs):\d+/,
];

/** What is wrong with an answer to a request of the corpus: nothing when it is right. */
export function problemsOf(bad: BadRequest, answer: Answer): string[] {
  const problems: string[] = [];
  if (!bad.status.includes(answer.status)) {
    problems.push(`answered ${answer.status}, not ${bad.status.join(' or ')}`);
  }
  if (answer.text.length > MAX_ANSWER_CHARS) {
    problems.push(
      `answered ${answer.text.length} characters, more than ${MAX_ANSWER_CHARS}`,
    );
  }
  const cwd = process.cwd();
  for (const pattern of [...STACK_OR_PATH, cwd]) {
    if (
      typeof pattern === 'string'
        ? answer.text.includes(pattern)
        : pattern.test(answer.text)
    ) {
      problems.push(`the answer shows a stack or a path (${pattern})`);
    }
  }
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    problems.push(`the answer is not JSON: ${answer.text.slice(0, 100)}`);
    return problems;
  }
  const message: unknown = body?.error?.message;
  if (typeof message !== 'string' || typeof body?.error?.name !== 'string') {
    problems.push('the answer has no error name and message');
    return problems;
  }
  const named =
    (body.fields &&
      typeof body.fields === 'object' &&
      bad.param in body.fields) ||
    new RegExp(`(^|[^\\w.-])${escapeRegExp(bad.param)}([^\\w-]|$)`).test(
      message,
    );
  if (!named) {
    problems.push(
      `the message does not name ${bad.param}: ${message.slice(0, 200)}`,
    );
  }
  return problems;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
