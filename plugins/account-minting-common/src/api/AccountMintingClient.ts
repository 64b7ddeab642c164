import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
  DiscoveryLike,
  RequestOptions,
} from './openapi.client.generated';
import { KeptAnswers } from './keptAnswers';
import { MintingConfigView } from '../config';
import { HealthResponse } from '../health';
import { RegionRequest } from '../regionRequest';
import {
  AdoptBody,
  ChangeRequest,
  ChangeResponse,
  ChangeStatus,
  CheckedPipeline,
  DecommissionBody,
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
  ScaleBody,
} from './types';

export type { DiscoveryLike, RequestOptions };

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
   * Requests a region and starts minting it; asking again returns the same region and
   * run. In an environment that needs approval, answers the change waiting for it.
   * @throws RegionRequestError when the request is invalid
   */
  requestRegion(
    request: RegionRequest & Reason,
    options?: RequestOptions,
  ): Promise<RegionRequestResponse | ChangeResponse>;
  /**
   * Changes a requested region's account counts (with `dryRun`, answers the plan):
   * the run that scales it, or the change waiting for approval.
   * @throws RegionRequestError when a count is invalid
   */
  scaleRegion(
    name: string,
    body: ScaleBody,
    options?: RequestOptions,
  ): Promise<PlanResponse | RunRecord | ChangeResponse>;
  /**
   * Decommissions a region, or the accounts named in the body (with `dryRun`, answers
   * the plan): the decommission run, or the change waiting for approval.
   */
  decommission(
    name: string,
    body: DecommissionBody,
    options?: RequestOptions,
  ): Promise<PlanResponse | RunRecord | ChangeResponse>;
  /**
   * Takes over existing accounts into a region's slots (with `dryRun`, answers the plan):
   * the region and the run adopting them, or the change waiting for approval.
   * @throws RegionRequestError when an account id is invalid or an account is refused
   */
  adopt(
    name: string,
    body: AdoptBody,
    options?: RequestOptions,
  ): Promise<PlanResponse | RegionRequestResponse | ChangeResponse>;
  /** Starts a run, or returns the run already doing the same, or the change waiting for approval. */
  startRun(
    run: RunRequest,
    options?: RequestOptions,
  ): Promise<RunRecord | ChangeResponse>;
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
  retryRun(
    id: string,
    why?: Reason,
    options?: RequestOptions,
  ): Promise<RunRecord | ChangeResponse>;
  /** Drift findings, open ones first, newest first. */
  listFindings(
    filter?: DriftFilter,
    options?: RequestOptions,
  ): Promise<DriftFinding[]>;
  /** Starts the run that repairs a finding, or returns the run already doing it. */
  repairFinding(
    id: string,
    why?: Reason,
    options?: RequestOptions,
  ): Promise<RunRecord | ChangeResponse>;
  /** Change requests, pending first. */
  listChanges(
    filter?: { status?: ChangeStatus },
    options?: RequestOptions,
  ): Promise<ChangeRequest[]>;
  getChange(id: string, options?: RequestOptions): Promise<ChangeRequest>;
  /** Approves the change's current plan; enough approvals start its run. */
  approveChange(
    id: string,
    decision?: { comment?: string },
    options?: RequestOptions,
  ): Promise<ChangeRequest>;
  /** Rejects the change, which ends it. */
  rejectChange(
    id: string,
    decision?: { comment?: string },
    options?: RequestOptions,
  ): Promise<ChangeRequest>;
  /** Starts a drift check of a pipeline across the estate now, as the schedule would. */
  startDriftCheck(
    pipeline: CheckedPipeline,
    options?: RequestOptions,
  ): Promise<RunRecord>;
}

/** Why a change is asked for: required where the environment's approval says so. */
export interface Reason {
  reason?: string;
}

/** How an answer is read: which statuses answer rather than fail, and whether a 400 names fields. */
interface Reading {
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
  private readonly api: DefaultApiClient;
  private readonly kept = new KeptAnswers();

  constructor(options: {
    discoveryApi: DiscoveryLike;
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.api = new DefaultApiClient(options);
  }

  async getHealth(options?: RequestOptions): Promise<HealthResponse> {
    return answer(await this.api.getHealth({}, options), {
      alsoAccept: [503],
    });
  }

  async getConfig(options?: RequestOptions): Promise<MintingConfigView> {
    return answer(await this.api.getConfig({}, options));
  }

  async getEstate(
    query: { refresh?: boolean } = {},
    options?: RequestOptions,
  ): Promise<Estate> {
    // A refresh reads AWS again; what it found may still be the answer held.
    return this.kept.read(
      'estate',
      (ifNoneMatch?: string) =>
        this.api.getEstate(
          { query: query.refresh ? { refresh: true } : {} },
          { ...options, ifNoneMatch },
        ),
      answer,
    );
  }

  async listRegions(options?: RequestOptions): Promise<RegionSummary[]> {
    return (await answer(await this.api.listRegions({}, options))).items;
  }

  async getRegion(
    name: string,
    options?: RequestOptions,
  ): Promise<RegionSummary> {
    return answer(await this.api.getRegion({ path: { name } }, options));
  }

  async planRegion(
    request: RegionRequest,
    options?: RequestOptions,
  ): Promise<PlanResponse> {
    // The operation answers a dry run with 200 and a plan.
    return (await answer(
      await this.api.requestRegion(
        { body: { ...request, dryRun: true } },
        options,
      ),
      { fieldErrors: true },
    )) as PlanResponse;
  }

  async requestRegion(
    request: RegionRequest & Reason,
    options?: RequestOptions,
  ): Promise<RegionRequestResponse | ChangeResponse> {
    return (await answer(
      await this.api.requestRegion({ body: request }, options),
      { fieldErrors: true },
    )) as RegionRequestResponse | ChangeResponse;
  }

  async startRun(
    run: RunRequest,
    options?: RequestOptions,
  ): Promise<RunRecord | ChangeResponse> {
    return (await answer(await this.api.startRun({ body: run }, options))) as
      | RunRecord
      | ChangeResponse;
  }

  async planRun(
    run: RunRequest,
    options?: RequestOptions,
  ): Promise<PlanResponse> {
    return (await answer(
      await this.api.startRun({ body: { ...run, dryRun: true } }, options),
    )) as PlanResponse;
  }

  async scaleRegion(
    name: string,
    body: ScaleBody,
    options?: RequestOptions,
  ): Promise<PlanResponse | RunRecord | ChangeResponse> {
    return answer(
      await this.api.scaleRegion({ path: { name }, body }, options),
      { fieldErrors: true },
    );
  }

  async decommission(
    name: string,
    body: DecommissionBody,
    options?: RequestOptions,
  ): Promise<PlanResponse | RunRecord | ChangeResponse> {
    return answer(
      await this.api.decommissionRegion({ path: { name }, body }, options),
    );
  }

  async adopt(
    name: string,
    body: AdoptBody,
    options?: RequestOptions,
  ): Promise<PlanResponse | RegionRequestResponse | ChangeResponse> {
    return answer(
      await this.api.adoptAccounts({ path: { name }, body }, options),
      { fieldErrors: true },
    );
  }

  async listRuns(
    filter: RunFilter = {},
    options?: RequestOptions,
  ): Promise<Page<RunRecord>> {
    return answer(
      await this.api.listRuns(
        {
          query: {
            region: filter.region,
            pipeline: filter.pipeline,
            // The backend reads several statuses as one comma-separated parameter.
            status: filter.status?.length ? filter.status.join(',') : undefined,
            cursor: filter.cursor,
            limit:
              filter.limit === undefined ? undefined : String(filter.limit),
          },
        },
        options,
      ),
    );
  }

  async getRun(id: string, options?: RequestOptions): Promise<RunWithSteps> {
    // Its steps' plans, states and outputs are the JSON objects the spec leaves open.
    return (await answer(
      await this.api.getRun({ path: { id } }, options),
    )) as RunWithSteps;
  }

  async getRunLogs(
    id: string,
    query: LogQuery = {},
    options?: RequestOptions,
  ): Promise<Page<LogLine>> {
    return answer(
      await this.api.getRunLogs(
        {
          path: { id },
          query: {
            step: query.stepId,
            after: query.after === undefined ? undefined : String(query.after),
            limit: query.limit === undefined ? undefined : String(query.limit),
          },
        },
        options,
      ),
    );
  }

  async cancelRun(id: string, options?: RequestOptions): Promise<RunRecord> {
    return answer(await this.api.cancelRun({ path: { id } }, options));
  }

  async retryRun(
    id: string,
    why: Reason = {},
    options?: RequestOptions,
  ): Promise<RunRecord | ChangeResponse> {
    return answer(
      await this.api.retryRun({ path: { id }, body: why }, options),
    );
  }

  async listFindings(
    filter: DriftFilter = {},
    options?: RequestOptions,
  ): Promise<DriftFinding[]> {
    const query = {
      region: filter.region,
      environment: filter.environment,
      layer: filter.layer,
      status: filter.status,
    };
    const page = await this.kept.read(
      `findings ${JSON.stringify(query)}`,
      (ifNoneMatch?: string) =>
        this.api.listFindings({ query }, { ...options, ifNoneMatch }),
      answer,
    );
    return page.items;
  }

  async repairFinding(
    id: string,
    why: Reason = {},
    options?: RequestOptions,
  ): Promise<RunRecord | ChangeResponse> {
    return answer(
      await this.api.repairFinding({ path: { id }, body: why }, options),
    );
  }

  async listChanges(
    filter: { status?: ChangeStatus } = {},
    options?: RequestOptions,
  ): Promise<ChangeRequest[]> {
    const page = await answer(
      await this.api.listChanges({ query: { status: filter.status } }, options),
    );
    return page.items;
  }

  async getChange(
    id: string,
    options?: RequestOptions,
  ): Promise<ChangeRequest> {
    return answer(await this.api.getChange({ path: { id } }, options));
  }

  async approveChange(
    id: string,
    decision: { comment?: string } = {},
    options?: RequestOptions,
  ): Promise<ChangeRequest> {
    return answer(
      await this.api.approveChange({ path: { id }, body: decision }, options),
    );
  }

  async rejectChange(
    id: string,
    decision: { comment?: string } = {},
    options?: RequestOptions,
  ): Promise<ChangeRequest> {
    return answer(
      await this.api.rejectChange({ path: { id }, body: decision }, options),
    );
  }

  async startDriftCheck(
    pipeline: CheckedPipeline,
    options?: RequestOptions,
  ): Promise<RunRecord> {
    return answer(
      await this.api.startDriftCheck({ body: { pipeline } }, options),
    );
  }
}

/**
 * The JSON of a successful answer, typed as the operation's 200 or 202.
 * @throws RegionRequestError or ResponseError for a failure
 */
async function answer<T>(
  response: Omit<Response, 'json'> & { json(): Promise<T> },
  reading: Reading = {},
): Promise<Exclude<T, { error: unknown }>> {
  if (!response.ok && !reading.alsoAccept?.includes(response.status)) {
    throw await failureOf(response as Response, reading);
  }
  return (await response.json()) as Exclude<T, { error: unknown }>;
}

/** The error a failed response becomes. */
async function failureOf(response: Response, reading: Reading): Promise<Error> {
  if (reading.fieldErrors && response.status === 400) {
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
