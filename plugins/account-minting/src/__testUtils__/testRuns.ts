import {
  RunWithSteps,
  StepRecord,
} from '@regional-minting/plugin-account-minting-common';

/** The start of the test runs; steps start and end this many seconds after it. */
export const T0 = Date.parse('2026-01-02T10:00:00Z');

export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

export function testStep(
  key: string,
  fields: Partial<StepRecord> = {},
): StepRecord {
  return {
    id: `step-${key}`,
    runId: 'run-1',
    key,
    kind: key.split(':')[0],
    title: key,
    target: { payer: 'dev', regionOu: 'dev-kirk-us-east-2' },
    dependsOn: [],
    status: 'succeeded',
    attempts: 1,
    ...fields,
  };
}

/** A region's mint: its OU, then two accounts in parallel, then the bootstrap of each. */
export function testRun(fields: Partial<RunWithSteps> = {}): RunWithSteps {
  return {
    id: 'run-1',
    pipeline: 'region',
    mode: 'apply',
    region: 'dev-kirk-us-east-2',
    status: 'running',
    requestedBy: 'user:default/jane',
    createdAt: at(0),
    startedAt: at(0),
    steps: [
      testStep('account:rc', {
        title: 'Mint account rc',
        dependsOn: ['ou'],
        startedAt: at(10),
        finishedAt: at(50),
      }),
      testStep('bootstrap:rc', {
        title: 'Bootstrap rc',
        dependsOn: ['account:rc'],
        status: 'running',
        startedAt: at(50),
      }),
      testStep('ou', {
        title: 'Mint the region OU',
        startedAt: at(0),
        finishedAt: at(10),
      }),
      testStep('account:dev', {
        title: 'Mint account dev',
        dependsOn: ['ou'],
        startedAt: at(10),
        finishedAt: at(30),
      }),
      testStep('bootstrap:dev', {
        title: 'Bootstrap dev',
        dependsOn: ['account:dev'],
        status: 'pending',
      }),
    ],
    ...fields,
  };
}

/** The region's mint after the bootstrap of an account failed. */
export function failedTestRun(): RunWithSteps {
  return testRun({
    status: 'failed',
    finishedAt: at(60),
    error: 'Bootstrap rc: AccessDenied: the role cannot be assumed',
    steps: [
      testStep('ou', {
        title: 'Mint the region OU',
        startedAt: at(0),
        finishedAt: at(10),
      }),
      testStep('bootstrap:rc', {
        title: 'Bootstrap rc',
        dependsOn: ['ou'],
        status: 'failed',
        attempts: 3,
        plan: {
          actions: [
            {
              action: 'tag-account',
              target: 'dev-kirk-us-east-2-rc',
              tags: { owner: 'kirk' },
              reason: 'the account lacks its owner tag',
            },
          ],
        },
        startedAt: at(10),
        finishedAt: at(60),
        error: 'AccessDenied: the role cannot be assumed',
      }),
    ],
  });
}
