import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  EnablePolicyTypeCommand,
  ListRootsCommand,
  DetachPolicyCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListPoliciesCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { JsonObject } from '@backstage/types';
import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { testDatabases } from '../../testUtils/databases';
import { startMintingBackend } from '../../testUtils/mintingBackend';
import { waitFor } from '../../testUtils/waitFor';

const databases = testDatabases();

// Each test mints regions against a backend and a sandbox of its own.
jest.setTimeout(120_000);

type Minting = Awaited<ReturnType<typeof startMintingBackend>>;
type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
type Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

const CENTRAL: Credentials = {
  accessKeyId: 'AKIASANDBOXCENTRAL01',
  secretAccessKey: 'sandbox-central-account-secret-key',
};
const DEV_PAYER = '400000000001';
const PROD_PAYER = '200000000001';

/**
 * The guardrail: nobody in a region's accounts changes IAM but the minting
 * pipeline's two roles. Bootstrap reaches a new account only through
 * OrganizationAccountAccessRole (the role CreateAccount makes, which only the payer can
 * assume) and makes the provisioning role with it, and provisioning then works as
 * account-minting-provisioner: both are excepted, so that a region still bootstraps
 * and provisions, while every role a workload or a person adds is denied IAM.
 */
const denyIamOutsideMinting = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'IamOnlyByAccountMinting',
      Effect: 'Deny',
      Action: 'iam:*',
      Resource: '*',
      Condition: {
        ArnNotLike: {
          'aws:PrincipalArn': [
            'arn:aws:iam::*:role/account-minting-provisioner',
            'arn:aws:iam::*:role/OrganizationAccountAccessRole',
          ],
        },
      },
    },
  ],
};
const denyLeavingOrganization = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Action: 'organizations:LeaveOrganization',
      Resource: '*',
    },
  ],
};

function declarePolicies(accountMinting: JsonObject) {
  accountMinting.policies = [
    {
      name: 'iam-only-by-account-minting',
      description: 'IAM changes only by the account-minting roles',
      document: denyIamOutsideMinting,
      targets: [{ regionOusOf: 'dev' }, { regionOusOf: 'prod' }],
    },
    {
      name: 'stay-in-organization',
      document: denyLeavingOrganization,
      targets: ['platform', { environment: 'dev' }],
    },
  ];
}

function sts(credentials: Credentials, endpoint: string) {
  return new STSClient({ region: 'us-east-1', endpoint, credentials });
}

async function assume(
  endpoint: string,
  via: Credentials,
  roleArn: string,
): Promise<Credentials> {
  const { Credentials: c } = await sts(via, endpoint).send(
    new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'by-hand' }),
  );
  return {
    accessKeyId: c!.AccessKeyId!,
    secretAccessKey: c!.SecretAccessKey!,
    sessionToken: c!.SessionToken,
  };
}

/** The payer's Organizations API as its minting role: how a person would change things by hand. */
async function payerOrganizations(sandbox: Sandbox, payerId: string) {
  return new OrganizationsClient({
    region: 'us-east-1',
    endpoint: sandbox.endpoint,
    credentials: await assume(
      sandbox.endpoint,
      CENTRAL,
      `arn:aws:iam::${payerId}:role/AccountMinter`,
    ),
  });
}

/** The names of the SCPs attached directly to a root, OU or account. */
async function scpsOn(organizations: OrganizationsClient, targetId: string) {
  const { Policies } = await organizations.send(
    new ListPoliciesForTargetCommand({
      TargetId: targetId,
      Filter: 'SERVICE_CONTROL_POLICY',
    }),
  );
  return (Policies ?? []).map(p => p.Name).sort();
}

async function parentOf(organizations: OrganizationsClient, childId: string) {
  const { Parents } = await organizations.send(
    new ListParentsCommand({ ChildId: childId }),
  );
  return Parents![0].Id!;
}

/** The region OU, environment OU and platform OU of a region run, from its region OU step. */
async function ousOf(organizations: OrganizationsClient, run: any) {
  const { regionOuId } = run.steps.find(
    (s: any) => s.kind === 'mint-region-ou',
  ).outputs;
  const environmentOuId = await parentOf(organizations, regionOuId);
  const platformOuId = await parentOf(organizations, environmentOuId);
  return { regionOuId, environmentOuId, platformOuId };
}

async function policyId(organizations: OrganizationsClient, name: string) {
  const { Policies } = await organizations.send(
    new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }),
  );
  return Policies!.find(p => p.Name === name)!.Id!;
}

async function mintRun(minting: Minting, region: string) {
  const started = await minting
    .api('post', '/runs')
    .send({ pipeline: 'mint', region });
  expect(started.status).toBe(202);
  return minting.finished(started.body.id);
}

const organizationsChanges = (sandbox: Sandbox) =>
  sandbox.sandbox.calls
    .list()
    .filter(c => c.mutating && c.service === 'organizations')
    .map(c => c.operation);

describe.each(databases.eachSupportedId())(
  'service control policies on %s',
  id => {
    it('creates and attaches the declared SCPs in a region run that still bootstraps under them, and changes nothing when rerun', async () => {
      const minting = await startMintingBackend({
        knex: await databases.init(id),
        configure: declarePolicies,
      });
      const { sandbox } = minting;
      try {
        // A dry run plans the SCPs on the OUs the run would make, and changes nothing.
        const dry = await minting.api('post', '/regions').send({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'kirk',
          dryRun: true,
        });
        expect(dry.status).toBe(200);
        const planned = dry.body.plan.steps.find(
          (s: any) => s.key === 'policies',
        );
        expect(planned.actions).toContainEqual({
          action: 'attach-scp',
          target:
            'iam-only-by-account-minting on Root/rosa-regional-platform/dev/dev-kirk-us-east-2',
          policy: 'iam-only-by-account-minting',
          ouPath: 'Root/rosa-regional-platform/dev/dev-kirk-us-east-2',
          reason: 'it is a target of the policy, once the run makes it',
        });
        expect(organizationsChanges(sandbox)).toEqual([]);

        const first = await minting.regionRun({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'kirk',
        });
        expect(first.status).toBe('succeeded');
        // Bootstrap made the provisioning role under the guardrail.
        expect(
          first.steps.filter((s: any) => s.kind === 'bootstrap-account').length,
        ).toBeGreaterThan(0);
        const policiesStep = first.steps.find((s: any) => s.key === 'policies');
        expect(policiesStep).toMatchObject({
          kind: 'mint-policies',
          status: 'succeeded',
        });
        expect(
          policiesStep.plan.actions.map((a: any) => `${a.action} ${a.target}`),
        ).toEqual([
          'enable-policy-type Root',
          'create-policy iam-only-by-account-minting',
          'attach-scp iam-only-by-account-minting on Root/rosa-regional-platform/dev/dev-kirk-us-east-2',
          'create-policy stay-in-organization',
          'attach-scp stay-in-organization on Root/rosa-regional-platform',
          'attach-scp stay-in-organization on Root/rosa-regional-platform/dev',
        ]);

        const organizations = await payerOrganizations(sandbox, DEV_PAYER);
        const ous = await ousOf(organizations, first);
        expect(await scpsOn(organizations, ous.regionOuId)).toEqual([
          'FullAWSAccess',
          'iam-only-by-account-minting',
        ]);
        expect(await scpsOn(organizations, ous.environmentOuId)).toEqual([
          'FullAWSAccess',
          'stay-in-organization',
        ]);
        expect(await scpsOn(organizations, ous.platformOuId)).toEqual([
          'FullAWSAccess',
          'stay-in-organization',
        ]);
        const { Tags } = await organizations.send(
          new ListTagsForResourceCommand({
            ResourceId: await policyId(
              organizations,
              'iam-only-by-account-minting',
            ),
          }),
        );
        expect(Tags).toEqual([{ Key: 'managed-by', Value: 'account-minting' }]);

        // The guardrail bites: a role a workload adds in a region account is denied IAM.
        const accountId = first.steps.find(
          (s: any) => s.kind === 'mint-account',
        ).outputs.accountId;
        const viaPayer = await assume(
          sandbox.endpoint,
          CENTRAL,
          `arn:aws:iam::${DEV_PAYER}:role/AccountBootstrap`,
        );
        const access = await assume(
          sandbox.endpoint,
          viaPayer,
          `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        );
        const iam = (credentials: Credentials) =>
          new IAMClient({
            region: 'us-east-1',
            endpoint: sandbox.endpoint,
            credentials,
          });
        const createRole = (RoleName: string) =>
          new CreateRoleCommand({
            RoleName,
            AssumeRolePolicyDocument: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                  Action: 'sts:AssumeRole',
                },
              ],
            }),
          });
        await iam(access).send(createRole('workload'));
        const workload = await assume(
          sandbox.endpoint,
          access,
          `arn:aws:iam::${accountId}:role/workload`,
        );
        await expect(
          iam(workload).send(createRole('backdoor')),
        ).rejects.toThrow(/explicit deny in a service control policy/);

        // A second region of dev gets the policy on its region OU; the first keeps it.
        const second = await minting.regionRun({
          environment: 'dev',
          region: 'eu-west-1',
          owner: 'kirk',
        });
        expect(second.status).toBe('succeeded');
        const secondOus = await ousOf(organizations, second);
        expect(await scpsOn(organizations, secondOus.regionOuId)).toEqual([
          'FullAWSAccess',
          'iam-only-by-account-minting',
        ]);

        // Everything matches: a rerun plans nothing and makes no Organizations change.
        sandbox.sandbox.calls.clear();
        const rerun = await mintRun(minting, 'dev-kirk-us-east-2');
        expect(rerun.status).toBe('succeeded');
        expect(
          rerun.steps.find((s: any) => s.key === 'policies').plan.actions,
        ).toEqual([
          {
            action: 'none',
            target: 'service control policies',
            reason:
              'every declared SCP is as declared and attached to its targets',
          },
        ]);
        expect(organizationsChanges(sandbox)).toEqual([]);

        // The estate shows each OU's declared policies.
        const estate = await minting.api('get', '/estate?refresh=true');
        const dev = estate.body.payers
          .find((p: any) => p.name === 'staging-2')
          .environments.find((e: any) => e.name === 'dev');
        expect(
          dev.regions.map((r: any) => [r.name, r.policies]).sort(),
        ).toEqual([
          ['dev-kirk-eu-west-1', ['iam-only-by-account-minting']],
          ['dev-kirk-us-east-2', ['iam-only-by-account-minting']],
        ]);
      } finally {
        await minting.stop();
      }
    });

    it('finds SCPs changed by hand, repairs them in dev and reports them in prod', async () => {
      const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
      const minting = await startMintingBackend({
        knex: await databases.init(id),
        sandbox,
        configure: declarePolicies,
      });
      const findings = async (query: string) =>
        (await minting.api('get', `/drift?layer=policy&${query}`)).body
          .items as any[];
      const check = async () => {
        const started = await minting
          .api('post', '/drift/checks')
          .send({ pipeline: 'mint' });
        expect(started.status).toBe(202);
        expect((await minting.finished(started.body.id)).status).toBe(
          'succeeded',
        );
      };
      try {
        const devRun = await minting.regionRun({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'kirk',
        });
        const prodRun = await minting.regionRun({
          environment: 'prod',
          region: 'us-east-1',
        });
        expect([devRun.status, prodRun.status]).toEqual([
          'succeeded',
          'succeeded',
        ]);
        await check();
        expect(await findings('status=open')).toEqual([]);

        // By hand: in dev the guardrail is detached from the region OU; in prod too, and
        // it is also attached to the environment OU and its document loosened.
        const dev = await payerOrganizations(sandbox, DEV_PAYER);
        const devOus = await ousOf(dev, devRun);
        const devPolicy = await policyId(dev, 'iam-only-by-account-minting');
        await dev.send(
          new DetachPolicyCommand({
            PolicyId: devPolicy,
            TargetId: devOus.regionOuId,
          }),
        );
        const prod = await payerOrganizations(sandbox, PROD_PAYER);
        const prodOus = await ousOf(prod, prodRun);
        const prodPolicy = await policyId(prod, 'iam-only-by-account-minting');
        await prod.send(
          new DetachPolicyCommand({
            PolicyId: prodPolicy,
            TargetId: prodOus.regionOuId,
          }),
        );
        await prod.send(
          new AttachPolicyCommand({
            PolicyId: prodPolicy,
            TargetId: prodOus.environmentOuId,
          }),
        );
        await prod.send(
          new UpdatePolicyCommand({
            PolicyId: prodPolicy,
            Content: JSON.stringify({
              ...denyIamOutsideMinting,
              Statement: [
                {
                  ...denyIamOutsideMinting.Statement[0],
                  Action: 'iam:Delete*',
                },
              ],
            }),
          }),
        );

        await check();

        // prod reports: each difference found, nothing changed.
        const prodFound = await findings('region=prod-us-east-1&status=open');
        expect(prodFound.map(f => f.summary).sort()).toEqual([
          'SCP iam-only-by-account-minting is attached to Root/rosa-regional-platform/prod, which is not one of its targets',
          'SCP iam-only-by-account-minting is not attached to Root/rosa-regional-platform/prod/prod-us-east-1, one of its targets',
          'SCP iam-only-by-account-minting was changed: its document differs from the declared one',
        ]);
        expect(
          prodFound.every(
            f =>
              f.pipeline === 'mint' &&
              f.repairable &&
              !f.repairRunId &&
              !f.resolvedAt,
          ),
        ).toBe(true);
        expect(await scpsOn(prod, prodOus.regionOuId)).toEqual([
          'FullAWSAccess',
        ]);

        // dev repairs: the check's repair run attaches it again.
        const [devFound] = await findings('region=dev-kirk-us-east-2');
        expect(devFound).toMatchObject({
          layer: 'policy',
          environment: 'dev',
          repairable: true,
          diff: { expected: 'attached', actual: 'detached' },
        });
        expect(devFound.repairRunId).toEqual(expect.any(String));
        expect((await minting.finished(devFound.repairRunId)).status).toBe(
          'succeeded',
        );
        expect(await scpsOn(dev, devOus.regionOuId)).toEqual([
          'FullAWSAccess',
          'iam-only-by-account-minting',
        ]);
        await waitFor('the dev policy finding to be repaired', async () => {
          const [finding] = await findings('region=dev-kirk-us-east-2');
          return finding.resolution === 'repaired';
        });

        // A person repairs prod through the API: the mint run puts every difference right.
        const repair = await minting
          .api('post', `/drift/${prodFound[0].id}/repair`)
          .send();
        expect(repair.status).toBe(202);
        expect((await minting.finished(repair.body.id)).status).toBe(
          'succeeded',
        );
        expect(await scpsOn(prod, prodOus.regionOuId)).toEqual([
          'FullAWSAccess',
          'iam-only-by-account-minting',
        ]);
        expect(await scpsOn(prod, prodOus.environmentOuId)).toEqual([
          'FullAWSAccess',
        ]);
      } finally {
        await minting.stop();
        await sandbox.close();
      }
    });

    it('leaves an SCP of a declared name that is not its own alone, and fails its step saying so', async () => {
      const minting = await startMintingBackend({
        knex: await databases.init(id),
        configure: declarePolicies,
      });
      try {
        const organizations = await payerOrganizations(
          minting.sandbox,
          DEV_PAYER,
        );
        const { Roots } = await organizations.send(new ListRootsCommand({}));
        await organizations.send(
          new EnablePolicyTypeCommand({
            RootId: Roots![0].Id!,
            PolicyType: 'SERVICE_CONTROL_POLICY',
          }),
        );
        const theirs = JSON.stringify(denyIamOutsideMinting);
        await organizations.send(
          new CreatePolicyCommand({
            Name: 'stay-in-organization',
            Description: 'the security team',
            Content: theirs,
            Type: 'SERVICE_CONTROL_POLICY',
          }),
        );
        const run = await minting.regionRun({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'kirk',
        });
        expect(run.status).toBe('failed');
        const step = run.steps.find((s: any) => s.key === 'policies');
        expect(step.status).toBe('failed');
        expect(step.error).toMatch(
          /SCPs stay-in-organization \(p-\w+\) exist without the tag managed-by: account-minting/,
        );
        // No account is made where its guardrails could not be put.
        expect(
          run.steps
            .filter((s: any) => s.kind === 'mint-account')
            .every((s: any) => s.status !== 'succeeded'),
        ).toBe(true);
        expect(organizationsChanges(minting.sandbox)).not.toContain(
          'UpdatePolicy',
        );
      } finally {
        await minting.stop();
      }
    });
  },
);
