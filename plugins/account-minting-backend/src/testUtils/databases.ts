import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases of the backend tests: SQLite always, and PostgreSQL when `./minting test`
 * finds a server on 127.0.0.1:5432 and names it in BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING.
 */
export function testDatabases(): TestDatabases {
  return TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
}
