import { ResponseError } from '@backstage/errors';
import { HealthResponse } from '../health';

/** Finds the base URL of a backend plugin, as Backstage's discovery services do. */
export interface DiscoveryLike {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** Options of each request: a token for calls made on a user's or a service's behalf. */
export interface RequestOptions {
  token?: string;
}

/** The typed client of the account-minting backend's REST API. */
export interface AccountMintingApi {
  getHealth(options?: RequestOptions): Promise<HealthResponse>;
}

/**
 * The REST client shared by the frontend plugin, the scaffolder actions and scripts.
 * Errors from the backend come back as `ResponseError`, with the backend's message.
 */
export class AccountMintingClient implements AccountMintingApi {
  private readonly discovery: DiscoveryLike;
  private readonly fetch: typeof fetch;

  constructor(options: {
    discoveryApi: DiscoveryLike;
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discovery = options.discoveryApi;
    this.fetch = options.fetchApi?.fetch ?? globalThis.fetch;
  }

  async getHealth(options?: RequestOptions): Promise<HealthResponse> {
    return this.request<HealthResponse>('/health', options, [503]);
  }

  private async request<T>(
    path: string,
    options: RequestOptions | undefined,
    alsoAccept: number[] = [],
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('account-minting');
    const response = await this.fetch(`${baseUrl}${path}`, {
      headers: options?.token
        ? { Authorization: `Bearer ${options.token}` }
        : undefined,
    });
    if (!response.ok && !alsoAccept.includes(response.status)) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
