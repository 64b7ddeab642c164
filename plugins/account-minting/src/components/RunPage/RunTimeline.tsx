import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import {
  RunWithSteps,
  StepRecord,
} from '@regional-minting/plugin-account-minting-common';
import { StatusLabel, statusWord } from '../shared/StatusLabel';
import { formatDuration } from '../shared/time';
import { activeDuration, endOf, spanMs, spansOf } from './attemptSpans';

/** The narrowest bar, as a fraction of the axis, so that instant steps still show. */
const MIN_WIDTH = 0.005;
const TICK_STEPS_MS = [
  0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
  14400, 28800, 86400,
].map(seconds => seconds * 1000);
const MAX_TICKS = 6;
// Wide enough for a step title such as `Provision dev-kirk-us-east-2-mc1: cluster`.
const LABEL_WIDTH = 400;

const useStyles = makeStyles((theme: Theme) => ({
  chart: {
    position: 'relative',
  },
  axis: {
    display: 'flex',
    marginLeft: LABEL_WIDTH,
    position: 'relative',
    height: 24,
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  tick: {
    position: 'absolute',
    top: 0,
    transform: 'translateX(-50%)',
    whiteSpace: 'nowrap',
    color: theme.palette.text.secondary,
  },
  row: {
    display: 'flex',
    alignItems: 'center',
    width: '100%',
    height: 32,
    padding: 0,
    border: 0,
    borderBottom: `1px solid ${theme.palette.divider}`,
    background: 'none',
    font: 'inherit',
    color: 'inherit',
    textAlign: 'left',
    cursor: 'pointer',
    '&:hover': { background: theme.palette.action.hover },
  },
  selected: {
    background: theme.palette.action.selected,
  },
  label: {
    width: LABEL_WIDTH,
    flexShrink: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    paddingRight: theme.spacing(1),
    overflow: 'hidden',
  },
  title: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    marginRight: theme.spacing(1),
  },
  track: {
    position: 'relative',
    flexGrow: 1,
    height: '100%',
  },
  bar: {
    position: 'absolute',
    top: 8,
    bottom: 8,
    borderRadius: 3,
    boxSizing: 'border-box',
  },
  succeeded: { background: theme.palette.success.main },
  failed: { background: theme.palette.error.main },
  running: { background: theme.palette.info.main },
  pending: { background: theme.palette.grey[300] },
  cancelled: { background: theme.palette.grey[500] },
  blocked: { background: theme.palette.error.light },
  // An attempt that did not succeed, after which the step was tried again.
  retried: { background: theme.palette.warning.main },
  // After the statuses' classes, so that it wins over their backgrounds.
  placeholder: {
    background: 'transparent',
    border: `1px dashed ${theme.palette.grey[500]}`,
  },
}));

/** The steps with each after the steps it depends on, otherwise in their given order. */
function inDependencyOrder(steps: StepRecord[]): StepRecord[] {
  const keys = new Set(steps.map(s => s.key));
  const placed = new Set<string>();
  const ordered: StepRecord[] = [];
  let remaining = steps;
  while (remaining.length > 0) {
    const next =
      remaining.find(step =>
        step.dependsOn.every(key => placed.has(key) || !keys.has(key)),
      ) ?? remaining[0]; // a cycle: keep the given order rather than lose steps
    ordered.push(next);
    placed.add(next.key);
    remaining = remaining.filter(step => step !== next);
  }
  return ordered;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 10000) / 100}%`;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

interface Axis {
  start: number;
  span: number;
  now: number;
}

/** One bar of a step's row, its place as fractions of the axis. */
interface Bar {
  key: string;
  left: number;
  width: number;
  title: string;
  /** An earlier attempt, retried; else the bar takes the step's status. */
  retried?: boolean;
  placeholder?: boolean;
}

/** Where a step's bars sit on the axis, as fractions of it: one for each attempt. */
function barsOf(
  step: StepRecord,
  stepsByKey: Map<string, StepRecord>,
  axis: Axis,
): Bar[] {
  const at = (time: number) => clamp((time - axis.start) / axis.span, 0, 1);
  const spans = spansOf(step);
  if (spans.length > 0) {
    return spans.map((span, i) => {
      const left = Math.min(at(Date.parse(span.startedAt)), 1 - MIN_WIDTH);
      const right = at(endOf(span, step, axis.now));
      const duration = formatDuration(spanMs(span, step, axis.now));
      return {
        key: span.startedAt,
        left,
        width: Math.max(right - left, MIN_WIDTH),
        title:
          spans.length > 1
            ? `${step.title}: attempt ${i + 1} of ${spans.length}, ${duration}`
            : `${step.title}: ${duration}`,
        // Pending again with its attempts ended, the step waits to be retried.
        retried:
          i < spans.length - 1 ||
          (step.status === 'pending' && span.finishedAt !== undefined),
      };
    });
  }
  // A step not started yet waits from where its dependencies end (or will) to the end.
  const dependencyEnds = step.dependsOn.flatMap(key => {
    const dependency = stepsByKey.get(key);
    if (!dependency) return [];
    return [
      dependency.finishedAt ? Date.parse(dependency.finishedAt) : axis.now,
    ];
  });
  const dependenciesEnd = Math.max(axis.start, ...dependencyEnds);
  const left = Math.min(at(dependenciesEnd), 1 - 2 * MIN_WIDTH);
  return [
    {
      key: 'waiting',
      left,
      width: 1 - left,
      title: step.title,
      placeholder: true,
    },
  ];
}

function ticksOf(span: number): number[] {
  const step =
    TICK_STEPS_MS.find(candidate => span / candidate <= MAX_TICKS) ??
    TICK_STEPS_MS[TICK_STEPS_MS.length - 1];
  const ticks: number[] = [];
  for (let t = 0; t <= span; t += step) ticks.push(t);
  return ticks;
}

function tickLabel(ms: number): string {
  return ms === 0 ? '0s' : formatDuration(ms);
}

/**
 * A Gantt chart of a run's steps on a time axis from the run's start to its end
 * (or now): the steps of accounts that ran in parallel overlap.
 */
export function RunTimeline(props: {
  run: RunWithSteps;
  /** The end of the axis while the run goes on. */
  now: number;
  selectedStepId?: string;
  onSelect(stepId: string): void;
}) {
  const { run, now, selectedStepId, onSelect } = props;
  const classes = useStyles();
  const start = Date.parse(run.startedAt ?? run.createdAt);
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  const axis: Axis = { start, span: Math.max(end - start, 1), now };
  const stepsByKey = new Map(run.steps.map(step => [step.key, step]));

  return (
    <div className={classes.chart} role="figure" aria-label="Run timeline">
      <div className={classes.axis} aria-hidden="true">
        {ticksOf(axis.span).map(t => (
          <Typography
            key={t}
            variant="caption"
            className={classes.tick}
            style={{ left: percent(t / axis.span) }}
          >
            {tickLabel(t)}
          </Typography>
        ))}
      </div>
      {inDependencyOrder(run.steps).map(step => {
        const duration = activeDuration(step, now);
        const attempts = spansOf(step).length;
        const selected = step.id === selectedStepId;
        return (
          <button
            key={step.id}
            type="button"
            className={`${classes.row} ${selected ? classes.selected : ''}`}
            aria-pressed={selected}
            aria-label={[
              step.title,
              statusWord(step.status),
              duration,
              attempts > 1 && `${attempts} attempts`,
            ]
              .filter(Boolean)
              .join(', ')}
            onClick={() => onSelect(step.id)}
          >
            <span className={classes.label}>
              <Typography variant="body2" className={classes.title}>
                {step.title}
              </Typography>
              <StatusLabel status={step.status} />
            </span>
            <span className={classes.track}>
              {barsOf(step, stepsByKey, axis).map(bar => (
                <span
                  key={bar.key}
                  data-testid="timeline-bar"
                  title={bar.title}
                  className={[
                    classes.bar,
                    bar.retried ? classes.retried : classes[step.status],
                    bar.placeholder ? classes.placeholder : '',
                  ].join(' ')}
                  style={{ left: percent(bar.left), width: percent(bar.width) }}
                />
              ))}
            </span>
          </button>
        );
      })}
    </div>
  );
}
