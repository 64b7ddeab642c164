import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { actionContext } from '../__testUtils__/minting';
import { createCheckBackendAction } from './checkBackend';
import { createRegionCreateAction } from './createRegion';
import { createPipelineRunAction } from './runPipeline';
import { MintingActionOptions } from './shared';
import { createRunWaitAction } from './waitForRun';

/** What a backend in development sends with an error: its stack, with its paths. */
const SERVER_STACK =
  'Error: x\n    at RunStore.getRun (/work/main/plugins/account-minting-backend/src/runs/RunStore.ts:160:5)\n    at /work/main/node_modules/express/lib/router/layer.js:95:5';

/** What shows that an error carries a stack frame or a path of a server. */
const FRAMES_OR_PATHS = /\n\s+at |\/work\/|node_modules|\.(?:ts|js):\d+/;

/** An account-minting backend that answers every request with one error. */
function failingBackend(status: number, name: string, message: string) {
  return createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { name, message, stack: SERVER_STACK },
        request: { method: 'GET', url: '/' },
        response: { statusCode: status },
      }),
    );
  });
}

describe('the actions when the backend answers an error', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise(resolve => server?.close(resolve));
    server = undefined;
  });

  async function optionsFor(backend: Server): Promise<MintingActionOptions> {
    server = backend;
    await new Promise<void>(resolve => backend.listen(0, resolve));
    const { port } = backend.address() as AddressInfo;
    const baseUrl = `http://localhost:${port}/api/account-minting`;
    return {
      discovery: {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      auth: mockServices.auth(),
      config: mockServices.rootConfig({
        data: { app: { baseUrl: 'http://localhost:3000' } },
      }),
    };
  }

  async function failureOf(run: () => Promise<void>): Promise<Error> {
    try {
      await run();
    } catch (error) {
      return error as Error;
    }
    throw new Error('the action did not fail');
  }

  it('fails with the backend message of a refusal, and no stack', async () => {
    const options = await optionsFor(
      failingBackend(400, 'InputError', 'region: must be the name of a region'),
    );
    const { ctx } = actionContext({ pipeline: 'mint' as const, region: 'x' });

    const error = await failureOf(() =>
      createPipelineRunAction(options).handler(ctx),
    );

    expect(error.name).toBe('InputError');
    expect(error.message).toBe(
      'The account-minting backend answered 400: region: must be the name of a region',
    );
    expect(error.stack).toBe(`InputError: ${error.message}`);
  });

  it('fails with the backend message of an internal error, and no stack', async () => {
    const options = await optionsFor(
      failingBackend(500, 'Error', 'internal error, see the backend log'),
    );
    const { ctx } = actionContext({ environment: 'prod', region: 'us-east-1' });

    const error = await failureOf(() =>
      createRegionCreateAction(options).handler(ctx),
    );

    expect(error.message).toBe(
      'The account-minting backend answered 500: internal error, see the backend log',
    );
    expect(error.stack).not.toMatch(FRAMES_OR_PATHS);
  });

  it('fails a wait for an unknown run with the backend message, and no stack', async () => {
    const options = await optionsFor(
      failingBackend(404, 'NotFoundError', 'No run with id r-1'),
    );
    const { ctx } = actionContext({ runId: 'r-1' });

    const error = await failureOf(() =>
      createRunWaitAction(options).handler(ctx),
    );

    expect(error.message).toBe(
      'The account-minting backend answered 404: No run with id r-1',
    );
    expect(error.stack).not.toMatch(FRAMES_OR_PATHS);
  });

  it('fails the check of a backend that answers an error with its message, and no stack', async () => {
    const options = await optionsFor(
      failingBackend(500, 'Error', 'internal error, see the backend log'),
    );
    const { ctx } = actionContext(
      {},
      { getInitiatorCredentials: async () => mockCredentials.user() },
    );

    const error = await failureOf(() =>
      createCheckBackendAction(options).handler(ctx),
    );

    expect(error.message).toBe(
      'The account-minting backend answered 500: internal error, see the backend log',
    );
    expect(error.stack).not.toMatch(FRAMES_OR_PATHS);
  });

  it('fails with the message of a call that could not be made, and no stack', async () => {
    const options = await optionsFor(
      failingBackend(500, 'Error', 'never asked'),
    );
    const { ctx } = actionContext(
      { environment: 'prod', region: 'us-east-1' },
      {
        getInitiatorCredentials: async () => {
          throw new Error('the task has no initiator');
        },
      },
    );

    const error = await failureOf(() =>
      createRegionCreateAction(options).handler(ctx),
    );

    expect(error.message).toBe(
      'The account-minting backend could not be called: the task has no initiator',
    );
    expect(error.stack).toBe(`Error: ${error.message}`);
  });
});
