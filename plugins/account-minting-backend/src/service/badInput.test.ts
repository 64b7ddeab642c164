import {
  badInputCorpus,
  problemsOf,
  send,
} from '../../reliability/badInputCorpus';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';
import { INTERNAL_ERROR_MESSAGE } from './errors';

jest.setTimeout(120_000);

const databases = testDatabases();

type Minting = Awaited<ReturnType<typeof startMintingBackend>>;
type Knex = Awaited<ReturnType<typeof databases.init>>;

/** An id that no run, step or finding has. */
const UNKNOWN_UUID = '6f1c2f43-39a4-4e0c-9a70-0d6f3a1c9e11';

/** What shows that an answer carries a stack trace or a server path. */
const STACK_OR_PATH = /"stack"|\n\s+at |node_modules|\/work\/|\.(?:ts|js):\d+/;

describe.each(databases.eachSupportedId())('bad input on %s', id => {
  let minting: Minting;
  let knex: Knex;
  let nodeEnv: string | undefined;

  beforeAll(async () => {
    // Backstage's error handler shows stacks in development: the plugin's answers must not.
    nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'development';
    try {
      knex = await databases.init(id);
      minting = await startMintingBackend({ knex });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  });

  afterAll(async () => {
    await minting?.stop();
  });

  const get = (path: string) => minting.api('get', path);
  const post = (path: string) => minting.api('post', path);

  it('refuses a NUL byte in any id, filter or field with a 400 naming it', async () => {
    const cases: [Promise<any>, string][] = [
      [get('/runs/a%00b'), 'id'],
      [get(`/runs/${UNKNOWN_UUID}%00`), 'id'],
      [post('/runs/a%00b/cancel'), 'id'],
      [post('/runs/a%00b/retry'), 'id'],
      [post('/drift/a%00b/repair'), 'id'],
      [get('/regions/dev%00x'), 'name'],
      [get('/runs?region=a%00b'), 'region'],
      [get('/runs?pipeline=mint%00'), 'pipeline'],
      [get(`/runs/${UNKNOWN_UUID}/logs?step=a%00b`), 'step'],
      [get('/runs/a%00b/logs'), 'id'],
      [get('/drift?region=a%00b'), 'region'],
      [get('/drift?environment=dev%00'), 'environment'],
      [
        post('/runs').send({ pipeline: 'mint', region: 'dev-kirk\u0000' }),
        'region',
      ],
      [
        post('/runs').send({
          pipeline: 'mint',
          region: 'x',
          account: 'a\u0000',
        }),
        'account',
      ],
      [post('/drift/checks').send({ pipeline: 'mint\u0000' }), 'pipeline'],
    ];
    for (const [answer, param] of cases) {
      const { status, body } = await answer;
      expect({ param, status }).toEqual({ param, status: 400 });
      // The plugin's checks start with the parameter, the spec's validator names its place.
      expect(body.error.message).toMatch(
        new RegExp(`^(${param}: |request/\\w+/${param} )`),
      );
    }
  });

  it('refuses a log line id out of the integer range with a 400 naming it', async () => {
    for (const after of ['3000000000', '-1', '9007199254740993', '1e3']) {
      const { status, body } = await get(
        `/runs/${UNKNOWN_UUID}/logs?after=${after}`,
      );
      expect({ after, status }).toEqual({ after, status: 400 });
      expect(body.error.message).toMatch(
        /^(after: must be a log line id|request\/query\/after must match pattern)/,
      );
    }
    const { status, body } = await get(
      `/runs/${UNKNOWN_UUID}/logs?after=2147483647`,
    );
    expect(status).toBe(200);
    expect(body.items).toEqual([]);
  });

  it('answers ids that are not UUIDs as unknown ids, and refuses overlong ones', async () => {
    const unknown = await get('/runs/no-such-run');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('No run with id no-such-run');
    expect((await post('/runs/no-such-run/cancel')).status).toBe(404);
    expect((await post('/drift/no-such-finding/repair')).status).toBe(404);
    const logs = await get('/runs/no-such-run/logs?step=no-such-step');
    expect(logs.status).toBe(200);
    expect(logs.body.items).toEqual([]);
    const long = await get(`/runs/${'r'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe(
      'request/params/id must NOT have more than 200 characters',
    );
  });

  it('answers body errors in Backstage shape with no stack, and reads bodies up to 1 MB', async () => {
    const malformed = await post('/runs')
      .set('Content-Type', 'application/json')
      .send('{"pipeline": "mint",');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      error: {
        name: 'InputError',
        message: 'body: not valid JSON; send a JSON object',
      },
      request: { method: 'POST', url: '/api/account-minting/runs' },
      response: { statusCode: 400 },
    });

    const tooLarge = await post('/runs')
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({ pipeline: 'mint', region: 'x'.repeat(1_100_000) }),
      );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error.message).toBe(
      'body: larger than the 1mb a request may carry',
    );
    expect(tooLarge.text).not.toMatch(STACK_OR_PATH);

    // Over the 100 kB express reads by default, under the API's 1 MB.
    const large = await post('/runs').send({
      pipeline: 'mint',
      region: 'x'.repeat(500_000),
    });
    expect(large.status).toBe(400);
    expect(large.body.error.message).toBe(
      'request/body/region must NOT have more than 128 characters',
    );

    const notAnObject = await post('/drift/checks').send([
      { pipeline: 'mint' },
    ]);
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.error.message).toBe('request/body must be object');
  });

  it('answers an internal error with no stack and no cause', async () => {
    // The findings table gone for a moment: listing drift fails in the database.
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    await knex.schema.renameTable('findings', 'findings_away');
    try {
      const { status, body, text } = await get('/drift');
      expect(status).toBe(500);
      expect(body).toEqual({
        error: { name: 'Error', message: INTERNAL_ERROR_MESSAGE },
        request: { method: 'GET', url: '/api/account-minting/drift' },
        response: { statusCode: 500 },
      });
      expect(text).not.toMatch(/findings/);
    } finally {
      await knex.schema.renameTable('findings_away', 'findings');
      errors.mockRestore();
    }
    expect((await get('/drift')).status).toBe(200);
  });

  it('quotes at most 100 characters of what was sent', async () => {
    const long = 'q'.repeat(100_000);
    const cases = [
      post('/regions').send({ environment: long, region: 'us-east-1' }),
      post('/regions').send({ environment: 'prod', region: long }),
      post('/regions').send({
        environment: 'dev',
        region: 'us-east-2',
        owner: `${long}!`,
      }),
      post('/regions').send({
        environment: 'dev',
        region: 'us-east-2',
        owner: long,
      }),
      post('/regions').send({
        environment: 'prod',
        region: 'us-east-1',
        accountRoles: { [long]: 1 },
      }),
      post('/runs').send({ pipeline: 'mint', region: long }),
      get(`/runs?status=${'s'.repeat(150)}`),
      get(`/runs/${'r'.repeat(150)}`),
    ];
    for (const answer of cases) {
      const { status, text, body } = await answer;
      expect([400, 404]).toContain(status);
      expect(text.length).toBeLessThan(1500);
      // The spec's validator repeats none of it; the plugin's checks quote 100 characters.
      expect(body.error.message).toMatch(/^request\/|[qrs]{90,100}"?…/);
      for (const message of [
        body.error.message,
        ...Object.values(body.fields ?? {}),
      ]) {
        expect(message).not.toMatch(/[qrs]{101}/);
      }
    }
    // A flood of unknown account roles is counted, not listed.
    const flood = await post('/regions').send({
      environment: 'prod',
      region: 'us-east-1',
      accountRoles: Object.fromEntries(
        Array.from({ length: 5000 }, (_, i) => [`role-${i}`, 1]),
      ),
    });
    expect(flood.status).toBe(400);
    expect(Object.keys(flood.body.fields)).toHaveLength(6);
    expect(flood.body.fields.accountRoles).toMatch(
      /^4995 more unknown account roles/,
    );
  });

  it('answers every request of the bad-input corpus with a refusal that names its parameter', async () => {
    const server = minting.backend.server;
    const failures: string[] = [];
    for (const bad of badInputCorpus()) {
      const answer = await send(server, bad);
      for (const problem of problemsOf(bad, answer)) {
        failures.push(`${bad.route}, ${bad.title}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    expect(
      minting.sandbox.sandbox.calls
        .list()
        .filter(c => c.mutating && c.operation !== 'AssumeRole'),
    ).toEqual([]);
  });
});
