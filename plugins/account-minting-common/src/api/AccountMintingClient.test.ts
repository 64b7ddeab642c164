import { createHash } from 'node:crypto';
import { ResponseError } from '@backstage/errors';
import {
  AccountMintingApi,
  AccountMintingClient,
  RegionRequestError,
} from './AccountMintingClient';

function clientAnswering(status: number, body: unknown) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const client = new AccountMintingClient({
    discoveryApi: {
      getBaseUrl: async id => `http://backstage.test/api/${id}`,
    },
    fetchApi: {
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push({ url, init });
        return new Response(JSON.stringify(body), {
          status,
          statusText: status === 200 ? 'OK' : 'Error',
          headers: { 'content-type': 'application/json' },
        });
      }) as typeof fetch,
    },
  });
  return { client, calls };
}

/** The error a call fails with; a call that succeeds fails the test. */
function rejectionOf(call: Promise<unknown>): Promise<any> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    error => error,
  );
}

describe('AccountMintingClient', () => {
  it('reads the health of the backend it discovers, with the caller token', async () => {
    const health = {
      status: 'ok',
      database: { client: 'pg', latestMigration: '20261128_init.js' },
      provisioners: [],
    };
    const { client, calls } = clientAnswering(200, health);

    await expect(client.getHealth({ token: 't0k' })).resolves.toEqual(health);
    expect(calls[0].url).toBe(
      'http://backstage.test/api/account-minting/health',
    );
    expect(calls[0].init?.headers).toEqual({ Authorization: 'Bearer t0k' });
  });

  it('returns an unavailable backend as data, so the UI can say why', async () => {
    const health = {
      status: 'unavailable',
      database: { client: 'pg', error: 'connection refused' },
      provisioners: [],
    };
    const { client } = clientAnswering(503, health);
    await expect(client.getHealth()).resolves.toEqual(health);
  });

  it('turns other failures into ResponseErrors with the backend message', async () => {
    const { client } = clientAnswering(500, {
      error: { name: 'Error', message: 'boom' },
      request: { method: 'GET', url: '/health' },
      response: { statusCode: 500 },
    });
    const error = await rejectionOf(client.getHealth());
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(500);
    expect(error.cause.message).toBe('boom');
  });

  const base = 'http://backstage.test/api/account-minting';
  const regionRequest = {
    environment: 'dev',
    region: 'us-east-2',
    owner: 'kirk',
  };

  it.each<{
    name: string;
    call: (client: AccountMintingApi) => Promise<unknown>;
    method: string;
    url: string;
    body?: unknown;
  }>([
    {
      name: 'getConfig',
      call: c => c.getConfig(),
      method: 'GET',
      url: `${base}/config`,
    },
    {
      name: 'getEstate',
      call: c => c.getEstate(),
      method: 'GET',
      url: `${base}/estate`,
    },
    {
      name: 'getEstate with a refresh',
      call: c => c.getEstate({ refresh: true }),
      method: 'GET',
      url: `${base}/estate?refresh=true`,
    },
    {
      name: 'listRegions',
      call: c => c.listRegions(),
      method: 'GET',
      url: `${base}/regions`,
    },
    {
      name: 'getRegion',
      call: c => c.getRegion('dev/kirk us-east-2'),
      method: 'GET',
      url: `${base}/regions/dev%2Fkirk%20us-east-2`,
    },
    {
      name: 'planRegion',
      call: c => c.planRegion(regionRequest),
      method: 'POST',
      url: `${base}/regions`,
      body: { ...regionRequest, dryRun: true },
    },
    {
      name: 'requestRegion',
      call: c =>
        c.requestRegion({ ...regionRequest, accountRoles: { workload: 2 } }),
      method: 'POST',
      url: `${base}/regions`,
      body: { ...regionRequest, accountRoles: { workload: 2 } },
    },
    {
      name: 'startRun',
      call: c =>
        c.startRun({
          pipeline: 'mint',
          region: 'dev-kirk-us-east-2',
          account: 'dev-kirk-us-east-2-rc',
        }),
      method: 'POST',
      url: `${base}/runs`,
      body: {
        pipeline: 'mint',
        region: 'dev-kirk-us-east-2',
        account: 'dev-kirk-us-east-2-rc',
      },
    },
    {
      name: 'planRun',
      call: c => c.planRun({ pipeline: 'mint', region: 'dev-kirk-us-east-2' }),
      method: 'POST',
      url: `${base}/runs`,
      body: { pipeline: 'mint', region: 'dev-kirk-us-east-2', dryRun: true },
    },
    {
      name: 'listRuns without a filter',
      call: c => c.listRuns(),
      method: 'GET',
      url: `${base}/runs`,
    },
    {
      name: 'listRuns with a filter',
      call: c =>
        c.listRuns({
          region: 'dev&kirk',
          pipeline: 'mint',
          status: ['failed', 'cancelled'],
        }),
      method: 'GET',
      url: `${base}/runs?region=dev%26kirk&pipeline=mint&status=failed%2Ccancelled`,
    },
    {
      name: 'listRuns of a next page',
      call: c => c.listRuns({ cursor: 'WzEsImEiXQ', limit: 50 }),
      method: 'GET',
      url: `${base}/runs?cursor=WzEsImEiXQ&limit=50`,
    },
    {
      name: 'getRun',
      call: c => c.getRun('run/1?'),
      method: 'GET',
      url: `${base}/runs/run%2F1%3F`,
    },
    {
      name: 'getRunLogs without a query',
      call: c => c.getRunLogs('run-1'),
      method: 'GET',
      url: `${base}/runs/run-1/logs`,
    },
    {
      name: 'getRunLogs of a step, after a line',
      call: c => c.getRunLogs('run 1', { stepId: 'step#1', after: 0 }),
      method: 'GET',
      url: `${base}/runs/run%201/logs?step=step%231&after=0`,
    },
    {
      name: 'getRunLogs of a page',
      call: c => c.getRunLogs('run-1', { after: 12, limit: 500 }),
      method: 'GET',
      url: `${base}/runs/run-1/logs?after=12&limit=500`,
    },
    {
      name: 'cancelRun',
      call: c => c.cancelRun('run/1'),
      method: 'POST',
      url: `${base}/runs/run%2F1/cancel`,
    },
    {
      name: 'retryRun',
      call: c => c.retryRun('run/1', { reason: 'flaky network' }),
      method: 'POST',
      url: `${base}/runs/run%2F1/retry`,
      body: { reason: 'flaky network' },
    },
    {
      name: 'listFindings',
      call: c => c.listFindings(),
      method: 'GET',
      url: `${base}/drift`,
    },
    {
      name: 'listFindings with filters',
      call: c =>
        c.listFindings({
          region: 'dev-kirk-us-east-2',
          environment: 'dev',
          layer: 'tags',
          status: 'open',
        }),
      method: 'GET',
      url: `${base}/drift?region=dev-kirk-us-east-2&environment=dev&layer=tags&status=open`,
    },
    {
      name: 'repairFinding',
      call: c => c.repairFinding('f/1'),
      method: 'POST',
      url: `${base}/drift/f%2F1/repair`,
      body: {},
    },
    {
      name: 'listChanges',
      call: c => c.listChanges({ status: 'pending' }),
      method: 'GET',
      url: `${base}/changes?status=pending`,
    },
    {
      name: 'approveChange',
      call: c => c.approveChange('c/1', { comment: 'fine' }),
      method: 'POST',
      url: `${base}/changes/c%2F1/approve`,
      body: { comment: 'fine' },
    },
    {
      name: 'rejectChange',
      call: c => c.rejectChange('c/1'),
      method: 'POST',
      url: `${base}/changes/c%2F1/reject`,
      body: {},
    },
    {
      name: 'startDriftCheck',
      call: c => c.startDriftCheck('bootstrap'),
      method: 'POST',
      url: `${base}/drift/checks`,
      body: { pipeline: 'bootstrap' },
    },
  ])('$name sends $method $url', async ({ call, method, url, body }) => {
    const { client, calls } = clientAnswering(200, { items: [] });

    await call(client);

    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe(url);
    expect(calls[0].init?.method).toBe(method);
    expect(
      calls[0].init?.body === undefined
        ? undefined
        : JSON.parse(String(calls[0].init.body)),
    ).toEqual(body);
  });

  it('sends JSON with the caller token', async () => {
    const { client, calls } = clientAnswering(202, { id: 'run-1' });

    await client.startRun(
      { pipeline: 'mint', region: 'dev-kirk-us-east-2' },
      { token: 't0k' },
    );

    expect(calls[0].init?.headers).toEqual({
      Authorization: 'Bearer t0k',
      'Content-Type': 'application/json',
    });
  });

  it('returns pages of lists with their next cursor', async () => {
    const line = {
      id: 7,
      stepId: 'step-1',
      time: '2026-11-28T10:00:00.000Z',
      level: 'info',
      message: 'created OU dev',
    };
    const { client } = clientAnswering(200, { items: [line], nextCursor: '7' });

    await expect(client.getRunLogs('run-1')).resolves.toEqual({
      items: [line],
      nextCursor: '7',
    });
  });

  it.each<[string, (client: AccountMintingApi) => Promise<unknown>]>([
    ['requestRegion', c => c.requestRegion(regionRequest)],
    ['planRegion', c => c.planRegion(regionRequest)],
  ])(
    '%s raises a refused region request with its message per field',
    async (_name, call) => {
      const fields = {
        region: 'region eu-west-9 is not allowed in dev; allowed: us-east-2',
        'accountRoles.workload':
          'the count of workload must be a whole number from 0 to 5',
      };
      const { client } = clientAnswering(400, {
        error: {
          name: 'InputError',
          message: Object.values(fields).join('; '),
        },
        fields,
      });

      const error = await rejectionOf(call(client));

      expect(error).toBeInstanceOf(RegionRequestError);
      expect(error.name).toBe('RegionRequestError');
      expect(error.message).toBe(Object.values(fields).join('; '));
      expect(error.fields).toEqual(fields);
    },
  );

  it('raises a 400 of a region request without fields as a ResponseError', async () => {
    const { client } = clientAnswering(400, {
      error: { name: 'InputError', message: 'Malformed JSON' },
      request: { method: 'POST', url: '/regions' },
      response: { statusCode: 400 },
    });

    const error = await rejectionOf(client.requestRegion(regionRequest));

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.cause.message).toBe('Malformed JSON');
  });

  it.each<[number, string, (client: AccountMintingApi) => Promise<unknown>]>([
    [
      400,
      'InputError',
      c => c.startRun({ pipeline: 'mint', region: 'dev-kirk-us-east-2' }),
    ],
    [403, 'NotAllowedError', c => c.requestRegion(regionRequest)],
    [404, 'NotFoundError', c => c.getRegion('dev-kirk-us-east-2')],
    [409, 'ConflictError', c => c.cancelRun('run-1')],
  ])(
    'raises a %i as a ResponseError with the backend error',
    async (status, name, call) => {
      const { client } = clientAnswering(status, {
        error: { name, message: 'refused' },
        request: { method: 'POST', url: '/' },
        response: { statusCode: status },
        // A field map on any other answer is not a refused region request.
        fields: { region: 'ignored' },
      });

      const error = await rejectionOf(call(client));

      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(status);
      expect(error.cause.name).toBe(name);
    },
  );

  describe('reading the estate and the findings again', () => {
    /** A backend whose answers carry the ETag of their body, and a 304 to a read that holds it. */
    function backendWithETags(bodies: Record<string, unknown>) {
      const seen: { url: string; ifNoneMatch?: string; status: number }[] = [];
      const client = new AccountMintingClient({
        discoveryApi: { getBaseUrl: async id => `http://b.test/api/${id}` },
        fetchApi: {
          fetch: (async (url: string, init?: RequestInit) => {
            const path = new URL(url).pathname.replace(
              '/api/account-minting',
              '',
            );
            const text = JSON.stringify(bodies[path]);
            const etag = `W/"${createHash('sha1')
              .update(text)
              .digest('base64')}"`;
            const ifNoneMatch = (init?.headers as Record<string, string>)?.[
              'If-None-Match'
            ];
            const status = ifNoneMatch === etag ? 304 : 200;
            seen.push({ url, ifNoneMatch, status });
            return new Response(status === 304 ? null : text, {
              status,
              headers: { ETag: etag, 'content-type': 'application/json' },
            });
          }) as typeof fetch,
        },
      });
      return { client, seen };
    }

    it('hands back the estate it holds when the backend says it is unchanged', async () => {
      const bodies: Record<string, unknown> = {
        '/estate': { observedAt: '2026-12-01T10:00:00Z', payers: [] },
      };
      const { client, seen } = backendWithETags(bodies);

      const first = await client.getEstate();
      const again = await client.getEstate({ refresh: true });
      expect(again).toBe(first);
      expect(seen.map(s => s.status)).toEqual([200, 304]);
      expect(seen[1].ifNoneMatch).toMatch(/^W\/"/);

      bodies['/estate'] = { observedAt: '2026-12-01T10:05:00Z', payers: [] };
      const changed = await client.getEstate();
      expect(changed).not.toBe(first);
      expect(changed.observedAt).toBe('2026-12-01T10:05:00Z');
      expect(seen.map(s => s.status)).toEqual([200, 304, 200]);
    });

    it('holds the findings of each filter apart', async () => {
      const finding = { id: 'f1', region: 'dev-kirk-us-east-2' };
      const { client, seen } = backendWithETags({
        '/drift': { items: [finding] },
      });

      const open = await client.listFindings({ status: 'open' });
      const all = await client.listFindings();
      expect(open).toEqual([finding]);
      expect(await client.listFindings({ status: 'open' })).toBe(open);
      expect(await client.listFindings()).toBe(all);
      // The second filter's first read holds nothing of the first's.
      expect(seen.map(s => [s.url.split('?')[1] ?? '', s.status])).toEqual([
        ['status=open', 200],
        ['', 200],
        ['status=open', 304],
        ['', 304],
      ]);
    });

    it('sends no ETag for an answer that failed, and raises the failure', async () => {
      const { client, seen } = backendWithETags({});
      await rejectionOf(client.getEstate());
      await rejectionOf(client.getEstate());
      expect(seen.map(s => s.ifNoneMatch)).toEqual([undefined, undefined]);
    });
  });
});
