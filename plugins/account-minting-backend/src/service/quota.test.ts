import { defaultSeed } from '@regional-minting/aws-sandbox';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';

const databases = testDatabases();

// Each test starts a backend and a sandbox of its own.
jest.setTimeout(120_000);

/** The sandbox with staging-2 (dev's payer) allowed `quota` accounts in all. */
function seedWithQuota(quota: number) {
  const seed = defaultSeed();
  const staging2 = seed.organizations.find(
    o => o.managementAccount.id === '400000000001',
  )!;
  staging2.accountQuota = quota;
  return seed;
}

const devRegion = { environment: 'dev', region: 'us-east-2', owner: 'kirk' };

describe.each(databases.eachSupportedId())('the account quota on %s', id => {
  it('refuses a region whose accounts do not fit the quota, with the numbers, and changes nothing', async () => {
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      seed: seedWithQuota(2),
    });
    try {
      const dry = await minting
        .api('post', '/regions')
        .send({ ...devRegion, dryRun: true });
      expect(dry.status).toBe(400);
      expect(dry.body.fields.accountRoles).toMatch(
        /^payer staging-2 needs 3 new accounts, \d+ left of 2 .*ask AWS to raise the quota "Default maximum number of accounts"$/,
      );

      const refused = await minting.api('post', '/regions').send(devRegion);
      expect(refused.status).toBe(400);
      expect(refused.body.fields.accountRoles).toBe(
        dry.body.fields.accountRoles,
      );
      expect((await minting.api('get', '/regions')).body.items).toEqual([]);
      expect((await minting.api('get', '/runs')).body.items).toEqual([]);
      expect(
        minting.sandbox.sandbox.calls
          .list()
          .filter(c => c.mutating && c.service !== 'sts'),
      ).toEqual([]);
    } finally {
      await minting.stop();
    }
  });

  it('shows the organization against its quota in the plan of a region that fits', async () => {
    const minting = await startMintingBackend({
      knex: await databases.init(id),
      seed: seedWithQuota(50),
    });
    try {
      const dry = await minting
        .api('post', '/regions')
        .send({ ...devRegion, dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body.plan.quota).toMatchObject({
        payer: 'staging-2',
        quota: 50,
        quotaSource: 'service-quotas',
        needed: 3,
      });
      expect(dry.body.plan.quota.left).toBe(50 - dry.body.plan.quota.accounts);
      expect(dry.body.plan.quota.problem).toBeUndefined();
    } finally {
      await minting.stop();
    }
  });
});
