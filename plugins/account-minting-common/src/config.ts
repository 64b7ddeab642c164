import { components } from './api/openapi.generated';

// The views of GET /config are the types generated from the API's spec.
type Schemas = components['schemas'];

/** An environment as a form sees it (`GET /config`). */
export type EnvironmentView = Schemas['EnvironmentView'];

/** An account role as a form sees it. */
export type AccountRoleView = Schemas['AccountRoleView'];

export type PayerView = Schemas['PayerView'];

/** What `GET /config` answers: everything a new-region form needs. */
export type MintingConfigView = Schemas['MintingConfigView'];
