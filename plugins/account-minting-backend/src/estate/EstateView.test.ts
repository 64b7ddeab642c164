import type { Estate } from '@regional-minting/plugin-account-minting-common';
import { JsonObject } from '@backstage/types';
import { testDatabases } from '../testUtils/databases';
import { startMintingBackend } from '../testUtils/mintingBackend';
import { waitFor } from '../testUtils/waitFor';

const databases = testDatabases();

// A backend and a sandbox of its own, and region runs to wait for: generous, so that a
// loaded machine is slow, never failing.
jest.setTimeout(120_000);

type Minting = Awaited<ReturnType<typeof startMintingBackend>>;

/** The Organizations calls the sandbox answered since the last clear, by operation. */
function organizationsCalls(minting: Minting): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of minting.sandbox.sandbox.calls.list()) {
    if (call.service !== 'organizations') continue;
    counts[call.operation] = (counts[call.operation] ?? 0) + 1;
  }
  return counts;
}

/** The accounts of a region OU as the estate shows them: name and whether AWS has it with an id. */
function accountsOf(estate: Estate, regionOu: string) {
  const region = estate.payers
    .flatMap(p => p.environments)
    .flatMap(e => e.regions)
    .find(r => r.name === regionOu);
  return region?.accounts.map(a => ({
    name: a.name,
    observed: a.observed,
    hasId: Boolean(a.id),
  }));
}

describe('EstateView', () => {
  it.each(databases.eachSupportedId())(
    'answers from its snapshot and reads again only the region OUs of the steps finished since, on %p',
    async databaseId => {
      const minting = await startMintingBackend({
        knex: await databases.init(databaseId),
        // However long a loaded machine takes over the runs below, no read behind an
        // answer: the calls counted are the answers' own.
        configure: accountMinting => {
          (accountMinting.engine as JsonObject).estateMaxAgeSeconds = 3600;
        },
      });
      const estate = async (query = '') => {
        const response = await minting.api('get', `/estate${query}`);
        expect(response.status).toBe(200);
        return response.body as Estate;
      };
      try {
        const kirk = await minting.regionRun({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'kirk',
        });
        expect(kirk.status).toBe('succeeded');
        await estate();

        // Nothing finished since: the snapshot answers, AWS is not read.
        minting.sandbox.sandbox.calls.clear();
        expect(accountsOf(await estate(), kirk.region)).toEqual([
          { name: `${kirk.region}-rc`, observed: true, hasId: true },
          { name: `${kirk.region}-mc0`, observed: true, hasId: true },
          { name: `${kirk.region}-mc1`, observed: true, hasId: true },
        ]);
        expect(organizationsCalls(minting)).toEqual({});

        // Another region minted: its OU is new, so the environment's OUs are listed again,
        // then its accounts and their tags; kirk's region is not read again.
        const spock = await minting.regionRun({
          environment: 'dev',
          region: 'us-east-2',
          owner: 'spock',
        });
        expect(spock.status).toBe('succeeded');
        minting.sandbox.sandbox.calls.clear();
        const after = await estate();
        expect(accountsOf(after, spock.region)).toEqual([
          { name: `${spock.region}-rc`, observed: true, hasId: true },
          { name: `${spock.region}-mc0`, observed: true, hasId: true },
          { name: `${spock.region}-mc1`, observed: true, hasId: true },
        ]);
        expect(accountsOf(after, kirk.region)).toHaveLength(3);
        const read = organizationsCalls(minting);
        expect(read.ListAccountsForParent).toBe(1);
        expect(read.ListTagsForResource).toBe(3);

        // A refresh reads every payer whole: both dev regions' accounts again.
        minting.sandbox.sandbox.calls.clear();
        await estate('?refresh=true');
        expect(organizationsCalls(minting).ListAccountsForParent).toBe(2);
        expect(organizationsCalls(minting).ListTagsForResource).toBe(6);
      } finally {
        await minting.stop();
      }
    },
  );

  it('serves an old snapshot at once and reads AWS again behind it', async () => {
    const minting = await startMintingBackend({
      knex: await databases.init('SQLITE_3'),
    });
    try {
      const kirk = await minting.regionRun({
        environment: 'dev',
        region: 'us-east-2',
        owner: 'kirk',
      });
      expect((await minting.api('get', '/estate')).status).toBe(200);
      minting.sandbox.sandbox.calls.clear();

      // Two minutes later, as the view's clock sees it.
      const realNow = Date.now;
      const later = realNow() + 120_000;
      const now = jest.spyOn(Date, 'now').mockImplementation(() => later);
      let answer;
      try {
        answer = await minting.api('get', '/estate');
      } finally {
        now.mockRestore();
      }
      expect(answer.status).toBe(200);
      expect(accountsOf(answer.body, kirk.region)).toHaveLength(3);
      // The old snapshot answered; the read it started behind the answer lists the
      // accounts again, and the next answers come from it.
      await waitFor('the estate read again behind the answer', async () => {
        const { body } = await minting.api('get', '/estate');
        return Date.parse(body.observedAt) > Date.parse(answer.body.observedAt);
      });
      expect(organizationsCalls(minting).ListTagsForResource).toBe(3);
    } finally {
      await minting.stop();
    }
  });
});
