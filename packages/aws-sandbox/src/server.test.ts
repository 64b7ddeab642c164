import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CENTRAL_ACCOUNT, RunningSandbox, startSandbox } from './index';

describe('aws-sandbox', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });

  afterAll(() => sandbox.close());

  const sts = (accessKeyId: string, secretAccessKey: string) =>
    new STSClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });

  it('tells the AWS SDK who the central account credentials belong to', async () => {
    const identity = await sts(
      CENTRAL_ACCOUNT.accessKeyId,
      CENTRAL_ACCOUNT.secretAccessKey,
    ).send(new GetCallerIdentityCommand({}));

    expect(identity).toMatchObject({
      Account: '100000000001',
      Arn: 'arn:aws:iam::100000000001:user/account-minting-pipeline',
      UserId: 'AIDASANDBOXCENTRAL0001',
    });
    expect(identity.$metadata.httpStatusCode).toBe(200);
    expect(identity.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses credentials it never issued, as STS does', async () => {
    const error = await sts('AKIAUNKNOWN000000000', 'nope')
      .send(new GetCallerIdentityCommand({}))
      .catch(e => e);

    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.message).toBe(
      'The security token included in the request is invalid.',
    );
    expect(error.$metadata.httpStatusCode).toBe(403);
  });
});
