import { ConflictError } from '@backstage/errors';
import {
  ACTIVE_RUN_STATUSES,
  isOneOf,
  RETRYABLE_RUN_STATUSES,
} from '@regional-minting/plugin-account-minting-common';
import { ChangeWork } from '../changes/ChangeService';
import { ChangeSubject, ChangeTarget } from '../changes/types';
import { DriftService } from '../drift/DriftService';
import { actionable, DesiredState } from '../regions/DesiredState';
import { RunRepository } from '../runs/RunRepository';
import { MintingService } from './MintingService';
import { LifecycleService } from '../lifecycle/LifecycleService';

/** The changes of a region's life, which the lifecycle service plans and starts. */
type LifeKind = 'decommission' | 'scale' | 'adopt';

/**
 * What each kind of change does, through the services that do it without approval:
 * a change that waits for approval plans and starts exactly what the route would have.
 */
export function changeWork(services: {
  minting: MintingService;
  lifecycle: LifecycleService;
  drift: DriftService;
  runs: Pick<RunRepository, 'getRun'>;
  desiredState: Pick<DesiredState, 'get'>;
}): ChangeWork {
  const { minting, lifecycle, drift, runs, desiredState } = services;

  /** A region's environment, when the region fits the configuration. */
  const environmentOf = async (region: string) =>
    actionable(await desiredState.get(region)).desired.environment;

  /** The pipeline, region and account a subject runs, its region request and a region's life aside. */
  const runOf = async (
    subject: Exclude<ChangeSubject, { kind: LifeKind | 'region-request' }>,
  ): Promise<Omit<ChangeTarget, 'environment'>> => {
    switch (subject.kind) {
      case 'run':
        return subject;
      case 'retry': {
        const run = await runs.getRun(subject.runId);
        if (run.mode !== 'apply') {
          throw new ConflictError(
            `run ${run.id} is a drift check: it changes nothing and needs no approval`,
          );
        }
        if (!isOneOf(RETRYABLE_RUN_STATUSES, run.status)) {
          throw new ConflictError(
            `Run ${run.id} is ${run.status}: only a failed or cancelled run can be retried`,
          );
        }
        return {
          pipeline: run.pipeline,
          region: run.region,
          ...(run.account ? { account: run.account } : {}),
        };
      }
      default: {
        const finding = await drift.repairableFinding(subject.findingId);
        return {
          pipeline: finding.pipeline,
          region: finding.region,
          ...(finding.account ? { account: finding.account } : {}),
        };
      }
    }
  };

  return {
    async target(subject) {
      switch (subject.kind) {
        case 'decommission':
          return {
            environment: await lifecycle.decommissionEnvironment(
              subject.region,
            ),
            region: subject.region,
            pipeline: 'decommission',
            ...(subject.accounts?.length === 1
              ? { account: subject.accounts[0] }
              : {}),
          };
        case 'scale':
          return {
            environment: await environmentOf(subject.region),
            region: subject.region,
            pipeline: 'region',
          };
        case 'adopt':
          return {
            environment: subject.environment,
            region: subject.region,
            pipeline: 'region',
          };
        default:
      }
      if (subject.kind === 'region-request') {
        return {
          environment: subject.request.environment,
          region: subject.request.regionOu,
          pipeline: 'region',
        };
      }
      const run = await runOf(subject);
      return { ...run, environment: await environmentOf(run.region) };
    },

    async plan(subject, requestedBy) {
      switch (subject.kind) {
        case 'decommission':
          return lifecycle.planDecommission(
            subject.region,
            subject.accounts,
            requestedBy,
          );
        case 'scale':
          return lifecycle.planScale(
            subject.region,
            subject.accountRoles,
            requestedBy,
          );
        case 'adopt':
          return lifecycle.planAdopt(subject.region, subject.body, requestedBy);
        default:
      }
      if (subject.kind === 'region-request') {
        return minting.planFittingRegion(subject.request, requestedBy);
      }
      return minting.planExistingRegion({
        ...(await runOf(subject)),
        requestedBy,
      });
    },

    // Each start is idempotent: starting again returns the run the first start made.
    async start(subject, requestedBy) {
      switch (subject.kind) {
        case 'region-request':
          return (await minting.requestRegion(subject.request, requestedBy))
            .run;
        case 'run':
          return minting.startRun({ ...subject, requestedBy });
        case 'retry': {
          const run = await runs.getRun(subject.runId);
          return isOneOf(ACTIVE_RUN_STATUSES, run.status)
            ? run
            : minting.retryRun(subject.runId);
        }
        case 'decommission':
          return lifecycle.decommission(
            subject.region,
            subject.accounts,
            requestedBy,
          );
        case 'scale':
          return lifecycle.scale(
            subject.region,
            subject.accountRoles,
            requestedBy,
          );
        case 'adopt':
          return (
            await lifecycle.adopt(subject.region, subject.body, requestedBy)
          ).run;
        default:
          return drift.repair(subject.findingId, requestedBy);
      }
    },
  };
}
