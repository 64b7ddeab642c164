import {
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import {
  estateFixture,
  regionNamed,
} from '@regional-minting/plugin-account-minting-common/testUtils';
import {
  estateEntities,
  estateLocation,
  ownerOf,
  regionOwnerOf,
} from './estateEntities';

const options = {
  defaultOwner: 'group:default/platform-sre',
  appBaseUrl: 'http://portal.test:3000/',
};

function entityNamed(entities: Entity[], kind: string, name: string) {
  const found = entities.find(e => e.kind === kind && e.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

describe('estateEntities', () => {
  it('publishes a System per desired region and a Resource per desired account, and nothing only observed', () => {
    const { entities, skipped } = estateEntities(estateFixture(), options);

    expect(entities.map(e => stringifyEntityRef(e))).toEqual([
      'system:default/dev-kirk-us-east-2',
      'resource:default/dev-kirk-us-east-2-rc',
      'resource:default/dev-kirk-us-east-2-mc0',
      'resource:default/dev-kirk-us-east-2-mc1',
      'system:default/dev-spock-eu-west-1',
      'resource:default/dev-spock-eu-west-1-rc',
      'system:default/prod-us-east-1',
      'resource:default/prod-us-east-1-rc',
      'resource:default/prod-us-east-1-mc0',
    ]);
    expect(skipped).toEqual([]);
  });

  it('describes an account: its id, payer, region, OU path and role, part of its region, linked to its portal page', () => {
    const { entities } = estateEntities(estateFixture(), options);

    expect(entityNamed(entities, 'Resource', 'dev-kirk-us-east-2-mc0')).toEqual(
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'dev-kirk-us-east-2-mc0',
          title: 'dev-kirk-us-east-2-mc0',
          description:
            'Management cluster account 400000000102 of dev-kirk-us-east-2: an AWS account of the region OU in payer staging-2.',
          annotations: {
            'backstage.io/managed-by-location':
              'account-minting:estate/staging-2/dev-kirk-us-east-2/dev-kirk-us-east-2-mc0',
            'backstage.io/managed-by-origin-location':
              'account-minting:estate/staging-2/dev-kirk-us-east-2/dev-kirk-us-east-2-mc0',
            'account-minting/account-id': '400000000102',
            'account-minting/payer': 'staging-2',
            'account-minting/region-ou': 'dev-kirk-us-east-2',
            'account-minting/aws-region': 'us-east-2',
            'account-minting/environment': 'dev',
            'account-minting/ou-path':
              'Root/rosa-regional-platform/dev/dev-kirk-us-east-2',
            'account-minting/role': 'management-cluster',
          },
          labels: { 'account-minting/role': 'management-cluster' },
          tags: ['aws', 'management-cluster'],
          links: [
            {
              url: 'http://portal.test:3000/account-minting/accounts/dev-kirk-us-east-2-mc0',
              title: 'Account in account minting',
              icon: 'dashboard',
            },
          ],
        },
        spec: {
          type: 'aws-account',
          owner: 'user:default/kirk',
          system: 'dev-kirk-us-east-2',
        },
      },
    );
  });

  it('leaves the account id out of an account AWS does not have yet', () => {
    const { entities } = estateEntities(estateFixture(), options);

    const account = entityNamed(entities, 'Resource', 'prod-us-east-1-mc0');
    expect(account.metadata.annotations).not.toHaveProperty(
      'account-minting/account-id',
    );
    expect(account.metadata.description).toBe(
      'Management cluster account of prod-us-east-1: an AWS account of the region OU in payer control, not created yet.',
    );
    expect(
      entityNamed(entities, 'Resource', 'prod-us-east-1-rc').metadata
        .annotations?.['account-minting/account-id'],
    ).toBe('200000000101');
  });

  it('describes a region as a System owned by its owner, linked to its runs and drift', () => {
    const { entities } = estateEntities(estateFixture(), options);

    expect(entityNamed(entities, 'System', 'dev-kirk-us-east-2')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: 'dev-kirk-us-east-2',
        title: 'Region dev-kirk-us-east-2',
        description:
          'us-east-2 dev region of kirk: the AWS accounts of the region OU dev-kirk-us-east-2 in payer staging-2, as account minting manages them.',
        annotations: {
          'backstage.io/managed-by-location':
            'account-minting:estate/staging-2/dev-kirk-us-east-2',
          'backstage.io/managed-by-origin-location':
            'account-minting:estate/staging-2/dev-kirk-us-east-2',
          'account-minting/payer': 'staging-2',
          'account-minting/region-ou': 'dev-kirk-us-east-2',
          'account-minting/aws-region': 'us-east-2',
          'account-minting/environment': 'dev',
          'account-minting/ou-path':
            'Root/rosa-regional-platform/dev/dev-kirk-us-east-2',
        },
        links: [
          {
            url: 'http://portal.test:3000/account-minting/runs?region=dev-kirk-us-east-2',
            title: 'Runs in account minting',
            icon: 'dashboard',
          },
          {
            url: 'http://portal.test:3000/account-minting/drift?region=dev-kirk-us-east-2',
            title: 'Drift in account minting',
            icon: 'warning',
          },
        ],
      },
      spec: { owner: 'user:default/kirk' },
    });
  });

  it("gives a region's entities to its owner, else to its requester if a user or group, else to the configured owner", () => {
    const { entities } = estateEntities(estateFixture(), options);

    const ownerOfEntity = (kind: string, name: string) =>
      entityNamed(entities, kind, name).spec?.owner;
    // Declared in configuration: no requester.
    expect(ownerOfEntity('System', 'prod-us-east-1')).toBe(
      'group:default/platform-sre',
    );
    expect(ownerOfEntity('Resource', 'prod-us-east-1-rc')).toBe(
      'group:default/platform-sre',
    );
    // Requested by a plugin, for spock: spock's.
    expect(ownerOfEntity('System', 'dev-spock-eu-west-1')).toBe(
      'user:default/spock',
    );
    expect(ownerOfEntity('Resource', 'dev-spock-eu-west-1-rc')).toBe(
      'user:default/spock',
    );
    expect(ownerOfEntity('Resource', 'dev-kirk-us-east-2-rc')).toBe(
      'user:default/kirk',
    );
  });

  it("takes a region's owner as its requester's ref when the requester has that name, else as a user", () => {
    const region = (owner?: string, requestedBy?: string) => ({
      ...regionNamed(estateFixture(), 'dev-kirk-us-east-2'),
      owner,
      requestedBy,
    });

    expect(regionOwnerOf(region('kirk', 'user:default/kirk'))).toBe(
      'user:default/kirk',
    );
    expect(regionOwnerOf(region('sre', 'group:platform/sre'))).toBe(
      'group:platform/sre',
    );
    // Requested by someone else for kirk: kirk's.
    expect(regionOwnerOf(region('kirk', 'user:default/spock'))).toBe(
      'user:default/kirk',
    );
    expect(regionOwnerOf(region(undefined, 'group:default/sre'))).toBe(
      'group:default/sre',
    );
    expect(regionOwnerOf(region(undefined, 'plugin:scaffolder'))).toBe(
      undefined,
    );
  });

  it('describes each entity by what tells it apart first, as the catalog list shows only the start', () => {
    const { entities } = estateEntities(estateFixture(), options);
    const descriptionOf = (kind: string, name: string) =>
      entityNamed(entities, kind, name).metadata.description;

    expect(descriptionOf('System', 'prod-us-east-1')).toBe(
      'us-east-1 prod region: the AWS accounts of the region OU prod-us-east-1 in payer control, as account minting manages them.',
    );
    expect(descriptionOf('System', 'dev-spock-eu-west-1')).toMatch(
      /^eu-west-1 dev region of spock: /,
    );
    expect(descriptionOf('Resource', 'dev-kirk-us-east-2-rc')).toMatch(
      /^Regional cluster account \d+ of dev-kirk-us-east-2: /,
    );
    // No two entities' descriptions start alike.
    const starts = entities.map(e => e.metadata.description?.split(':')[0]);
    expect(new Set(starts).size).toBe(entities.length);
  });

  it('takes user and group refs as owners, normalized, and nothing else', () => {
    expect(ownerOf('user:default/kirk')).toBe('user:default/kirk');
    expect(ownerOf('user:kirk')).toBe('user:default/kirk');
    expect(ownerOf('Group:sre/platform')).toBe('group:sre/platform');
    expect(ownerOf('plugin:scaffolder')).toBeUndefined();
    expect(ownerOf('plugin:account-minting/scheduler')).toBeUndefined();
    expect(ownerOf('kirk')).toBeUndefined();
    expect(ownerOf('user:default/not a name')).toBeUndefined();
    expect(ownerOf(undefined)).toBeUndefined();
  });

  it('makes relative links without the portal address', () => {
    const { entities } = estateEntities(estateFixture(), {
      defaultOwner: 'group:default/platform-sre',
    });

    expect(
      entityNamed(entities, 'Resource', 'prod-us-east-1-rc').metadata.links,
    ).toEqual([
      expect.objectContaining({
        url: '/account-minting/accounts/prod-us-east-1-rc',
      }),
    ]);
  });

  it('skips, saying why, what has no valid entity name, and the accounts of a region it skips', () => {
    const estate = estateFixture();
    const prod = regionNamed(estate, 'prod-us-east-1');
    prod.accounts[1].name = 'Prod US East 1 mc0';
    const dev = regionNamed(estate, 'dev-spock-eu-west-1');
    dev.name = `dev-${'x'.repeat(60)}-eu-west-1`;

    const { entities, skipped } = estateEntities(estate, options);

    expect(skipped).toEqual([
      `region ${dev.name}: "${dev.name}" is not a valid entity name (up to 63 letters, digits, -, _ and ., starting and ending with a letter or digit)`,
      'account Prod US East 1 mc0 of region prod-us-east-1: "Prod US East 1 mc0" is not a valid entity name (up to 63 letters, digits, -, _ and ., starting and ending with a letter or digit)',
    ]);
    expect(entities.map(e => e.metadata.name)).toEqual([
      'dev-kirk-us-east-2',
      'dev-kirk-us-east-2-rc',
      'dev-kirk-us-east-2-mc0',
      'dev-kirk-us-east-2-mc1',
      'prod-us-east-1',
      'prod-us-east-1-rc',
    ]);
  });

  it('publishes entities that the catalog validates', async () => {
    const { entities } = estateEntities(estateFixture(), options);
    const policies = EntityPolicies.allOf([
      new SchemaValidEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new FieldFormatEntityPolicy(),
    ]);

    for (const entity of entities) {
      await expect(policies.enforce(entity)).resolves.toBeDefined();
      const validator =
        entity.kind === 'System'
          ? systemEntityV1alpha1Validator
          : resourceEntityV1alpha1Validator;
      await expect(validator.check(entity)).resolves.toBe(true);
    }
  });

  it('names a location of its own type for each entity', () => {
    expect(estateLocation('control', 'prod-us-east-1')).toBe(
      'account-minting:estate/control/prod-us-east-1',
    );
  });
});
