import {
  EmptyState,
  InfoCard,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  accountMintingDriftCheckPermission,
  accountMintingRunCancelPermission,
  isChangeResponse,
  accountMintingRunExecutePermission,
  isOneOf,
  RETRYABLE_RUN_STATUSES,
  RunWithSteps,
} from '@regional-minting/plugin-account-minting-common';
import { useRef } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { accountMintingApiRef } from '../../api';
import { GuardedActionButton, useShowOutcome } from '../shared/changes';
import { isNotFound } from '../shared/errors';
import { MintingPaths, useMintingPaths } from '../shared/paths';
import { StatusLabel } from '../shared/StatusLabel';
import { durationBetween, isUnderWay } from '../shared/time';
import { When } from '../shared/When';
import { useLiveValue } from '../shared/useLiveValue';
import { RunTimeline } from './RunTimeline';
import { defaultStepOf, StepDetails } from './StepDetails';

const POLL_MS = 2000;

function isActive(run: RunWithSteps): boolean {
  return isUnderWay(run.status);
}

/** The payers a drift check looks at: one check step each, in the run's order. */
function checkedPayers(run: RunWithSteps): string[] {
  return [...new Set(run.steps.map(step => step.target.payer))];
}

/** What a run acts on, as its actions' titles name it. */
function subjectOf(run: RunWithSteps): string {
  if (run.mode === 'check') {
    const payers = checkedPayers(run);
    return payers.length > 0 ? `payers ${payers.join(', ')}` : 'the estate';
  }
  return run.account ?? run.region;
}

/** The environment of a run's region; none for a drift check of the whole estate. */
function useRunEnvironment(run: RunWithSteps): string | undefined {
  const api = useApi(accountMintingApiRef);
  const { value } = useAsync(
    async () =>
      run.mode === 'check'
        ? undefined
        : (await api.getRegion(run.region)).environment,
    [api, run.mode, run.region],
  );
  return value;
}

/**
 * Cancel while the run goes on, retry once it failed or was cancelled, for who may:
 * in an environment that needs approval, a retry waits for it, and both ask the
 * person to type the region's name.
 */
function RunActions(props: { run: RunWithSteps; onDone(): void }) {
  const { run, onDone } = props;
  const api = useApi(accountMintingApiRef);
  const showOutcome = useShowOutcome();
  const environment = useRunEnvironment(run);
  const isCheck = run.mode === 'check';
  const resource = isCheck
    ? { permission: accountMintingDriftCheckPermission }
    : {
        permission: accountMintingRunCancelPermission,
        resourceRef: environment,
      };
  const canCancel = usePermission(resource).allowed;
  const canRetry = usePermission(
    isCheck
      ? { permission: accountMintingDriftCheckPermission }
      : {
          permission: accountMintingRunExecutePermission,
          resourceRef: environment,
        },
  ).allowed;
  const cancellable = canCancel && isActive(run);
  const retryable = canRetry && isOneOf(RETRYABLE_RUN_STATUSES, run.status);
  if (!cancellable && !retryable) return null;
  // A drift check has no environment: its actions need no confirmation.
  const guard = { environment: environment ?? '', regionOu: run.region };
  return (
    <Box mb={2} display="flex" style={{ gap: 8 }}>
      {cancellable && (
        <GuardedActionButton
          {...guard}
          label="Cancel run"
          title={`Cancel the ${run.pipeline} run of ${subjectOf(run)}`}
          description="Its pending steps will not run; its running steps stop at their next heartbeat."
          alwaysConfirm={!isCheck && guard.environment.startsWith('prod')}
          skipApproval
          act={() => api.cancelRun(run.id)}
          onDone={onDone}
        />
      )}
      {retryable && (
        <GuardedActionButton
          {...guard}
          variant="contained"
          label="Retry run"
          title={`Retry the ${run.pipeline} run of ${subjectOf(run)}`}
          description="The steps that did not succeed run again; those that succeeded stay done."
          act={reason => api.retryRun(run.id, { reason })}
          onDone={outcome =>
            isChangeResponse(outcome) ? showOutcome(outcome) : onDone()
          }
        />
      )}
    </Box>
  );
}

/** Where a run acted: its region and account, or for a drift check the payers it checked. */
function scopeOf(
  run: RunWithSteps,
  paths: MintingPaths,
): Record<string, unknown> {
  if (run.mode === 'check') {
    return {
      Payers: checkedPayers(run).join(', ') || 'none yet',
      'Other runs': (
        <Link
          to={`${paths.runs}?${new URLSearchParams({
            region: run.region,
            pipeline: run.pipeline,
          })}`}
        >
          Drift checks of {run.pipeline}
        </Link>
      ),
    };
  }
  return {
    Region: <Link to={paths.region(run.region)}>{run.region}</Link>,
    Account: run.account ?? 'the whole region',
    'Other runs': (
      <Link to={`${paths.runs}?region=${encodeURIComponent(run.region)}`}>
        Runs of {run.region}
      </Link>
    ),
  };
}

function RunSummary(props: { run: RunWithSteps; now: number }) {
  const { run, now } = props;
  const paths = useMintingPaths();
  const queuedFor = durationBetween(run.createdAt, run.startedAt, now);
  const took = durationBetween(run.startedAt, run.finishedAt, now);
  const { 'Other runs': otherRuns, ...scope } = scopeOf(run, paths);
  return (
    <StructuredMetadataTable
      dense
      options={{ titleFormat: title => title }}
      metadata={{
        Status: (
          <span data-testid="run-status">
            <StatusLabel status={run.status} />
          </span>
        ),
        Pipeline: run.pipeline,
        ...scope,
        'Requested by': run.requestedBy,
        Created: <When iso={run.createdAt} />,
        Started: (
          <When
            iso={run.startedAt}
            suffix={queuedFor && `, after ${queuedFor} queued`}
          />
        ),
        Finished: <When iso={run.finishedAt} />,
        Duration: took ? `${took}${run.finishedAt ? '' : ' so far'}` : '—',
        'Other runs': otherRuns,
      }}
    />
  );
}

/** One run: its summary, a timeline of its steps and the selected step's details, followed live. */
export function RunPage() {
  const { runId = '' } = useParams();
  const api = useApi(accountMintingApiRef);
  const paths = useMintingPaths();
  // The selected step is in the address, so that a link can open the run on it.
  const [searchParams, setSearchParams] = useSearchParams();
  const selectedStepKey = searchParams.get('step');
  const shownStepId = useRef<string>();
  const { value, error, loading, reload } = useLiveValue(
    () => api.getRun(runId),
    [api, runId],
    {
      intervalMs: POLL_MS,
      live: isActive,
      reloadOn: signal => signal.type === 'run' && signal.runId === runId,
    },
  );

  if (loading) return <Progress />;
  if (!value) {
    if (error && isNotFound(error)) {
      return (
        <EmptyState
          missing="info"
          title="This run does not exist"
          description={`No run has the id ${runId}.`}
          action={
            <LinkButton to={paths.runs} variant="contained" color="primary">
              Back to the runs
            </LinkButton>
          }
        />
      );
    }
    return (
      <ResponseErrorPanel
        error={error ?? new Error('No run was returned')}
        title="The account-minting backend did not answer"
      />
    );
  }

  const run = value;
  const now = Date.now();
  const selectStep = (stepId: string) => {
    const key = run.steps.find(s => s.id === stepId)?.key;
    if (!key) return;
    setSearchParams(
      previous => {
        const next = new URLSearchParams(previous);
        next.set('step', key);
        return next;
      },
      { replace: true },
    );
  };
  const step =
    run.steps.find(s => s.key === selectedStepKey) ??
    defaultStepOf(run.steps, shownStepId.current);
  shownStepId.current = step?.id;
  return (
    <Grid container spacing={3}>
      {error && (
        <Grid item xs={12}>
          <ResponseErrorPanel
            error={error}
            title="The account-minting backend did not answer; this run may be out of date"
          />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard
          title={
            run.mode === 'check'
              ? `Drift check of ${run.pipeline} across ${subjectOf(run)}`
              : `Run of ${run.pipeline} for ${run.account ?? run.region}`
          }
          subheader={run.id}
        >
          <RunActions run={run} onDone={reload} />
          {run.error && (
            <Box mb={2}>
              <WarningPanel
                severity="error"
                title="The run failed"
                message={run.error}
                defaultExpanded
              />
            </Box>
          )}
          <RunSummary run={run} now={now} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Steps">
          {run.steps.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              The run has no steps yet.
            </Typography>
          ) : (
            <RunTimeline
              run={run}
              now={now}
              selectedStepId={step?.id}
              onSelect={selectStep}
            />
          )}
        </InfoCard>
      </Grid>
      {step && (
        <Grid item xs={12}>
          <InfoCard title="Step">
            <StepDetails runId={run.id} step={step} now={now} />
          </InfoCard>
        </Grid>
      )}
    </Grid>
  );
}
