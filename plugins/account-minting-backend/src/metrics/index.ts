export { MintingMetrics } from './MintingMetrics';
export type { FinishedStep, RunOutcome } from './MintingMetrics';
