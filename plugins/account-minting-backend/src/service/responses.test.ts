import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Response } from 'supertest';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';
import { spec } from '../schema/openapi.generated';

jest.setTimeout(120_000);

const databases = testDatabases();

/** A UUID that names no run or finding. */
const UNKNOWN_UUID = '6f1c2f43-39a4-4e0c-9a70-0d6f3a1c9e11';

// The spec is one schema document, so that its own `#/components/...` references resolve;
// OpenAPI's keywords that are not JSON Schema's (discriminator, example) are ignored.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec as object, 'spec');

/** A JSON pointer's segment, escaped as RFC 6901 says. */
const pointer = (segment: string) =>
  segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * What is wrong with an answer of the API by the spec: nothing when its status is
 * documented for the operation and its body fits that status's schema.
 */
function problemsOf(
  method: 'get' | 'post',
  path: string,
  answer: Pick<Response, 'status' | 'body'>,
): string[] {
  const operation = (spec.paths as any)[path]?.[method];
  if (!operation) return [`${method.toUpperCase()} ${path} is not in the spec`];
  const status = String(answer.status);
  if (!operation.responses[status]) {
    return [`${method.toUpperCase()} ${path} does not document ${status}`];
  }
  let response = operation.responses[status];
  let ref = `spec#/paths/${pointer(path)}/${method}/responses/${status}`;
  if (response.$ref) {
    ref = `spec${response.$ref}`;
    response = (spec.components.responses as any)[
      response.$ref.split('/').pop()
    ];
  }
  if (!response.content) return [];
  const validate = ajv.getSchema(`${ref}/content/application~1json/schema`)!;
  if (validate(answer.body)) return [];
  return (validate.errors ?? []).map(
    e =>
      `${method.toUpperCase()} ${path} ${status}: ${e.instancePath || 'body'} ${
        e.message
      }`,
  );
}

describe('the spec, against a schema-breaking answer', () => {
  it('finds a run without its id or with an unknown status', () => {
    expect(
      problemsOf('get', '/runs/{id}', {
        status: 200,
        body: { pipeline: 'mint', status: 'done', steps: [] },
      }).join('\n'),
    ).toMatch(/must have required property 'id'[\s\S]*\/status must be equal/);
    expect(problemsOf('get', '/runs', { status: 418, body: {} })).toEqual([
      'GET /runs does not document 418',
    ]);
  });
});

describe.each(databases.eachSupportedId())('the API answers on %s', id => {
  let minting: Awaited<ReturnType<typeof startMintingBackend>>;

  beforeAll(async () => {
    minting = await startMintingBackend({ knex: await databases.init(id) });
  });

  afterAll(async () => {
    await minting?.stop();
  });

  /** Calls a route, expecting a status, and checks its answer against the spec's operation for it. */
  async function call(
    status: number,
    method: 'get' | 'post',
    specPath: string,
    path: string,
    body?: object,
  ): Promise<Response> {
    const request = minting.api(method, path);
    const answer = await (body ? request.send(body) : request);
    expect({ path, status: answer.status }).toEqual({ path, status });
    expect(problemsOf(method, specPath, answer)).toEqual([]);
    return answer;
  }

  /** Reads a route again with the ETag of its last answer: unchanged, a 304 with no body. */
  async function unchanged(specPath: string, path: string, last: Response) {
    expect(last.headers.etag).toMatch(/^W\/".+"$/);
    const again = await minting
      .api('get', path)
      .set('If-None-Match', last.headers.etag);
    expect({ path, status: again.status, body: again.text }).toEqual({
      path,
      status: 304,
      body: '',
    });
    expect(problemsOf('get', specPath, again)).toEqual([]);
  }

  it('fits the spec on every route, answers and errors alike', async () => {
    const devRegion = {
      environment: 'dev',
      region: 'us-east-2',
      owner: 'kirk',
    };
    await call(200, 'get', '/health', '/health');
    await call(200, 'get', '/config', '/config');
    await call(200, 'post', '/regions', '/regions', {
      ...devRegion,
      dryRun: true,
    });
    await call(400, 'post', '/regions', '/regions', { environment: 'nowhere' });
    const created = await call(202, 'post', '/regions', '/regions', devRegion);
    const { run, region } = created.body;
    const finished = await minting.finished(run.id);
    expect(finished.status).toBe('succeeded');

    const estate = await call(200, 'get', '/estate', '/estate?refresh=true');
    await unchanged('/estate', '/estate', estate);
    await call(200, 'get', '/regions', '/regions');
    await call(200, 'get', '/regions/{name}', `/regions/${region.name}`);
    await call(404, 'get', '/regions/{name}', '/regions/no-such-region');
    await call(200, 'post', '/runs', '/runs', {
      pipeline: 'mint',
      region: region.name,
      dryRun: true,
    });
    await call(400, 'post', '/runs', '/runs', { pipeline: 'deploy' });
    const started = await call(202, 'post', '/runs', '/runs', {
      pipeline: 'bootstrap',
      region: region.name,
    });
    await minting.finished(started.body.id);
    await call(
      200,
      'get',
      '/runs',
      '/runs?status=succeeded,failed&pipeline=mint',
    );
    const withSteps = await call(200, 'get', '/runs/{id}', `/runs/${run.id}`);
    expect(withSteps.body.steps.length).toBeGreaterThan(0);
    await call(404, 'get', '/runs/{id}', `/runs/${UNKNOWN_UUID}`);
    const logs = await call(
      200,
      'get',
      '/runs/{id}/logs',
      `/runs/${run.id}/logs`,
    );
    expect(logs.body.items.length).toBeGreaterThan(0);
    await call(409, 'post', '/runs/{id}/cancel', `/runs/${run.id}/cancel`);
    await call(409, 'post', '/runs/{id}/retry', `/runs/${run.id}/retry`);

    const check = await call(202, 'post', '/drift/checks', '/drift/checks', {
      pipeline: 'mint',
    });
    await minting.finished(check.body.id);
    const findings = await call(200, 'get', '/drift', '/drift?status=open');
    await unchanged('/drift', '/drift?status=open', findings);
    await call(
      404,
      'post',
      '/drift/{id}/repair',
      `/drift/${UNKNOWN_UUID}/repair`,
    );
  });
});
