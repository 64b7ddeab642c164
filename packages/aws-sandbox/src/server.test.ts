import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateOrganizationalUnitCommand,
  ListRootsCommand,
  OrganizationsClient,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultSeed } from './seed/defaultSeed';
import { RunningSandbox, startSandbox } from './server';
import {
  assumeRole,
  CENTRAL,
  clientConfig,
  testSeed,
  minterOrganizations,
} from './__testUtils__/sandbox';

/** Sends a request the SDK would never send, signed as the central user. */
function rawRequest(
  endpoint: string,
  init: { headers?: Record<string, string>; body?: string; method?: string },
) {
  return fetch(endpoint, {
    method: init.method ?? 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=${CENTRAL.accessKeyId}/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0`,
      ...init.headers,
    },
    body: init.body,
  });
}

// The tests call a sandbox server over HTTP: generous, so that a loaded machine is slow,
// never failing.
jest.setTimeout(60_000);

describe('the sandbox server', () => {
  let running: RunningSandbox;

  afterEach(() => running?.close());

  it('serves the design document estate by default: central account and three payers', async () => {
    running = await startSandbox({ port: 0, seed: defaultSeed() });
    const identity = await new STSClient(
      clientConfig(running.endpoint, CENTRAL),
    ).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(
      'arn:aws:iam::100000000001:user/account-minting-pipeline',
    );
    for (const payer of ['200000000001', '300000000001', '400000000001']) {
      const session = await assumeRole(
        running.endpoint,
        CENTRAL,
        `arn:aws:iam::${payer}:role/AccountMinter`,
      );
      const { Roots } = await new OrganizationsClient(
        clientConfig(running.endpoint, session),
      ).send(new ListRootsCommand({}));
      expect(Roots).toHaveLength(1);
    }
    expect(running.sandbox.state.containers.size).toBe(3);
    expect(
      running.sandbox.state.buckets.has('regional-account-minting-tfstate'),
    ).toBe(true);
  });

  it('answers protocol mistakes with AWS errors, never a crash or an HTML page', async () => {
    running = await startSandbox({ port: 0, seed: testSeed() });
    const json = { 'content-type': 'application/x-amz-json-1.1' };

    const malformed = await rawRequest(running.endpoint, {
      headers: {
        ...json,
        'x-amz-target': 'AWSOrganizationsV20161128.ListRoots',
      },
      body: '{not json',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      __type: 'SerializationException',
    });

    const unknown = await rawRequest(running.endpoint, {
      headers: {
        ...json,
        'x-amz-target': 'AWSOrganizationsV20161128.LaunchRockets',
      },
      body: '{}',
    });
    expect(await unknown.json()).toMatchObject({
      __type: 'UnknownOperationException',
    });

    const wrongType = await rawRequest(running.endpoint, {
      headers: {
        ...json,
        'x-amz-target': 'AWSOrganizationsV20161128.ListChildren',
      },
      body: JSON.stringify({ ParentId: 42, ChildType: 'ACCOUNT' }),
    });
    expect(await wrongType.json()).toMatchObject({
      __type: 'InvalidInputException',
      Reason: 'INVALID_INPUT',
    });

    const unknownAction = await fetch(running.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=${CENTRAL.accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: 'Action=LaunchRockets&Version=2011-06-15',
    });
    expect(unknownAction.status).toBe(400);
    expect(await unknownAction.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('keeps its estate in a state file across restarts', async () => {
    const stateFile = join(
      mkdtempSync(join(tmpdir(), 'sandbox-')),
      'state.json',
    );
    running = await startSandbox({ port: 0, seed: testSeed(), stateFile });
    const orgs = async () => await minterOrganizations(running.endpoint);
    let client = await orgs();
    const rootId = (await client.send(new ListRootsCommand({}))).Roots![0].Id!;
    await client.send(
      new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'kept' }),
    );
    await running.close();
    expect(existsSync(stateFile)).toBe(true);

    running = await startSandbox({ port: 0, seed: testSeed(), stateFile });
    client = await orgs();
    const pages = paginateListOrganizationalUnitsForParent(
      { client },
      { ParentId: rootId },
    );
    const names: string[] = [];
    for await (const page of pages)
      names.push(...page.OrganizationalUnits!.map(o => o.Name!));
    expect(names).toEqual(['kept']);
  });
});
