import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import {
  CHECKED_PIPELINES,
  CheckedPipeline,
  RunRecord,
  WHOLE_ESTATE,
} from '@regional-minting/plugin-account-minting-common';
import { ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { accountMintingApiRef } from '../../api';
import { useMintingPaths } from '../shared/paths';
import { DisplayStatus, StatusLabel } from '../shared/StatusLabel';
import { ago, fullTime, isUnderWay } from '../shared/time';
import { useLiveValue } from '../shared/useLiveValue';

const REFRESH_MS = 5000;
// A pipeline's newest runs over the whole estate: its checks, among which the last finished one.
const RUNS_READ = 20;

/** A pipeline's check under way, if any, and its last finished one. */
interface PipelineChecks {
  active?: RunRecord;
  last?: RunRecord;
  /** The runs read, to tell whether a check started here shows among them yet. */
  seen: Set<string>;
}

type ChecksByPipeline = Record<CheckedPipeline, PipelineChecks>;

function checksOf(runs: RunRecord[]): PipelineChecks {
  const checks = runs.filter(run => run.mode === 'check');
  return {
    active: checks.find(run => isUnderWay(run.status)),
    last: checks.find(run => !isUnderWay(run.status)),
    seen: new Set(runs.map(run => run.id)),
  };
}

/** The icon of a status beside what is said of it (the status's own text is hidden from screen readers). */
function StatusLine(props: { status: DisplayStatus; children: ReactNode }) {
  return (
    <Box display="flex" alignItems="baseline">
      <StatusLabel status={props.status}>
        <span />
      </StatusLabel>
      {props.children}
    </Box>
  );
}

/** What a pipeline's line says: its check under way, else how its last check ended and when. */
function CheckState(props: { checks?: PipelineChecks }) {
  const paths = useMintingPaths();
  const { active, last } = props.checks ?? {};
  const run = active ?? last;
  if (!run) {
    return <StatusLine status="never">never checked</StatusLine>;
  }
  const text = active
    ? `checking now, started ${ago(active.createdAt)}`
    : `${run.status === 'succeeded' ? 'checked' : `check ${run.status}`} ${ago(
        run.finishedAt ?? run.createdAt,
      )}`;
  return (
    <StatusLine status={run.status}>
      <Link
        to={paths.run(run.id)}
        title={fullTime(run.finishedAt ?? run.createdAt)}
      >
        {text}
      </Link>
    </StatusLine>
  );
}

/**
 * When each pipeline's drift was last checked, with its check under way, and for users
 * allowed to, buttons that start one now: the view stays, and follows the check here.
 */
export function DriftChecks(props: {
  canCheck: boolean;
  /** A check under way finished: its findings are recorded. */
  onCheckFinished(): void;
  onError(error: Error): void;
}) {
  const api = useApi(accountMintingApiRef);
  const loaded = useLiveValue(
    async (): Promise<ChecksByPipeline> => {
      const pages = await Promise.all(
        CHECKED_PIPELINES.map(pipeline =>
          api.listRuns({ region: WHOLE_ESTATE, pipeline, limit: RUNS_READ }),
        ),
      );
      return Object.fromEntries(
        CHECKED_PIPELINES.map((pipeline, i) => [
          pipeline,
          checksOf(pages[i].items),
        ]),
      ) as ChecksByPipeline;
    },
    [api],
    {
      intervalMs: REFRESH_MS,
      live: checks => Object.values(checks).some(c => c.active),
      reloadOn: signal =>
        signal.type === 'run' && signal.region === WHOLE_ESTATE,
    },
  );
  const [starting, setStarting] = useState<CheckedPipeline>();
  // Checks started here, shown under way until the runs read include them.
  const [started, setStarted] = useState<Partial<Record<string, RunRecord>>>(
    {},
  );

  const checks = useMemo(() => {
    const value = loaded.value;
    if (!value) return undefined;
    return Object.fromEntries(
      CHECKED_PIPELINES.map(pipeline => {
        const run = started[pipeline];
        const read = value[pipeline];
        return [
          pipeline,
          run && !read.seen.has(run.id) ? { ...read, active: run } : read,
        ];
      }),
    ) as ChecksByPipeline;
  }, [loaded.value, started]);

  // A check that was under way and is no longer has recorded its findings.
  const { onCheckFinished } = props;
  const activeIds = useRef(new Set<string>());
  useEffect(() => {
    if (!checks) return;
    const nowActive = new Set(
      Object.values(checks).flatMap(c => (c.active ? [c.active.id] : [])),
    );
    const finished = [...activeIds.current].some(id => !nowActive.has(id));
    activeIds.current = nowActive;
    if (finished) onCheckFinished();
  }, [checks, onCheckFinished]);

  const check = async (pipeline: CheckedPipeline) => {
    setStarting(pipeline);
    try {
      const run = await api.startDriftCheck(pipeline);
      setStarted(previous => ({ ...previous, [pipeline]: run }));
      loaded.reload();
    } catch (e) {
      props.onError(e as Error);
    } finally {
      setStarting(undefined);
    }
  };

  return (
    <Box
      component="ul"
      aria-label="Drift checks"
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      p={0}
      mt={0}
      mb={2}
      style={{ gap: 24, listStyle: 'none' }}
    >
      {CHECKED_PIPELINES.map(pipeline => {
        const pipelineChecks = checks?.[pipeline];
        return (
          <Box
            component="li"
            key={pipeline}
            aria-label={`${pipeline} check`}
            display="flex"
            alignItems="center"
            style={{ gap: 8 }}
          >
            <strong>{pipeline}</strong>
            {checks ? (
              <CheckState checks={pipelineChecks} />
            ) : (
              loaded.error && 'last check unknown'
            )}
            {props.canCheck && (
              <Button
                variant="outlined"
                color="primary"
                size="small"
                disabled={starting !== undefined || !!pipelineChecks?.active}
                onClick={() => check(pipeline)}
              >
                Check {pipeline} now
              </Button>
            )}
          </Box>
        );
      })}
    </Box>
  );
}
