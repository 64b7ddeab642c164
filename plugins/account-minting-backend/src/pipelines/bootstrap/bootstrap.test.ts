import { testDatabases } from '../../testUtils/databases';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  defaultSeed,
  PROFILES,
  startSandbox,
} from '@regional-minting/aws-sandbox';
import { startMintingBackend } from '../../testUtils/mintingBackend';

const databases = testDatabases();

// Each test mints a region against a backend and a sandbox of its own: generous, so that a
// loaded machine is slow, never failing. Waits for runs have deadlines of their own.
jest.setTimeout(120_000);

const CENTRAL = {
  accessKeyId: 'AKIASANDBOXCENTRAL01',
  secretAccessKey: 'sandbox-central-account-secret-key',
};

describe.each(databases.eachSupportedId())(
  'the bootstrap pipeline on %s',
  id => {
    it('makes the provisioning role that only the central pipeline gets into, and corrects its drift', async () => {
      // New accounts refuse the role chain for a moment after they are made, as in AWS.
      const sandbox = await startSandbox({
        port: 0,
        seed: defaultSeed(),
        profile: { ...PROFILES.instant, accountReadinessMs: 300 },
      });
      const minting = await startMintingBackend({
        knex: await databases.init(id),
        sandbox,
      });
      const run = async (pipeline: string) => {
        const started = await minting
          .api('post', '/runs')
          .send({ pipeline, region: 'dev-kirk-us-east-2' });
        expect(started.status).toBe(202);
        return minting.finished(started.body.id);
      };
      try {
        const requested = await minting
          .api('post', '/regions')
          .send({ environment: 'dev', region: 'us-east-2', owner: 'kirk' });
        // The region run bootstraps every account as soon as it is minted.
        expect((await minting.finished(requested.body.run.id)).status).toBe(
          'succeeded',
        );
        const regionLogs = await minting.api(
          'get',
          `/runs/${requested.body.run.id}/logs`,
        );
        expect(regionLogs.body.items.map((l: any) => l.message)).toContain(
          'create-role dev-kirk-us-east-2-rc/account-minting-provisioner: role account-minting-provisioner does not exist',
        );

        const first = await run('bootstrap');
        expect(first.status).toBe('succeeded');
        expect(first.steps.map((s: any) => s.key)).toEqual([
          'bootstrap:dev-kirk-us-east-2-rc',
          'bootstrap:dev-kirk-us-east-2-mc0',
          'bootstrap:dev-kirk-us-east-2-mc1',
        ]);
        const accountId = first.steps[0].outputs.accountId;
        const role =
          sandbox.sandbox.state.accounts.get(accountId)!.roles[
            'account-minting-provisioner'
          ];
        expect(JSON.parse(role.trustPolicy).Statement[0].Principal).toEqual({
          AWS: 'arn:aws:iam::100000000001:user/account-minting-pipeline',
        });
        expect(role.permissionsBoundaryArn).toBe(
          'arn:aws:iam::aws:policy/PowerUserAccess',
        );
        expect(role.attachedPolicyArns).toEqual([
          'arn:aws:iam::aws:policy/ReadOnlyAccess',
        ]);
        expect(Object.keys(role.inlinePolicies)).toEqual(['terraform-state']);

        // The sandbox enforces the trust: the central pipeline gets in, the payer's minting role does not.
        const roleArn = first.steps[0].outputs.provisioningRoleArn;
        const sts = (credentials: typeof CENTRAL & { sessionToken?: string }) =>
          new STSClient({
            endpoint: sandbox.endpoint,
            region: 'us-east-1',
            credentials,
            maxAttempts: 1,
          });
        await expect(
          sts(CENTRAL).send(
            new AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: 'provision',
            }),
          ),
        ).resolves.toBeDefined();
        const minter = await sts(CENTRAL).send(
          new AssumeRoleCommand({
            RoleArn: 'arn:aws:iam::400000000001:role/AccountMinter',
            RoleSessionName: 'minter',
          }),
        );
        await expect(
          sts({
            accessKeyId: minter.Credentials!.AccessKeyId!,
            secretAccessKey: minter.Credentials!.SecretAccessKey!,
            sessionToken: minter.Credentials!.SessionToken!,
          }).send(
            new AssumeRoleCommand({
              RoleArn: roleArn,
              RoleSessionName: 'intruder',
            }),
          ),
        ).rejects.toMatchObject({ name: 'AccessDenied' });

        // Someone widens the trust, drops a policy and adds one of their own: the next bootstrap corrects it.
        role.trustPolicy = JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: '*' },
              Action: 'sts:AssumeRole',
            },
          ],
        });
        role.attachedPolicyArns = [];
        role.inlinePolicies.backdoor =
          '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
        // A dry run shows the plan the run then carries out, and changes nothing.
        sandbox.sandbox.calls.clear();
        const dry = await minting.api('post', '/runs').send({
          pipeline: 'bootstrap',
          region: 'dev-kirk-us-east-2',
          account: 'dev-kirk-us-east-2-rc',
          dryRun: true,
        });
        expect(dry.status).toBe(200);
        expect(
          dry.body.plan.actions.map((a: any) => `${a.action} ${a.target}`),
        ).toEqual([
          'update-trust dev-kirk-us-east-2-rc/account-minting-provisioner',
          'attach-policy dev-kirk-us-east-2-rc/account-minting-provisioner',
          'delete-inline-policy dev-kirk-us-east-2-rc/account-minting-provisioner',
        ]);
        expect(
          sandbox.sandbox.calls
            .list()
            .filter(c => c.mutating && c.service !== 'sts'),
        ).toEqual([]);
        const corrected = await run('bootstrap');
        expect(corrected.status).toBe('succeeded');
        expect(
          corrected.steps[0].plan.actions.map((a: any) => a.action),
        ).toEqual(['update-trust', 'attach-policy', 'delete-inline-policy']);
        expect(JSON.parse(role.trustPolicy).Statement[0].Principal.AWS).toBe(
          'arn:aws:iam::100000000001:user/account-minting-pipeline',
        );
        expect(Object.keys(role.inlinePolicies)).toEqual(['terraform-state']);

        // A role that matches gets no mutating call at all.
        sandbox.sandbox.calls.clear();
        expect((await run('bootstrap')).status).toBe('succeeded');
        expect(
          sandbox.sandbox.calls
            .list()
            .filter(c => c.service === 'iam' && c.mutating),
        ).toEqual([]);

        const logs = await minting.api('get', `/runs/${first.id}/logs`);
        expect(logs.body.items.map((l: any) => l.message)).toContain(
          'Bootstrap dev-kirk-us-east-2-rc: role account-minting-provisioner matches its configuration',
        );
      } finally {
        await minting.stop();
        await sandbox.close();
      }
    });
  },
);
