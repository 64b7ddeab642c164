import {
  DescribeOrganizationCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import {
  defaultSeed,
  RunningSandbox,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { AwsCallListener, AwsClients } from './AwsClients';

const CENTRAL = {
  accessKeyId: 'AKIASANDBOXCENTRAL01',
  secretAccessKey: 'sandbox-central-account-secret-key',
};
const CONTROL_MINTER = 'arn:aws:iam::200000000001:role/AccountMinter';

// The tests call a sandbox server: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(60_000);

describe('AwsClients onCall', () => {
  let sandbox: RunningSandbox;
  let onCall: jest.MockedFunction<AwsCallListener>;
  let clients: AwsClients;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
  });
  afterAll(() => sandbox.close());

  beforeEach(() => {
    sandbox.sandbox.reset();
    onCall = jest.fn();
    clients = new AwsClients({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      central: async () => CENTRAL,
      onCall,
    });
  });

  async function payerOrganizations() {
    const credentials = await clients.assumeRole({
      roleArn: CONTROL_MINTER,
      sessionName: 'metrics-test',
    });
    return clients.organizations(credentials);
  }

  it('reports each call by service and operation, without the Command suffix', async () => {
    const organizations = await payerOrganizations();
    await organizations.send(new DescribeOrganizationCommand({}));
    await organizations.send(new ListRootsCommand({}));

    expect(onCall.mock.calls).toEqual([
      ['sts', 'AssumeRole', 'ok'],
      ['organizations', 'DescribeOrganization', 'ok'],
      ['organizations', 'ListRoots', 'ok'],
    ]);
  });

  it('reports a throttled call, which the SDK leaves to the engine to retry through its paced gate', async () => {
    const organizations = await payerOrganizations();
    sandbox.sandbox.faults.add({
      operation: 'ListRoots',
      service: 'organizations',
      count: 1,
      error: {
        code: 'TooManyRequestsException',
        message: 'Rate exceeded',
        statusCode: 400,
      },
    });
    await expect(
      organizations.send(new ListRootsCommand({})),
    ).rejects.toMatchObject({ name: 'TooManyRequestsException' });
    const { Roots } = await organizations.send(new ListRootsCommand({}));
    expect(Roots).toHaveLength(1);

    expect(onCall.mock.calls.slice(1)).toEqual([
      ['organizations', 'ListRoots', 'throttled'],
      ['organizations', 'ListRoots', 'ok'],
    ]);
  });

  it('reports a failed call as an error', async () => {
    const organizations = await payerOrganizations();
    sandbox.sandbox.faults.add({
      operation: 'ListRoots',
      count: 1,
      error: {
        code: 'AccessDeniedException',
        message: 'no',
        statusCode: 400,
      },
    });
    await expect(organizations.send(new ListRootsCommand({}))).rejects.toThrow(
      'no',
    );

    expect(onCall.mock.calls.slice(1)).toEqual([
      ['organizations', 'ListRoots', 'error'],
    ]);
  });

  it('reports a refused AssumeRole as an error', async () => {
    await expect(
      clients.assumeRole({
        roleArn: 'arn:aws:iam::200000000001:role/NoSuchRole',
        sessionName: 'metrics-test',
      }),
    ).rejects.toThrow();
    expect(onCall.mock.calls).toEqual([['sts', 'AssumeRole', 'error']]);
  });

  it('lets the call succeed when the listener throws', async () => {
    onCall.mockImplementation(() => {
      throw new Error('listener broken');
    });
    const organizations = await payerOrganizations();
    const { Roots } = await organizations.send(new ListRootsCommand({}));
    expect(Roots).toHaveLength(1);
    expect(onCall).toHaveBeenCalledTimes(2);
  });

  it('changes nothing without onCall', async () => {
    const plain = new AwsClients({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      central: async () => CENTRAL,
    });
    const credentials = await plain.assumeRole({
      roleArn: CONTROL_MINTER,
      sessionName: 'metrics-test',
    });
    const { Roots } = await plain
      .organizations(credentials)
      .send(new ListRootsCommand({}));
    expect(Roots).toHaveLength(1);
    expect(
      plain
        .organizations(credentials)
        .middlewareStack.identify()
        .some(name => name.startsWith('accountMintingCallCounter')),
    ).toBe(false);
    expect(
      clients
        .organizations(credentials)
        .middlewareStack.identify()
        .some(name => name.startsWith('accountMintingCallCounter')),
    ).toBe(true);
  });
});
