import { components } from './api/openapi.generated';

/** What `GET /api/account-minting/health` answers. */
export type HealthResponse = components['schemas']['HealthResponse'];
