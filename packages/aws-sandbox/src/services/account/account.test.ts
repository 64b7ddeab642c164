import {
  AccessDeniedException,
  AccountClient,
  GetAccountInformationCommand,
  PutAccountNameCommand,
  ValidationException,
} from '@aws-sdk/client-account';
import {
  CloseAccountCommand,
  CreateOrganizationCommand,
  DescribeAccountCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { RunningSandbox, startSandbox } from '../../server';
import {
  assumeRole,
  BOOTSTRAP_ROLE,
  CENTRAL,
  clientConfig,
  MINTER_ROLE,
  minterOrganizations,
  testSeed,
} from '../../__testUtils__/sandbox';

jest.setTimeout(60_000);

const MEMBER = '300000000001';
const OTHER_MEMBER = '300000000002';

describe('Account Management (PutAccountName, GetAccountInformation)', () => {
  let running: RunningSandbox;
  let management: AccountClient;

  beforeEach(async () => {
    running = await startSandbox({ port: 0, seed: testSeed({ members: 2 }) });
    management = new AccountClient(
      clientConfig(
        running.endpoint,
        await assumeRole(running.endpoint, CENTRAL, MINTER_ROLE),
      ),
    );
  });

  afterEach(() => running.close());

  /** A client acting in a member account, through its OrganizationAccountAccessRole. */
  async function memberClient(accountId: string): Promise<AccountClient> {
    const bootstrap = await assumeRole(
      running.endpoint,
      CENTRAL,
      BOOTSTRAP_ROLE,
    );
    return new AccountClient(
      clientConfig(
        running.endpoint,
        await assumeRole(
          running.endpoint,
          bootstrap,
          `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        ),
      ),
    );
  }

  it('lets the management account rename a member, as Organizations then shows it', async () => {
    await management.send(
      new PutAccountNameCommand({
        AccountId: MEMBER,
        AccountName: 'prod-us-east-1 (rc)',
      }),
    );
    const orgs = await minterOrganizations(running.endpoint);
    const { Account } = await orgs.send(
      new DescribeAccountCommand({ AccountId: MEMBER }),
    );
    expect(Account!.Name).toBe('prod-us-east-1 (rc)');
    const { Accounts } = await orgs.send(new ListAccountsCommand({}));
    expect(Accounts!.find(a => a.Id === MEMBER)!.Name).toBe(
      'prod-us-east-1 (rc)',
    );
    expect(
      await management.send(
        new GetAccountInformationCommand({ AccountId: MEMBER }),
      ),
    ).toMatchObject({
      AccountId: MEMBER,
      AccountName: 'prod-us-east-1 (rc)',
      AccountState: 'ACTIVE',
      AccountCreatedDate: expect.any(Date),
    });
  });

  it('lets any account rename itself without an AccountId', async () => {
    const member = await memberClient(MEMBER);
    await member.send(new PutAccountNameCommand({ AccountName: 'renamed' }));
    expect(
      await member.send(new GetAccountInformationCommand({})),
    ).toMatchObject({ AccountId: MEMBER, AccountName: 'renamed' });
    await management.send(new PutAccountNameCommand({ AccountName: 'payer' }));
    expect(
      (await management.send(new GetAccountInformationCommand({}))).AccountName,
    ).toBe('payer');
  });

  it('denies, with 403, accounts the caller may not change', async () => {
    const member = await memberClient(MEMBER);
    const byMember = await member
      .send(
        new PutAccountNameCommand({
          AccountId: OTHER_MEMBER,
          AccountName: 'nope',
        }),
      )
      .catch(e => e);
    expect(byMember).toBeInstanceOf(AccessDeniedException);
    expect(byMember.$metadata.httpStatusCode).toBe(403);

    await expect(
      management.send(
        new PutAccountNameCommand({
          AccountId: '999999999999',
          AccountName: 'ghost',
        }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedException);
    // The management account renames itself without AccountId, never with its own.
    await expect(
      management.send(
        new PutAccountNameCommand({
          AccountId: '200000000001',
          AccountName: 'self',
        }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedException);

    // The central account manages an organization of its own: not the payer's members.
    const central = clientConfig(running.endpoint, CENTRAL);
    await new OrganizationsClient(central).send(
      new CreateOrganizationCommand({ FeatureSet: 'ALL' }),
    );
    await expect(
      new AccountClient(central).send(
        new PutAccountNameCommand({ AccountId: MEMBER, AccountName: 'mine' }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedException);
  });

  it('refuses names that break the rules with a ValidationException naming the field', async () => {
    for (const AccountName of ['', 'x'.repeat(51), 'a<b', 'tab\there']) {
      const error = await management
        .send(new PutAccountNameCommand({ AccountId: MEMBER, AccountName }))
        .catch(e => e);
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.fieldList).toEqual([
        { name: 'AccountName', message: expect.any(String) },
      ]);
    }
    const badId = await management
      .send(new PutAccountNameCommand({ AccountId: '123', AccountName: 'ok' }))
      .catch(e => e);
    expect(badId).toBeInstanceOf(ValidationException);
    expect(badId.fieldList[0].name).toBe('AccountId');
  });

  it('refuses to rename a closed account, which still reports its state', async () => {
    const orgs = await minterOrganizations(running.endpoint);
    await orgs.send(new CloseAccountCommand({ AccountId: MEMBER }));
    await expect(
      management.send(
        new PutAccountNameCommand({ AccountId: MEMBER, AccountName: 'late' }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedException);
    expect(
      await management.send(
        new GetAccountInformationCommand({ AccountId: MEMBER }),
      ),
    ).toMatchObject({ AccountName: 'member-1', AccountState: 'SUSPENDED' });
  });
});
