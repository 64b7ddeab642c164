/**
 * A development-only auth provider: sign in as one of the catalog users listed in
 * auth.providers.devUsers, so that one portal can be used as several people.
 *
 * @packageDocumentation
 */
export { authModuleDevUsersProvider as default } from './module';
