import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import {
  AccountMintingClient,
  clip,
  RegionRequestError,
  RequestOptions,
} from '@regional-minting/plugin-account-minting-common';

/** What every account-minting action is made with. */
export interface MintingActionOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** The root config: `app.baseUrl` makes the links to run pages. */
  config: RootConfigService;
}

/** What a task gives an action to act for the user running the template. */
type TaskContext = {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
};

/**
 * A token for the account-minting backend on behalf of the user running the
 * template, so that the backend's permission checks apply to that user.
 */
export async function tokenFor(
  auth: AuthService,
  ctx: TaskContext,
): Promise<string> {
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: await ctx.getInitiatorCredentials(),
    targetPluginId: 'account-minting',
  });
  return token;
}

/** Makes the links to the pages of one kind of thing in the portal, from `app.baseUrl`. */
function portalLinkMaker(
  config: RootConfigService,
  page: string,
): (id: string) => string {
  const appBaseUrl = config.getString('app.baseUrl').replace(/\/+$/, '');
  return id =>
    `${appBaseUrl}/account-minting/${page}/${encodeURIComponent(id)}`;
}

/** Makes the link to a run's page in the portal, from `app.baseUrl`. */
export function runUrlMaker(
  config: RootConfigService,
): (runId: string) => string {
  return portalLinkMaker(config, 'runs');
}

/** Makes the link to a change request's page of the portal's approvals, from `app.baseUrl`. */
export function changeUrlMaker(
  config: RootConfigService,
): (changeId: string) => string {
  return portalLinkMaker(config, 'approvals');
}

/** A duration such as `12s`, `3m 4s` or `1h 2m`. */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

const ERRORS_BY_NAME: Record<string, new (message: string) => Error> = {
  InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
};

/** The longest message of the backend's that an error repeats. */
const MAX_BACKEND_MESSAGE = 1000;

/**
 * An error to fail a task with. The scaffolder writes a failed step's stack into the
 * task's log, which the template's user reads: this one's stack is its name and
 * message, with no frame and no path of the server.
 */
export function taskError<E extends Error>(error: E): E {
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

/**
 * Calls the backend, turning its refusals into errors that say why (see backendError).
 */
export async function callBackend<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw backendError(error);
  }
}

/**
 * The error to fail a task with for a failed call of the backend: a refused region
 * request names each field and its problem, and any other refusal carries the
 * backend's message (the client's own says only the status). None carries a
 * stack (see taskError), nor the backend's.
 */
export function backendError(error: unknown): Error {
  if (error instanceof RegionRequestError) {
    const problems = Object.entries(error.fields).map(
      ([field, problem]) => `${field}: ${problem}`,
    );
    return taskError(
      new InputError(
        `The account-minting backend refused the region request: ${clip(
          problems.length > 0 ? problems.join('; ') : error.message,
          MAX_BACKEND_MESSAGE,
        )}`,
      ),
    );
  }
  if (error instanceof ResponseError) {
    const Type = ERRORS_BY_NAME[error.cause.name] ?? Error;
    return taskError(
      new Type(
        `The account-minting backend answered ${error.statusCode}: ${clip(
          error.cause.message,
          MAX_BACKEND_MESSAGE,
        )}`,
      ),
    );
  }
  // Errors of fetch may come from another realm: recognised by their shape.
  if (isError(error) && error.name === 'TypeError' && isError(error.cause)) {
    // fetch says only "fetch failed"; its cause says why.
    return taskError(
      new Error(
        `The account-minting backend could not be reached: ${error.cause.message}`,
      ),
    );
  }
  // Anything else (such as no token for the user) says what failed, with no frame either.
  return taskError(
    new Error(
      `The account-minting backend could not be called: ${
        isError(error) ? error.message : String(error)
      }`,
    ),
  );
}

/**
 * Makes the calls of an action to the account-minting backend: each on behalf of the
 * user running the template (see tokenFor), its refusals made errors that say why
 * (see callBackend).
 */
export function backendCaller(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const client = new AccountMintingClient({ discoveryApi: options.discovery });
  return <T>(
    ctx: TaskContext,
    call: (client: AccountMintingClient, asUser: RequestOptions) => Promise<T>,
  ): Promise<T> =>
    callBackend(async () =>
      call(client, { token: await tokenFor(options.auth, ctx) }),
    );
}

/** Whether a failed call may succeed when made again: the backend unreachable or failing (5xx). */
export function isTransient(error: unknown): boolean {
  if (error instanceof RegionRequestError) return false;
  if (error instanceof ResponseError) return error.statusCode >= 500;
  return true;
}
