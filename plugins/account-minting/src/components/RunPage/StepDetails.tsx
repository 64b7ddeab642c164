import {
  CodeSnippet,
  LogViewer,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  LogLine,
  StepRecord,
  WHOLE_ESTATE,
} from '@regional-minting/plugin-account-minting-common';
import { DateTime } from 'luxon';
import { useEffect, useRef, useState } from 'react';
import { accountMintingApiRef } from '../../api';
import { PlanActionsTable, planActionsOf } from '../shared/PlanActionsTable';
import { StatusLabel } from '../shared/StatusLabel';
import { fullTime } from '../shared/time';
import { activeDuration, spansOf } from './attemptSpans';
import { accountStepOutcome } from './stepOutcome';

const LOG_POLL_MS = 2000;
const LOG_HEIGHT = 360;

/**
 * The step to show when none is chosen: the first failed one, else the first running
 * one, else the one shown so far (so that a run finishing does not jump back to its
 * first step), else the first.
 */
export function defaultStepOf(
  steps: StepRecord[],
  shownId?: string,
): StepRecord | undefined {
  return (
    steps.find(s => s.status === 'failed') ??
    steps.find(s => s.status === 'running') ??
    steps.find(s => s.id === shownId) ??
    steps[0]
  );
}

interface StepLog {
  /** The run and step the lines belong to. */
  key: string;
  lines: LogLine[];
  loaded: boolean;
  error?: Error;
}

/**
 * The log lines of a step: all of them, then, while `follow` holds, the new ones
 * every 2 s. One more read when following stops catches the step's last lines.
 */
function useStepLogs(runId: string, stepId: string, follow: boolean): StepLog {
  const api = useApi(accountMintingApiRef);
  const key = `${runId}/${stepId}`;
  const [log, setLog] = useState<StepLog>({ key, lines: [], loaded: false });
  const lastId = useRef<{ key: string; id?: number }>({ key });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (lastId.current.key !== key) lastId.current = { key };
    const tick = async () => {
      // A full page: more lines wait, read at once even once the run is over.
      let more = false;
      try {
        const after = lastId.current.id;
        const { items, nextCursor } = await api.getRunLogs(runId, {
          stepId,
          after,
        });
        more = nextCursor !== undefined;
        const fresh = items.filter(
          line => after === undefined || line.id > after,
        );
        if (stopped) return;
        if (fresh.length > 0) {
          lastId.current = { key, id: fresh[fresh.length - 1].id };
        }
        setLog(previous => ({
          key,
          loaded: true,
          lines: previous.key === key ? [...previous.lines, ...fresh] : fresh,
        }));
      } catch (error) {
        if (stopped) return;
        setLog(previous => ({
          key,
          loaded: true,
          lines: previous.key === key ? previous.lines : [],
          error: error as Error,
        }));
      }
      if (more) timer = setTimeout(tick, 0);
      else if (follow) timer = setTimeout(tick, LOG_POLL_MS);
    };
    tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, runId, stepId, key, follow]);

  return log.key === key ? log : { key, lines: [], loaded: false };
}

const LEVEL_COLOURS: Record<LogLine['level'], string | undefined> = {
  debug: '\u001b[90m',
  info: undefined,
  warn: '\u001b[33m',
  error: '\u001b[31m',
};

/** `time level message`, coloured by level through the ANSI codes LogViewer understands. */
function formatLogLine(line: LogLine): string {
  const text = `${DateTime.fromISO(line.time).toFormat(
    'HH:mm:ss.SSS',
  )} ${line.level.toUpperCase().padEnd(5)} ${line.message}`;
  const colour = LEVEL_COLOURS[line.level];
  return colour ? `${colour}${text}\u001b[0m` : text;
}

function StepLogs(props: { runId: string; step: StepRecord }) {
  const { runId, step } = props;
  const follow = step.status === 'pending' || step.status === 'running';
  const log = useStepLogs(runId, step.id, follow);

  return (
    <>
      <Typography variant="h6" gutterBottom>
        Logs
      </Typography>
      {log.error && (
        <Typography color="error" variant="body2" gutterBottom>
          The logs could not be read: {log.error.message}
        </Typography>
      )}
      {log.loaded && log.lines.length === 0 && !log.error && (
        <Typography variant="body2" color="textSecondary">
          {follow ? 'No log lines yet' : 'This step wrote no log.'}
        </Typography>
      )}
      {log.lines.length > 0 && (
        <Box height={LOG_HEIGHT} data-testid="step-logs">
          <LogViewer text={log.lines.map(formatLogLine).join('\n')} />
        </Box>
      )}
    </>
  );
}

function Json(props: { value: unknown }) {
  return (
    <CodeSnippet
      language="json"
      text={JSON.stringify(props.value, null, 2)}
      showCopyCodeButton
    />
  );
}

/** What a step acts on: a region OU or an account of it, or every one of its payer's for a drift check. */
function scopeOf(step: StepRecord): Record<string, string> {
  const { payer, regionOu, account } = step.target;
  if (regionOu === WHOLE_ESTATE) {
    return { 'Region OU': `every region OU of ${payer}` };
  }
  return {
    'Region OU': regionOu,
    Account: account ?? 'none (the whole region)',
  };
}

/**
 * How many times the step ran. A retry of the run gives its failed steps their attempts
 * afresh (the count that the retry budget reads), while the timeline keeps every attempt:
 * both are said, so that the two agree.
 */
function attemptsOf(step: StepRecord): string {
  const all = spansOf(step).length;
  return all > step.attempts
    ? `${all}, ${step.attempts} since the run was retried`
    : String(step.attempts);
}

/** Everything about one step of a run: where it stands, what it planned and did, and its logs. */
export function StepDetails(props: {
  runId: string;
  step: StepRecord;
  now: number;
}) {
  const { runId, step, now } = props;
  const actions = planActionsOf(step.plan);
  const outcome = accountStepOutcome(step);
  const metadata: Record<string, unknown> = {
    Status: <StatusLabel status={step.status} />,
    Attempts: attemptsOf(step),
    Kind: step.kind,
    Payer: step.target.payer,
    ...scopeOf(step),
    Started: fullTime(step.startedAt) ?? 'not yet',
    Finished: fullTime(step.finishedAt) ?? 'not yet',
    // The attempts' time, without the idle time between them.
    Duration: activeDuration(step, now) ?? '—',
    'Depends on':
      step.dependsOn.length > 0 ? step.dependsOn.join(', ') : 'nothing',
  };
  if (step.status === 'pending' && step.notBefore) {
    metadata['Next attempt not before'] = fullTime(step.notBefore);
  }

  return (
    <Box>
      <Typography variant="h6" gutterBottom>
        {step.title}
      </Typography>
      {outcome && (
        <Typography variant="body1" gutterBottom data-testid="step-outcome">
          {outcome}
        </Typography>
      )}
      {step.error && (
        <Box mb={2}>
          <Typography
            color="error"
            component="pre"
            style={{ whiteSpace: 'pre-wrap', margin: 0 }}
          >
            {step.error}
          </Typography>
        </Box>
      )}
      <StructuredMetadataTable
        dense
        metadata={metadata}
        options={{ titleFormat: title => title }}
      />
      {step.plan && (
        <Box mt={2}>
          {actions ? (
            <PlanActionsTable actions={actions} heading="Plan" />
          ) : (
            <>
              <Typography variant="subtitle2" gutterBottom>
                Plan
              </Typography>
              <Json value={step.plan} />
            </>
          )}
        </Box>
      )}
      {step.outputs && (
        <Box mt={2}>
          <Typography variant="subtitle2" gutterBottom>
            Outputs
          </Typography>
          <Json value={step.outputs} />
        </Box>
      )}
      <Box mt={2}>
        <StepLogs runId={runId} step={step} />
      </Box>
    </Box>
  );
}
