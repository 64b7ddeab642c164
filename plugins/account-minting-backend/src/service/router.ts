import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  accountMintingReadPermission,
  accountMintingRegionCreatePermission,
  accountMintingRunCancelPermission,
  accountMintingRunExecutePermission,
  DRIFT_LAYERS,
  HealthResponse,
  validateRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { JsonObject } from '@backstage/types';
import { configView, MintingConfig } from '../config/mintingConfig';
import { EstateView } from '../engine/EstateView';
import { MintingService } from '../engine/MintingService';
import { DriftService } from '../drift/DriftService';
import { PIPELINES } from '../pipelines';
import { RunStatus } from '../runs/types';

const CHECKED_PIPELINES = ['mint', 'bootstrap', 'provision'] as const;

/** An optional query parameter, one of the allowed values. */
function oneOf<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new InputError(`${name}: must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

const RUN_STATUSES: RunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'cancelled',
];

export interface RouterOptions {
  config: MintingConfig;
  minting: MintingService;
  drift: DriftService;
  estate: EstateView;
  health: () => Promise<HealthResponse>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/** The plugin's REST API, mounted at /api/account-minting; see openapi.yaml. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { config, minting, httpAuth, permissions, auditor } = options;
  const router = Router();
  router.use(express.json());

  /** Checks a permission for the caller: 403 and nothing done without it. */
  async function authorize(
    req: Request,
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
    req: Request,
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

  router.get('/health', async (_req, res) => {
    const health = await options.health();
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  });

  router.get('/config', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    res.json(configView(config));
  });

  router.get('/estate', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    res.json(
      await options.estate.get({ refresh: req.query.refresh === 'true' }),
    );
  });

  router.get('/regions', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    res.json({ items: await minting.listRegions() });
  });

  router.get('/regions/:name', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    res.json(await minting.getRegion(req.params.name));
  });

  router.post('/regions', async (req, res) => {
    const checked = validateRegionRequest(req.body, configView(config));
    if (!checked.ok) {
      res.status(400).json({
        error: {
          name: 'InputError',
          message: Object.values(checked.errors).join('; '),
        },
        fields: checked.errors,
      });
      return;
    }
    const credentials = await authorize(
      req,
      accountMintingRegionCreatePermission,
      checked.value.environment,
    );
    if (req.body.dryRun === true) {
      res.json({
        region: checked.value.regionOu,
        plan: await minting.planRegion(checked.value),
      });
      return;
    }
    const result = await audited(
      req,
      'region-request',
      { region: checked.value.regionOu },
      () => minting.requestRegion(checked.value, requester(credentials)),
    );
    res.status(202).json(result);
  });

  router.post('/runs', async (req, res) => {
    const { pipeline, region, account, dryRun } = req.body ?? {};
    if (!PIPELINES.includes(pipeline)) {
      throw new InputError(`pipeline: must be one of ${PIPELINES.join(', ')}`);
    }
    if (dryRun === true && pipeline !== 'mint') {
      throw new InputError('dryRun: only the mint pipeline has a dry run yet');
    }
    if (typeof region !== 'string' || !region)
      throw new InputError('region: the name of a region is required');
    if (account !== undefined && (typeof account !== 'string' || !account))
      throw new InputError('account: must be an account name');
    const credentials = await authorize(
      req,
      accountMintingRunExecutePermission,
    );
    if (dryRun === true) {
      res.json({ region, plan: await minting.planExistingRegion(region) });
      return;
    }
    const run = await audited(
      req,
      'run-start',
      { pipeline, region, account },
      () =>
        minting.startRun({
          pipeline,
          region,
          account,
          requestedBy: requester(credentials),
        }),
    );
    res.status(202).json(run);
  });

  router.get('/runs', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    const status = req.query.status
      ? String(req.query.status).split(',')
      : undefined;
    const unknown = status?.find(s => !RUN_STATUSES.includes(s as RunStatus));
    if (unknown)
      throw new InputError(
        `status: ${unknown} is not one of ${RUN_STATUSES.join(', ')}`,
      );
    res.json({
      items: await minting.listRuns({
        region: req.query.region ? String(req.query.region) : undefined,
        pipeline: req.query.pipeline ? String(req.query.pipeline) : undefined,
        status: status as RunStatus[] | undefined,
      }),
    });
  });

  router.get('/runs/:id', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    res.json(await minting.getRun(req.params.id));
  });

  router.get('/runs/:id/logs', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    const afterId =
      req.query.after === undefined ? undefined : Number(req.query.after);
    if (afterId !== undefined && !Number.isInteger(afterId))
      throw new InputError('after: must be a log line id');
    if (req.query.step !== undefined && typeof req.query.step !== 'string')
      throw new InputError('step: must be one step id');
    res.json({
      items: await minting.getLogs(req.params.id, {
        stepId: req.query.step as string | undefined,
        afterId,
      }),
    });
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    await authorize(req, accountMintingRunCancelPermission);
    res.json(
      await audited(req, 'run-cancel', { runId: req.params.id }, () =>
        minting.cancelRun(req.params.id),
      ),
    );
  });

  router.post('/runs/:id/retry', async (req, res) => {
    await authorize(req, accountMintingRunExecutePermission);
    res.json(
      await audited(req, 'run-retry', { runId: req.params.id }, () =>
        minting.retryRun(req.params.id),
      ),
    );
  });

  router.get('/drift', async (req, res) => {
    await authorize(req, accountMintingReadPermission);
    const text = (name: string) =>
      typeof req.query[name] === 'string' && req.query[name]
        ? String(req.query[name])
        : undefined;
    res.json({
      items: await options.drift.list({
        region: text('region'),
        environment: text('environment'),
        layer: oneOf('layer', req.query.layer, DRIFT_LAYERS),
        status: oneOf('status', req.query.status, ['open', 'resolved']),
      }),
    });
  });

  router.post('/drift/checks', async (req, res) => {
    const pipeline = oneOf(
      'pipeline',
      req.body?.pipeline ?? '',
      CHECKED_PIPELINES,
    );
    if (!pipeline) {
      throw new InputError(
        `pipeline: required, one of ${CHECKED_PIPELINES.join(', ')}`,
      );
    }
    const credentials = await authorize(
      req,
      accountMintingRunExecutePermission,
    );
    const run = await audited(req, 'drift-check', { pipeline }, () =>
      options.drift.startCheck(pipeline, requester(credentials)),
    );
    res.status(202).json(run);
  });

  router.post('/drift/:id/repair', async (req, res) => {
    const credentials = await authorize(
      req,
      accountMintingRunExecutePermission,
    );
    const run = await audited(
      req,
      'drift-repair',
      { findingId: req.params.id },
      () => options.drift.repair(req.params.id, requester(credentials)),
    );
    res.status(202).json(run);
  });

  return router;
}
