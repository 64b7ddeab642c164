import { ResponseError } from '@backstage/errors';
import { AccountMintingClient } from './AccountMintingClient';

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
    const error = await client.getHealth().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(500);
    expect(error.cause.message).toBe('boom');
  });
});
