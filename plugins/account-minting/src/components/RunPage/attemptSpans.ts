import { StepRecord } from '@regional-minting/plugin-account-minting-common';
import { formatDuration } from '../shared/time';

/** When one attempt of a step ran; no end while it goes on. */
export type Span = { startedAt: string; finishedAt?: string };

/**
 * When the step ran: each attempt apart, so that the idle time between attempts
 * (a backoff, or a retry of the run long after) counts for nothing; for a step recorded
 * without attempts, from its start to its end.
 */
export function spansOf(step: StepRecord): Span[] {
  if (step.attemptSpans && step.attemptSpans.length > 0) {
    return step.attemptSpans;
  }
  return step.startedAt
    ? [{ startedAt: step.startedAt, finishedAt: step.finishedAt }]
    : [];
}

/** How long the step's attempts took together, without the time between them. */
export function activeDuration(
  step: StepRecord,
  now: number,
): string | undefined {
  const spans = spansOf(step);
  if (spans.length === 0) return undefined;
  return formatDuration(
    spans.reduce((total, span) => total + spanMs(span, step, now), 0),
  );
}

/** An attempt still open ends with its step, if the step ended without closing it, else now. */
export function endOf(span: Span, step: StepRecord, now: number): number {
  const end = span.finishedAt ?? step.finishedAt;
  return end ? Date.parse(end) : now;
}

/** How long one attempt took, or has taken so far. */
export function spanMs(span: Span, step: StepRecord, now: number): number {
  return Math.max(0, endOf(span, step, now) - Date.parse(span.startedAt));
}
