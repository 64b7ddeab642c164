import { ResponseError } from '@backstage/errors';
import { MintingConfigView } from '../config';
import { HealthResponse } from '../health';
import { RegionRequest } from '../regionRequest';
import {
  CheckedPipeline,
  DriftFilter,
  DriftFinding,
  Estate,
  LogLine,
  LogQuery,
  Page,
  PlanResponse,
  RegionRequestResponse,
  RegionSummary,
  RunFilter,
  RunRecord,
  RunRequest,
  RunWithSteps,
} from './types';

/** Finds the base URL of a backend plugin, as Backstage's discovery services do. */
export interface DiscoveryLike {
  getBaseUrl(pluginId: string): Promise<string>;
}

/** Options of each request: a token for calls made on a user's or a service's behalf. */
export interface RequestOptions {
  token?: string;
}

/**
 * A region request the backend refused, with a message per field (such as
 * `region` or `accountRoles.workload`) so that a form can show each beside its field.
 */
export class RegionRequestError extends Error {
  readonly name = 'RegionRequestError';
  readonly fields: Record<string, string>;

  constructor(message: string, fields: Record<string, string>) {
    super(message);
    this.fields = fields;
  }
}

/** The typed client of the account-minting backend's REST API. */
export interface AccountMintingApi {
  /** Answers a backend whose database is down too, as `status: 'unavailable'`. */
  getHealth(options?: RequestOptions): Promise<HealthResponse>;
  getConfig(options?: RequestOptions): Promise<MintingConfigView>;
  /** Every payer's OU tree, desired against observed; `refresh` reads AWS again instead of a recent observation. */
  getEstate(
    query?: { refresh?: boolean },
    options?: RequestOptions,
  ): Promise<Estate>;
  /** Regions declared in configuration and regions requested, each with its latest run. */
  listRegions(options?: RequestOptions): Promise<RegionSummary[]>;
  getRegion(name: string, options?: RequestOptions): Promise<RegionSummary>;
  /**
   * What minting a region would do, without requesting it.
   * @throws RegionRequestError when the request is invalid
   */
  planRegion(
    request: RegionRequest,
    options?: RequestOptions,
  ): Promise<PlanResponse>;
  /**
   * Requests a region and starts minting it; asking again returns the same region and run.
   * @throws RegionRequestError when the request is invalid
   */
  requestRegion(
    request: RegionRequest,
    options?: RequestOptions,
  ): Promise<RegionRequestResponse>;
  /** Starts a run, or returns the run already doing the same. */
  startRun(run: RunRequest, options?: RequestOptions): Promise<RunRecord>;
  /** What a run of an existing region would do. */
  planRun(run: RunRequest, options?: RequestOptions): Promise<PlanResponse>;
  /** Runs, newest first, a page at a time. */
  listRuns(
    filter?: RunFilter,
    options?: RequestOptions,
  ): Promise<Page<RunRecord>>;
  getRun(id: string, options?: RequestOptions): Promise<RunWithSteps>;
  /** Log lines of a run in the order written, a page at a time. */
  getRunLogs(
    id: string,
    query?: LogQuery,
    options?: RequestOptions,
  ): Promise<Page<LogLine>>;
  cancelRun(id: string, options?: RequestOptions): Promise<RunRecord>;
  /** Queues a failed or cancelled run again; the steps that succeeded stay done. */
  retryRun(id: string, options?: RequestOptions): Promise<RunRecord>;
  /** Drift findings, open ones first, newest first. */
  listFindings(
    filter?: DriftFilter,
    options?: RequestOptions,
  ): Promise<DriftFinding[]>;
  /** Starts the run that repairs a finding, or returns the run already doing it. */
  repairFinding(id: string, options?: RequestOptions): Promise<RunRecord>;
  /** Starts a drift check of a pipeline across the estate now, as the schedule would. */
  startDriftCheck(
    pipeline: CheckedPipeline,
    options?: RequestOptions,
  ): Promise<RunRecord>;
}

/** One call to the backend, as the request helper makes it. */
interface Call {
  method?: 'GET' | 'POST';
  /** The path below the plugin's base URL, its segments already encoded. */
  path: string;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** Statuses whose body is an answer rather than a failure, such as the 503 of /health. */
  alsoAccept?: number[];
  /** Whether a 400 carries a message per field, to raise as a RegionRequestError. */
  fieldErrors?: boolean;
}

/**
 * The REST client shared by the frontend plugin, the scaffolder actions and scripts.
 * Errors from the backend come back as `ResponseError`, with the backend's message,
 * except an invalid region request, which comes back as a `RegionRequestError`.
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
    return this.request({ path: '/health', alsoAccept: [503] }, options);
  }

  async getConfig(options?: RequestOptions): Promise<MintingConfigView> {
    return this.request({ path: '/config' }, options);
  }

  async getEstate(
    query: { refresh?: boolean } = {},
    options?: RequestOptions,
  ): Promise<Estate> {
    return this.request(
      {
        path: '/estate',
        query: { refresh: query.refresh ? 'true' : undefined },
      },
      options,
    );
  }

  async listRegions(options?: RequestOptions): Promise<RegionSummary[]> {
    const { items } = await this.request<{ items: RegionSummary[] }>(
      { path: '/regions' },
      options,
    );
    return items;
  }

  async getRegion(
    name: string,
    options?: RequestOptions,
  ): Promise<RegionSummary> {
    return this.request(
      { path: `/regions/${encodeURIComponent(name)}` },
      options,
    );
  }

  async planRegion(
    request: RegionRequest,
    options?: RequestOptions,
  ): Promise<PlanResponse> {
    return this.request(
      {
        method: 'POST',
        path: '/regions',
        body: { ...request, dryRun: true },
        fieldErrors: true,
      },
      options,
    );
  }

  async requestRegion(
    request: RegionRequest,
    options?: RequestOptions,
  ): Promise<RegionRequestResponse> {
    return this.request(
      { method: 'POST', path: '/regions', body: request, fieldErrors: true },
      options,
    );
  }

  async startRun(
    run: RunRequest,
    options?: RequestOptions,
  ): Promise<RunRecord> {
    return this.request({ method: 'POST', path: '/runs', body: run }, options);
  }

  async planRun(
    run: RunRequest,
    options?: RequestOptions,
  ): Promise<PlanResponse> {
    return this.request(
      { method: 'POST', path: '/runs', body: { ...run, dryRun: true } },
      options,
    );
  }

  async listRuns(
    filter: RunFilter = {},
    options?: RequestOptions,
  ): Promise<Page<RunRecord>> {
    return this.request(
      {
        path: '/runs',
        query: {
          region: filter.region,
          pipeline: filter.pipeline,
          // The backend reads several statuses as one comma-separated parameter.
          status: filter.status?.length ? filter.status.join(',') : undefined,
          cursor: filter.cursor,
          limit: filter.limit === undefined ? undefined : String(filter.limit),
        },
      },
      options,
    );
  }

  async getRun(id: string, options?: RequestOptions): Promise<RunWithSteps> {
    return this.request({ path: runPath(id) }, options);
  }

  async getRunLogs(
    id: string,
    query: LogQuery = {},
    options?: RequestOptions,
  ): Promise<Page<LogLine>> {
    return this.request(
      {
        path: `${runPath(id)}/logs`,
        query: {
          step: query.stepId,
          after: query.after === undefined ? undefined : String(query.after),
          limit: query.limit === undefined ? undefined : String(query.limit),
        },
      },
      options,
    );
  }

  async cancelRun(id: string, options?: RequestOptions): Promise<RunRecord> {
    return this.request(
      { method: 'POST', path: `${runPath(id)}/cancel` },
      options,
    );
  }

  async retryRun(id: string, options?: RequestOptions): Promise<RunRecord> {
    return this.request(
      { method: 'POST', path: `${runPath(id)}/retry` },
      options,
    );
  }

  async listFindings(
    filter: DriftFilter = {},
    options?: RequestOptions,
  ): Promise<DriftFinding[]> {
    const { items } = await this.request<{ items: DriftFinding[] }>(
      {
        path: '/drift',
        query: {
          region: filter.region,
          environment: filter.environment,
          layer: filter.layer,
          status: filter.status,
        },
      },
      options,
    );
    return items;
  }

  async repairFinding(
    id: string,
    options?: RequestOptions,
  ): Promise<RunRecord> {
    return this.request(
      { method: 'POST', path: `/drift/${encodeURIComponent(id)}/repair` },
      options,
    );
  }

  async startDriftCheck(
    pipeline: CheckedPipeline,
    options?: RequestOptions,
  ): Promise<RunRecord> {
    return this.request(
      { method: 'POST', path: '/drift/checks', body: { pipeline } },
      options,
    );
  }

  private async request<T>(
    call: Call,
    options: RequestOptions | undefined,
  ): Promise<T> {
    const baseUrl = await this.discovery.getBaseUrl('account-minting');
    const response = await this.fetch(
      `${baseUrl}${call.path}${queryString(call.query)}`,
      {
        method: call.method ?? 'GET',
        headers: requestHeaders(call, options),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
      },
    );
    if (!response.ok && !call.alsoAccept?.includes(response.status)) {
      throw await failureOf(response, call);
    }
    return (await response.json()) as T;
  }
}

function runPath(id: string): string {
  return `/runs/${encodeURIComponent(id)}`;
}

/** `?name=value&…` of the defined parameters, or nothing when none is. */
function queryString(query: Call['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function requestHeaders(
  call: Call,
  options: RequestOptions | undefined,
): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  if (options?.token) headers.Authorization = `Bearer ${options.token}`;
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** The error a failed response becomes. */
async function failureOf(response: Response, call: Call): Promise<Error> {
  if (call.fieldErrors && response.status === 400) {
    // Read a copy: a 400 without fields still becomes a ResponseError, which reads the body.
    const body = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (isFieldErrorBody(body)) {
      return new RegionRequestError(body.error.message, body.fields);
    }
  }
  return ResponseError.fromResponse(response);
}

/** The body of a 400 of `POST /regions`: the messages joined, and each by its field. */
function isFieldErrorBody(
  body: unknown,
): body is { error: { message: string }; fields: Record<string, string> } {
  const candidate = body as
    | { error?: { message?: unknown }; fields?: unknown }
    | undefined;
  return (
    typeof candidate?.error?.message === 'string' &&
    typeof candidate.fields === 'object' &&
    candidate.fields !== null
  );
}
