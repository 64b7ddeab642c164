import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  accountMintingChangeApprovePermission,
  accountMintingDriftCheckPermission,
  accountMintingReadPermission,
  accountMintingRegionCreatePermission,
  accountMintingRegionDecommissionPermission,
  AdoptBody,
  CHANGE_STATUSES,
  FieldError,
  FieldErrors,
  Plan,
  ValidRegionRequest,
  accountMintingRunCancelPermission,
  accountMintingRunExecutePermission,
  CHECKED_PIPELINES,
  DRIFT_LAYERS,
  HealthResponse,
  PIPELINES,
  STARTABLE_PIPELINES,
  RUN_STATUSES,
  validateRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { createValidatedOpenApiRouterFromGeneratedEndpointMap } from '@backstage/backend-openapi-utils';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { JsonObject } from '@backstage/types';
import { configView, MintingConfig } from '../config/mintingConfig';
import { EstateView } from '../estate/EstateView';
import { MintingService } from './MintingService';
import { LifecycleService } from '../lifecycle/LifecycleService';
import { DriftService } from '../drift/DriftService';
import { ChangeService } from '../changes/ChangeService';
import { ChangeSubject } from '../changes/types';
import { RunRecord } from '../runs/types';
import { BODY_LIMIT, errorHandler } from './errors';
import { spec } from '../schema/openapi.generated';
import { EndpointMap } from '../schema/endpoints';
import { MAX_LOG_PAGE } from '../runs/LogStore';
import { MAX_RUN_PAGE } from '../runs/RunRepository';
import {
  bodyFlag,
  bodyObject,
  isUuid,
  knownId,
  listOf,
  logLineId,
  pageCursor,
  pageLimit,
  MAX_ACCOUNT_NAME,
  MAX_REGION_NAME,
  oneOf,
  optionalText,
  requiredText,
} from './params';

export interface RouterOptions {
  config: MintingConfig;
  minting: MintingService;
  lifecycle: LifecycleService;
  drift: DriftService;
  changes: ChangeService;
  estate: EstateView;
  health: () => Promise<HealthResponse>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  /** Where a request's internal error (500) is logged. */
  logger: Pick<LoggerService, 'error'>;
}

// Reasons and comments are sentences, not documents.
const MAX_REASON = 2000;

/** A request of any of the spec's operations, as Backstage's services take it. */
type AnyRequest = Request<any, any, any, any>;

/** The reason a body gives for a change, if any. */
function reasonOf(body: Record<string, unknown>): string | undefined {
  return optionalText('reason', body.reason, { max: MAX_REASON });
}

function commentOf(body: Record<string, unknown>): string | undefined {
  return optionalText('comment', body.comment, { max: MAX_REASON });
}

/** A path parameter: one short, printable string (400 naming it otherwise). */
function pathParam(req: AnyRequest, name: string, max?: number): string {
  return requiredText(name, req.params[name], { max });
}

/** The plugin's REST API, mounted at /api/account-minting; see openapi.yaml. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    config,
    minting,
    lifecycle,
    changes,
    httpAuth,
    permissions,
    auditor,
  } = options;
  // Bodies are parsed before the spec's validator, so that their errors keep
  // their kind (413, 415) for the error handler.
  const parseJson = express.json({ limit: BODY_LIMIT });
  const router = Router();
  router.use(parseJson);
  // A path that is not valid percent-encoding gets express's own 400 naming the
  // path, which the validator (matching the path first) would not name.
  router.use((req, _res, next) => {
    try {
      decodeURIComponent(req.path);
    } catch (error) {
      throw Object.assign(error as URIError, { status: 400 });
    }
    next();
  });
  // Requests that break the spec get a 400 from its validator, naming what is wrong.
  const api = createValidatedOpenApiRouterFromGeneratedEndpointMap<EndpointMap>(
    spec,
    // Who may call is the httpAuth and permissions services' to say, not the spec's.
    {
      middleware: [parseJson],
      validatorOptions: {
        validateSecurity: false,
        // Every broken parameter named at once, as the plugin's own checks do.
        validateRequests: {
          allErrors: true,
          coerceTypes: false,
          allowUnknownQueryParameters: false,
        },
      },
    },
  );
  router.use(api);

  /** Checks a permission for the caller: 403 and nothing done without it. */
  async function authorize(
    req: AnyRequest,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize(
      [
        resourceRef
          ? { permission: permission as ResourcePermission, resourceRef }
          : { permission: permission as BasicPermission },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `you are not allowed ${permission.name}${
          resourceRef ? ` on ${resourceRef}` : ''
        }`,
      );
    }
    return credentials;
  }

  const requester = (credentials: BackstageCredentials) =>
    credentials.principal &&
    'userEntityRef' in (credentials.principal as object)
      ? (credentials.principal as { userEntityRef: string }).userEntityRef
      : 'service';

  /** Runs a mutating action as an audit event. */
  async function audited<T>(
    req: AnyRequest,
    eventId: string,
    meta: JsonObject,
    action: () => Promise<T>,
  ) {
    const event = await auditor.createEvent({
      eventId,
      request: req,
      severityLevel: 'medium',
      meta,
    });
    try {
      const result = await action();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /**
   * Starts the work of a change, or, in an environment that needs approval, records
   * the change that waits for it and answers it (202) instead of a run.
   */
  async function startOrRequest(
    req: AnyRequest,
    res: express.Response,
    work: {
      subject: ChangeSubject;
      permission: ResourcePermission;
      reason?: string;
      eventId: string;
      /** The answer made of the run started, the run itself unless told. */
      answer?: (run: RunRecord) => Promise<object>;
      /** The status of an answer with a run; 202 unless told. */
      status?: number;
    },
  ) {
    const { subject } = work;
    const target = await changes.target(subject);
    const credentials = await authorize(
      req,
      work.permission,
      target.environment,
    );
    const requestedBy = requester(credentials);
    const meta = { ...target, kind: subject.kind };
    if (changes.approvalFor(target.environment)) {
      const change = await audited(req, 'change-request', meta, () =>
        changes.request(subject, target, { requestedBy, reason: work.reason }),
      );
      res.status(202).json({ change });
      return;
    }
    const run = await audited(req, work.eventId, meta, () =>
      changes.startNow(subject, requestedBy),
    );
    res
      .status(work.status ?? 202)
      .json(work.answer ? await work.answer(run) : run);
  }

  api.get('/health', async (_req, res) => {
    const health = await options.health();
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });

  api.get('/config', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    res.json(configView(config));
  });

  api.get('/estate', async (req, res) => {
    const refresh = req.query.refresh ?? false;
    await authorize(req, accountMintingReadPermission);
    res.json(await options.estate.get({ refresh }));
  });

  api.get('/regions', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    res.json({ items: await minting.listRegions() });
  });

  api.get('/regions/:name', async (req, res) => {
    const name = pathParam(req, 'name', MAX_REGION_NAME);
    await authorize(req, accountMintingReadPermission);
    res.json(await minting.getRegion(name));
  });

  /** A 400 with a message per field, which forms show beside their fields. */
  const refuseFields = (
    res: express.Response,
    fields: Record<string, string>,
  ) =>
    res.status(400).json({
      error: { name: 'InputError', message: Object.values(fields).join('; ') },
      fields,
    });

  api.post('/regions', async (req, res) => {
    const body = bodyObject(req.body);
    const dryRun = bodyFlag('dryRun', body.dryRun);
    const checked = validateRegionRequest(body, configView(config));
    if (!checked.ok) {
      refuseFields(res, checked.errors);
      return;
    }
    try {
      await requestRegion(req, res, checked.value, body, dryRun === true);
    } catch (error) {
      // Such as accounts beyond the organization's quota: said beside the counts.
      if (!(error instanceof FieldError)) throw error;
      refuseFields(res, { [error.field]: error.rule });
    }
  });

  async function requestRegion(
    req: AnyRequest,
    res: express.Response,
    request: ValidRegionRequest,
    body: Record<string, unknown>,
    dryRun: boolean,
  ) {
    const checked = { value: request };
    const reason = reasonOf(body);
    if (dryRun) {
      const credentials = await authorize(
        req,
        accountMintingRegionCreatePermission,
        checked.value.environment,
      );
      res.json({
        region: checked.value.regionOu,
        plan: await minting.planFittingRegion(
          checked.value,
          requester(credentials),
        ),
      });
      return;
    }
    await startOrRequest(req, res, {
      subject: { kind: 'region-request', request: checked.value },
      permission: accountMintingRegionCreatePermission,
      reason,
      eventId: 'region-request',
      answer: async run => ({
        region: await minting.getRegion(checked.value.regionOu),
        run,
      }),
    });
  }

  /**
   * A change of a region's life: with dryRun its plan, under the change's permission;
   * else started, or waiting for approval. Bad fields and refused accounts answer
   * 400 with a message per field.
   */
  async function lifeChange(
    req: AnyRequest,
    res: express.Response,
    work: {
      subject: ChangeSubject;
      permission: ResourcePermission;
      body: Record<string, unknown>;
      plan: (requestedBy: string) => Promise<Plan>;
      eventId: string;
      answer?: (run: RunRecord) => Promise<object>;
    },
  ) {
    try {
      if (bodyFlag('dryRun', work.body.dryRun) === true) {
        const { environment, region } = await changes.target(work.subject);
        const credentials = await authorize(req, work.permission, environment);
        res.json({ region, plan: await work.plan(requester(credentials)) });
        return;
      }
      await startOrRequest(req, res, { ...work, reason: reasonOf(work.body) });
    } catch (error) {
      if (error instanceof FieldErrors) {
        refuseFields(res, error.fields);
        return;
      }
      if (!(error instanceof FieldError)) throw error;
      refuseFields(res, { [error.field]: error.rule });
    }
  }

  api.patch('/regions/:name', async (req, res) => {
    const name = pathParam(req, 'name', MAX_REGION_NAME);
    const body = bodyObject(req.body);
    const accountRoles = body.accountRoles as Record<string, number>;
    const region = await minting.getRegion(name);
    // Fewer accounts of any role closes accounts: a decommission's permission.
    const shrinks = Object.entries(accountRoles).some(
      ([role, count]) =>
        count < region.accounts.filter(a => a.role === role).length,
    );
    await lifeChange(req, res, {
      subject: { kind: 'scale', region: name, accountRoles },
      permission: shrinks
        ? accountMintingRegionDecommissionPermission
        : accountMintingRegionCreatePermission,
      body,
      plan: by => lifecycle.planScale(name, accountRoles, by),
      eventId: 'region-scale',
    });
  });

  api.post('/regions/:name/decommission', async (req, res) => {
    const name = pathParam(req, 'name', MAX_REGION_NAME);
    const body = bodyObject(req.body);
    const accounts = body.accounts as string[] | undefined;
    await lifeChange(req, res, {
      subject: {
        kind: 'decommission',
        region: name,
        ...(accounts ? { accounts } : {}),
      },
      permission: accountMintingRegionDecommissionPermission,
      body,
      plan: by => lifecycle.planDecommission(name, accounts, by),
      eventId: 'region-decommission',
    });
  });

  api.post('/regions/:name/adopt', async (req, res) => {
    const name = pathParam(req, 'name', MAX_REGION_NAME);
    const {
      dryRun: _dryRun,
      reason: _reason,
      ...adoption
    } = bodyObject(req.body) as AdoptBody;
    const body = bodyObject(req.body);
    const known = await minting.getRegion(name).catch(error => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    const environment = known?.environment ?? adoption.environment;
    if (!environment) {
      refuseFields(res, {
        environment: `region ${name} is not requested yet: name its environment, region and owner`,
      });
      return;
    }
    await lifeChange(req, res, {
      subject: { kind: 'adopt', region: name, body: adoption, environment },
      permission: accountMintingRegionCreatePermission,
      body,
      plan: by => lifecycle.planAdopt(name, adoption, by),
      eventId: 'region-adopt',
      answer: async run => ({ region: await minting.getRegion(name), run }),
    });
  });

  api.post('/runs', async (req, res) => {
    const body = bodyObject(req.body);
    const pipeline = oneOf('pipeline', body.pipeline, STARTABLE_PIPELINES);
    if (!pipeline) {
      throw new InputError(
        `pipeline: must be one of ${STARTABLE_PIPELINES.join(', ')}`,
      );
    }
    const dryRun = bodyFlag('dryRun', body.dryRun);
    const region = requiredText('region', body.region, {
      max: MAX_REGION_NAME,
      what: 'the name of a region',
    });
    const account =
      body.account === undefined
        ? undefined
        : requiredText('account', body.account, {
            max: MAX_ACCOUNT_NAME,
            what: 'an account name',
          });
    const reason = reasonOf(body);
    const subject: ChangeSubject = {
      kind: 'run',
      pipeline,
      region,
      ...(account ? { account } : {}),
    };
    if (dryRun === true) {
      const { environment } = await changes.target(subject);
      const credentials = await authorize(
        req,
        accountMintingRunExecutePermission,
        environment,
      );
      res.json({
        region,
        plan: await minting.planExistingRegion({
          pipeline,
          region,
          account,
          requestedBy: requester(credentials),
        }),
      });
      return;
    }
    await startOrRequest(req, res, {
      subject,
      permission: accountMintingRunExecutePermission,
      reason,
      eventId: 'run-start',
    });
  });

  api.get('/runs', async (req, res) => {
    const filter = {
      region: optionalText('region', req.query.region, {
        max: MAX_REGION_NAME,
      }),
      pipeline: oneOf('pipeline', req.query.pipeline, PIPELINES),
      status: listOf('status', req.query.status, RUN_STATUSES),
      cursor: pageCursor('cursor', req.query.cursor),
      limit: pageLimit('limit', req.query.limit, MAX_RUN_PAGE),
    };
    await authorize(req, accountMintingReadPermission);
    res.json(await minting.listRuns(filter));
  });

  api.get('/runs/:id', async (req, res) => {
    const id = pathParam(req, 'id');
    await authorize(req, accountMintingReadPermission);
    res.json(await minting.getRun(knownId(id, 'run')));
  });

  api.get('/runs/:id/logs', async (req, res) => {
    const id = pathParam(req, 'id');
    // The cursor of a page of lines is its last line's id, as `after` is.
    const afterId =
      logLineId('after', req.query.after) ??
      logLineId('cursor', req.query.cursor);
    const limit = pageLimit('limit', req.query.limit, MAX_LOG_PAGE);
    const stepId = optionalText('step', req.query.step, {
      what: 'one step id',
    });
    await authorize(req, accountMintingReadPermission);
    // An unknown run has no lines, nor has an unknown step: ids that are not
    // UUIDs name neither, and need no query.
    if (!isUuid(id) || (stepId !== undefined && !isUuid(stepId))) {
      res.json({ items: [] });
      return;
    }
    res.json(await minting.getLogs(id, { stepId, afterId, limit }));
  });

  api.post('/runs/:id/cancel', async (req, res) => {
    const id = pathParam(req, 'id');
    const run = await minting.getRun(knownId(id, 'run'));
    // Cancelling changes nothing in AWS: it needs no approval, only the permission.
    await (run.mode === 'check'
      ? authorize(req, accountMintingDriftCheckPermission)
      : authorize(
          req,
          accountMintingRunCancelPermission,
          (
            await minting.getRegion(run.region)
          ).environment,
        ));
    res.json(
      await audited(req, 'run-cancel', { runId: id }, () =>
        minting.cancelRun(id),
      ),
    );
  });

  api.post('/runs/:id/retry', async (req, res) => {
    const id = pathParam(req, 'id');
    const reason = reasonOf(req.body ?? {});
    const run = await minting.getRun(knownId(id, 'run'));
    if (run.mode === 'check') {
      // A drift check changes nothing in AWS: it never needs approval.
      await authorize(req, accountMintingDriftCheckPermission);
      res.json(
        await audited(req, 'run-retry', { runId: id }, () =>
          minting.retryRun(id),
        ),
      );
      return;
    }
    await startOrRequest(req, res, {
      subject: { kind: 'retry', runId: id },
      permission: accountMintingRunExecutePermission,
      reason,
      eventId: 'run-retry',
      status: 200,
    });
  });

  api.get('/drift', async (req, res) => {
    const filter = {
      region: optionalText('region', req.query.region, {
        max: MAX_REGION_NAME,
      }),
      environment: optionalText('environment', req.query.environment),
      layer: oneOf('layer', req.query.layer, DRIFT_LAYERS),
      status: oneOf('status', req.query.status, ['open', 'resolved'] as const),
    };
    await authorize(req, accountMintingReadPermission);
    res.json({ items: await options.drift.list(filter) });
  });

  api.post('/drift/checks', async (req, res) => {
    const pipeline = oneOf(
      'pipeline',
      bodyObject(req.body).pipeline,
      CHECKED_PIPELINES,
    );
    if (!pipeline) {
      throw new InputError(
        `pipeline: required, one of ${CHECKED_PIPELINES.join(', ')}`,
      );
    }
    const credentials = await authorize(
      req,
      accountMintingDriftCheckPermission,
    );
    const run = await audited(req, 'drift-check', { pipeline }, () =>
      options.drift.startCheck(pipeline, requester(credentials)),
    );
    res.status(202).json(run);
  });

  api.post('/drift/:id/repair', async (req, res) => {
    const id = pathParam(req, 'id');
    const reason = reasonOf(req.body ?? {});
    await startOrRequest(req, res, {
      subject: { kind: 'repair', findingId: knownId(id, 'drift finding') },
      permission: accountMintingRunExecutePermission,
      reason,
      eventId: 'drift-repair',
    });
  });

  api.get('/changes', async (req, res) => {
    const status = oneOf('status', req.query.status, CHANGE_STATUSES);
    await authorize(req, accountMintingReadPermission);
    res.json({ items: await changes.list({ status }) });
  });

  api.get('/changes/:id', async (req, res) => {
    const id = pathParam(req, 'id');
    await authorize(req, accountMintingReadPermission);
    res.json(await changes.get(knownId(id, 'change request')));
  });

  api.post('/changes/:id/approve', async (req, res) => {
    const id = knownId(pathParam(req, 'id'), 'change request');
    const comment = commentOf(req.body ?? {});
    const change = await changes.get(id);
    const credentials = await authorize(
      req,
      accountMintingChangeApprovePermission,
      change.environment,
    );
    res.json(
      await audited(req, 'change-approve', { changeId: id }, () =>
        changes.approve(id, requester(credentials), comment),
      ),
    );
  });

  api.post('/changes/:id/reject', async (req, res) => {
    const id = knownId(pathParam(req, 'id'), 'change request');
    const comment = commentOf(req.body ?? {});
    const change = await changes.get(id);
    const credentials = await httpAuth.credentials(req);
    // Its requester may withdraw a change; anyone else needs the approvers' permission.
    if (requester(credentials) !== change.requestedBy) {
      await authorize(
        req,
        accountMintingChangeApprovePermission,
        change.environment,
      );
    }
    res.json(
      await audited(req, 'change-reject', { changeId: id }, () =>
        changes.reject(id, requester(credentials), comment),
      ),
    );
  });

  // Every error gets Backstage's error body without a stack, 500s without their cause.
  router.use(errorHandler(options.logger));
  return router;
}
