/**
 * A local, wire-compatible emulator of the AWS calls that account minting makes.
 *
 * @packageDocumentation
 */
export { startSandbox } from './server';
export type { RunningSandbox, SandboxOptions } from './server';
export { Sandbox } from './Sandbox';
export { ManualClock, systemClock } from './clock';
export type { Clock } from './clock';
export { PROFILES, profileNamed } from './profiles';
export type { LatencyProfile } from './profiles';
export { loadSeedFile, parseSeed } from './seed/loadSeed';
export { defaultSeed, defaultSeedPath } from './seed/defaultSeed';
export type { Seed } from './seed/schema';
export type { FaultSpec } from './faults';
export { seededRandom } from './random';
export type { CallRecord } from './calls';
export { main } from './cli';
