import {
  CreateAccountCommand,
  DescribeCreateAccountStatusCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultSeed, startSandbox } from '@regional-minting/aws-sandbox';
import { testDatabases } from '../testUtils/databases';
import { HeldCalls, holdCalls } from '../testUtils/holdCalls';
import { startMintingBackend } from '../testUtils/mintingBackend';
import { waitFor } from '../testUtils/waitFor';

const databases = testDatabases();

// Each test mints regions against a backend and a sandbox of its own: generous, so that a
// loaded machine is slow, never failing. Waits for runs have deadlines of their own.
jest.setTimeout(120_000);

type Minting = Awaited<ReturnType<typeof startMintingBackend>>;
type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** The payer's Organizations API as its minting role: how a person would change things by hand. */
async function payerOrganizations(sandbox: Sandbox, payerId: string) {
  const central = {
    accessKeyId: 'AKIASANDBOXCENTRAL01',
    secretAccessKey: 'sandbox-central-account-secret-key',
  };
  const config = { region: 'us-east-1', endpoint: sandbox.endpoint };
  const { Credentials } = await new STSClient({
    ...config,
    credentials: central,
  }).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${payerId}:role/AccountMinter`,
      RoleSessionName: 'by-hand',
    }),
  );
  return new OrganizationsClient({
    ...config,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretAccessKey!,
      sessionToken: Credentials!.SessionToken,
    },
  });
}

/** The region's accounts by suffix, with their ids and where they sit. */
function regionOf(sandbox: Sandbox, run: any) {
  const state = sandbox.sandbox.state;
  const accountIds: Record<string, string> = {};
  for (const step of run.steps) {
    if (step.kind === 'mint-account') {
      accountIds[step.target.account.split('-').pop()] = step.outputs.accountId;
    }
  }
  const rc = state.accounts.get(accountIds.rc)!;
  return {
    ids: accountIds,
    regionOuId: rc.parentId!,
    rootId: [...state.organizations.values()].find(
      o => o.id === rc.organizationId,
    )!.rootId,
    account: (suffix: string) => state.accounts.get(accountIds[suffix])!,
  };
}

/** Drift made by hand in a region: an account moved out, a tag changed, a trust policy edited, a stray account. */
async function tamperWith(
  sandbox: Sandbox,
  region: ReturnType<typeof regionOf>,
  payerId: string,
  strayName: string,
) {
  const organizations = await payerOrganizations(sandbox, payerId);
  await organizations.send(
    new MoveAccountCommand({
      AccountId: region.ids.rc,
      SourceParentId: region.regionOuId,
      DestinationParentId: region.rootId,
    }),
  );
  region.account('mc0').tags.environment = 'tampered';
  const role = Object.values(region.account('mc1').roles).find(
    r => r.name === 'account-minting-provisioner',
  )!;
  role.trustPolicy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999999999999:root' },
        Action: 'sts:AssumeRole',
      },
    ],
  });
  const { CreateAccountStatus } = await organizations.send(
    new CreateAccountCommand({
      AccountName: strayName,
      Email: `${strayName}@example.com`,
    }),
  );
  let state = CreateAccountStatus!;
  while (state.State === 'IN_PROGRESS') {
    state = (
      await organizations.send(
        new DescribeCreateAccountStatusCommand({
          CreateAccountRequestId: state.Id,
        }),
      )
    ).CreateAccountStatus!;
  }
  await organizations.send(
    new MoveAccountCommand({
      AccountId: state.AccountId,
      SourceParentId: region.rootId,
      DestinationParentId: region.regionOuId,
    }),
  );
  return state.AccountId!;
}

async function check(minting: Minting, pipeline: string) {
  const started = await minting.api('post', '/drift/checks').send({ pipeline });
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ mode: 'check', region: '*' });
  const run = await minting.finished(started.body.id);
  expect(run.status).toBe('succeeded');
  return run;
}

async function findings(minting: Minting, query: string) {
  const { body } = await minting.api('get', `/drift?${query}`);
  return body.items as any[];
}

/**
 * The findings of a query once none that a run can repair is open any more: a run's
 * success resolves its findings just after the run shows as finished.
 */
async function repairedFindings(minting: Minting, query: string) {
  let items: any[] = [];
  return waitFor(
    `the repairable findings of ${query} to be resolved`,
    async () => {
      items = await findings(minting, query);
      return items.every(f => !f.repairable || f.resolvedAt)
        ? items
        : undefined;
    },
    {
      describe: () =>
        items
          .map(f => `${f.layer} ${f.account ?? ''} ${f.resolution ?? 'open'}`)
          .join(', '),
    },
  );
}

const byLayer = (items: any[]) =>
  items.map(f => `${f.layer} ${f.account ?? ''}`.trim()).sort();

describe.each(databases.eachSupportedId())('drift checks on %s', id => {
  it('finds drift made by hand, repairs it under repair, reports it under report, and resolves it once fixed', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
    });
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

      // Nothing to find in a fresh estate, and a check changes nothing.
      sandbox.sandbox.calls.clear();
      await check(minting, 'mint');
      await check(minting, 'bootstrap');
      expect(await findings(minting, 'status=open')).toEqual([]);
      expect(
        sandbox.sandbox.calls
          .list()
          .filter(c => c.mutating && c.operation !== 'AssumeRole'),
      ).toEqual([]);

      const dev = regionOf(sandbox, devRun);
      const prod = regionOf(sandbox, prodRun);
      const devStray = await tamperWith(
        sandbox,
        dev,
        '400000000001',
        'stray-dev',
      );
      const prodStray = await tamperWith(
        sandbox,
        prod,
        '200000000001',
        'stray-prod',
      );

      await check(minting, 'mint');
      await check(minting, 'bootstrap');

      // prod reports: every difference found, nothing changed in AWS.
      const prodFound = await findings(
        minting,
        'region=prod-us-east-1&status=open',
      );
      expect(byLayer(prodFound)).toEqual([
        'ou-placement prod-us-east-1-rc',
        'provisioning-role prod-us-east-1-mc1',
        'stray-account stray-prod',
        'tags prod-us-east-1-mc0',
      ]);
      expect(prodFound.every(f => !f.repairRunId && !f.resolvedAt)).toBe(true);
      expect(prodFound.find(f => f.layer === 'tags').diff).toMatchObject({
        expected: { environment: 'prod' },
        actual: { environment: 'tampered' },
      });
      expect(prod.account('rc').parentId).toBe(prod.rootId);
      expect(prod.account('mc0').tags.environment).toBe('tampered');

      // dev repairs: the same differences, each repairable one put right by a run of its
      // pipeline that the check started, or by a region run already under way.
      const devFound = await findings(minting, 'region=dev-kirk-us-east-2');
      expect(byLayer(devFound)).toEqual([
        'ou-placement dev-kirk-us-east-2-rc',
        'provisioning-role dev-kirk-us-east-2-mc1',
        'stray-account stray-dev',
        'tags dev-kirk-us-east-2-mc0',
      ]);
      const repairable = devFound.filter(f => f.repairable);
      expect(byLayer(repairable)).toEqual([
        'ou-placement dev-kirk-us-east-2-rc',
        'provisioning-role dev-kirk-us-east-2-mc1',
        'tags dev-kirk-us-east-2-mc0',
      ]);
      for (const finding of repairable) {
        expect(finding.repairRunId).toEqual(expect.any(String));
        const repairRun = await minting.finished(finding.repairRunId);
        expect(repairRun).toMatchObject({
          mode: 'apply',
          region: 'dev-kirk-us-east-2',
          status: 'succeeded',
        });
        expect(repairRun.account).toBeUndefined();
        expect([finding.pipeline, 'region']).toContain(repairRun.pipeline);
      }
      expect(dev.account('rc').parentId).toBe(dev.regionOuId);
      expect(dev.account('mc0').tags.environment).toBe('dev');
      const devRole = dev.account('mc1').roles['account-minting-provisioner'];
      expect(devRole.trustPolicy).toContain('account-minting-pipeline');
      const devAfter = await repairedFindings(
        minting,
        'region=dev-kirk-us-east-2',
      );
      expect(
        devAfter.map(f => `${f.layer} ${f.resolution ?? 'open'}`).sort(),
      ).toEqual([
        'ou-placement repaired',
        'provisioning-role repaired',
        // Nobody's to repair: it stays open until a person moves it.
        'stray-account open',
        'tags repaired',
      ]);
      // Each was resolved by the run it was linked to.
      for (const finding of repairable) {
        expect(devAfter.find(f => f.id === finding.id).repairRunId).toBe(
          finding.repairRunId,
        );
      }
      expect(sandbox.sandbox.state.accounts.get(devStray)!.parentId).toBe(
        dev.regionOuId,
      );

      // In prod, a person puts the account back and moves the stray out; the next check resolves both.
      const organizations = await payerOrganizations(sandbox, '200000000001');
      await organizations.send(
        new MoveAccountCommand({
          AccountId: prod.ids.rc,
          SourceParentId: prod.rootId,
          DestinationParentId: prod.regionOuId,
        }),
      );
      await organizations.send(
        new MoveAccountCommand({
          AccountId: prodStray,
          SourceParentId: prod.regionOuId,
          DestinationParentId: prod.rootId,
        }),
      );
      await check(minting, 'mint');
      const prodAfter = await findings(minting, 'region=prod-us-east-1');
      expect(
        prodAfter.map(f => `${f.layer} ${f.resolution ?? 'open'}`).sort(),
      ).toEqual([
        'ou-placement fixed',
        'provisioning-role open',
        'stray-account fixed',
        'tags open',
      ]);
      const tags = prodAfter.find(f => f.layer === 'tags');
      expect(Date.parse(tags.lastSeenAt)).toBeGreaterThan(
        Date.parse(tags.firstSeenAt),
      );

      // A user repairs a reported finding through the API.
      const repair = await minting
        .api('post', `/drift/${tags.id}/repair`)
        .send();
      expect(repair.status).toBe(202);
      expect((await minting.finished(repair.body.id)).status).toBe('succeeded');
      expect(prod.account('mc0').tags.environment).toBe('prod');
      const repaired = (
        await repairedFindings(minting, 'layer=tags&region=prod-us-east-1')
      )[0];
      expect(repaired).toMatchObject({
        resolution: 'repaired',
        repairRunId: repair.body.id,
      });
    } finally {
      await minting.stop();
      await sandbox.close();
    }
  });

  it('repairs a bootstrap finding with a bootstrap run while a mint repair run of the region is under way', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
    });
    // The mint repair run stays in its TagResource call until the test lets it go on.
    let held: HeldCalls | undefined;
    try {
      const dev = regionOf(
        sandbox,
        await minting.regionRun({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'kirk',
        }),
      );
      dev.account('mc0').tags.environment = 'tampered';
      const role = () =>
        dev.account('mc1').roles['account-minting-provisioner'];
      role().trustPolicy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 'sts:AssumeRole',
          },
        ],
      });

      held = holdCalls(sandbox.sandbox, 'TagResource');
      await check(minting, 'mint');
      const [tags] = await findings(minting, 'layer=tags&status=open');
      const mintRepair = tags.repairRunId;
      expect(mintRepair).toEqual(expect.any(String));
      await waitFor(
        'the mint repair run to tag the account',
        () => held!.waiting() > 0,
      );

      // The bootstrap check finds the role's drift while the mint run is still under way.
      await check(minting, 'bootstrap');
      const running = (await minting.api('get', `/runs/${mintRepair}`)).body;
      expect(running).toMatchObject({ pipeline: 'mint', status: 'running' });
      const [roleFinding] = await findings(
        minting,
        'layer=provisioning-role&status=open',
      );
      expect(roleFinding.repairRunId).toEqual(expect.any(String));
      expect(roleFinding.repairRunId).not.toBe(mintRepair);
      const bootstrapRepair = (
        await minting.api('get', `/runs/${roleFinding.repairRunId}`)
      ).body;
      expect(bootstrapRepair).toMatchObject({
        pipeline: 'bootstrap',
        mode: 'apply',
        region: 'dev-kirk-us-east-2',
        requestedBy: 'plugin:account-minting/drift-repair',
      });
      expect(bootstrapRepair.account).toBeUndefined();

      held.release();
      expect((await minting.finished(mintRepair)).status).toBe('succeeded');
      expect((await minting.finished(bootstrapRepair.id)).status).toBe(
        'succeeded',
      );
      expect(dev.account('mc0').tags.environment).toBe('dev');
      expect(role().trustPolicy).toContain('account-minting-pipeline');
      expect(
        (await repairedFindings(minting, 'region=dev-kirk-us-east-2'))
          .map(f => [f.layer, f.resolution, f.repairRunId])
          .sort(),
      ).toEqual([
        ['provisioning-role', 'repaired', bootstrapRepair.id],
        ['tags', 'repaired', mintRepair],
      ]);
    } finally {
      held?.release();
      await minting.stop();
      await sandbox.close();
    }
  });

  it('links a finding to the region run under way that repairs it, and starts no other run', async () => {
    const sandbox = await startSandbox({ port: 0, seed: defaultSeed() });
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      sandbox,
    });
    let held: HeldCalls | undefined;
    try {
      const dev = regionOf(
        sandbox,
        await minting.regionRun({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'kirk',
        }),
      );
      dev.account('mc0').tags.environment = 'tampered';

      // A region run of the region, held in its TagResource call.
      held = holdCalls(sandbox.sandbox, 'TagResource');
      const started = await minting
        .api('post', '/runs')
        .send({ pipeline: 'region', region: 'dev-kirk-us-east-2' });
      expect(started.status).toBe(202);
      const regionRun = started.body.id;
      await waitFor(
        'the region run to tag the account',
        () => held!.waiting() > 0,
      );

      await check(minting, 'mint');
      const [tags] = await findings(minting, 'layer=tags&status=open');
      expect(tags.repairRunId).toBe(regionRun);
      const runs = (await minting.api('get', '/runs?region=dev-kirk-us-east-2'))
        .body.items;
      expect(runs.map((r: any) => [r.pipeline, r.status])).toEqual([
        ['region', 'running'],
        ['region', 'succeeded'],
      ]);

      held.release();
      expect((await minting.finished(regionRun)).status).toBe('succeeded');
      expect(dev.account('mc0').tags.environment).toBe('dev');
      expect(
        await repairedFindings(minting, 'region=dev-kirk-us-east-2'),
      ).toMatchObject([
        { layer: 'tags', resolution: 'repaired', repairRunId: regionRun },
      ]);
    } finally {
      held?.release();
      await minting.stop();
      await sandbox.close();
    }
  });

  it('refuses bad drift queries and what cannot be repaired', async () => {
    const minting = await startMintingBackend({
      knex: await databases.init(id),
    });
    try {
      const badLayer = await minting.api('get', '/drift?layer=weather');
      expect(badLayer.status).toBe(400);
      expect(badLayer.body.error.message).toMatch(
        /^request\/query\/layer must be equal to one of the allowed values/,
      );
      const badPipeline = await minting
        .api('post', '/drift/checks')
        .send({ pipeline: 'region' });
      expect(badPipeline.status).toBe(400);
      expect(badPipeline.body.error.message).toMatch(
        /^request\/body\/pipeline must be equal to one of/,
      );
      const unknown = await minting.api('post', '/drift/no-such-id/repair');
      expect(unknown.status).toBe(404);
    } finally {
      await minting.stop();
    }
  });

  it('checks only the pipelines it can: without a provisioning role, mint alone', async () => {
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      configure: accountMinting => {
        delete accountMinting.bootstrap;
      },
    });
    try {
      const refused = await minting
        .api('post', '/drift/checks')
        .send({ pipeline: 'bootstrap' });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toBe(
        'pipeline: bootstrap cannot be checked without accountMinting.bootstrap, which is not configured',
      );
      const { body } = await minting.api('get', '/runs');
      expect(body.items).toEqual([]);
    } finally {
      await minting.stop();
    }
  });
});
