/**
 * The account-minting backend plugin. It announces each finished run on the events
 * service (the topic and payload are in `@regional-minting/plugin-account-minting-node`);
 * the catalog module that publishes the estate is its own package and reads it through
 * the REST API.
 *
 * Its layers, each importing only those below it:
 * - `plugin.ts` and `createMintingEngine.ts`: the wiring, the one place that builds the engine.
 * - `service/`: the REST API (router, input checks, errors, health) and `MintingService`,
 *   what the API, the scheduler and the scaffolder ask of the engine; `drift/`: drift
 *   checks, findings, repair policies and notifications.
 * - `pipelines/`: mint, bootstrap and provision, each step kind a handler registered by kind,
 *   with the step keys they share; `drift/checks/` registers the checks' steps the same way.
 * - `engine/`: the executor that claims steps and runs them through the step registry,
 *   knowing no pipeline; `runs/`: runs, steps and logs in the database.
 * - `regions/` and `estate/`: the desired state (declared and accepted regions), the
 *   observed estate and the plans between them; `aws/`: SDK clients, sessions, pacing,
 *   retries and the creation slots shared by replicas; `config/`: the configuration's schema.
 *
 * A region request goes router → `validateRegionRequest` → `MintingService` (request and
 * run in one transaction) → `runs/` → executor → step registry → pipeline handler → AWS.
 *
 * @packageDocumentation
 */
export { accountMintingPlugin as default } from './plugin';
