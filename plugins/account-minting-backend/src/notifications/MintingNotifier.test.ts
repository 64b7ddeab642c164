import { mockServices } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { DriftFinding } from '@regional-minting/plugin-account-minting-common';
import { RunRecord } from '../runs/types';
import { MintingNotifier } from './MintingNotifier';
import { wasRegionReady } from './regionReadiness';

const REGION = 'dev-kirk-us-east-2';

const run = (overrides: Partial<RunRecord> = {}): RunRecord => ({
  id: 'run-1',
  pipeline: 'region',
  mode: 'apply',
  region: REGION,
  status: 'succeeded',
  requestedBy: 'user:default/kirk',
  createdAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:20:00.000Z',
  ...overrides,
});

const finding = (id: string): DriftFinding => ({
  id,
  pipeline: 'mint',
  layer: 'tags',
  payer: 'staging-1',
  environment: 'dev',
  region: REGION,
  account: `${REGION}-mc1`,
  summary: `finding ${id}`,
  repairable: true,
  firstSeenAt: '2026-12-01T10:00:00.000Z',
  lastSeenAt: '2026-12-01T10:00:00.000Z',
  checkRunId: 'check-1',
});

function notifier(
  options: {
    wasRegionReady?: (run: RunRecord) => Promise<boolean>;
    requester?: string;
  } = {},
) {
  const send = jest.fn(async (_options: NotificationSendOptions) => {});
  const notifications: NotificationService = { send };
  const minting = new MintingNotifier({
    notifications,
    notifyGroup: 'group:default/platform-sre',
    portalPath: '/account-minting',
    logger: mockServices.logger.mock(),
    requesterOf: async () => options.requester,
    wasRegionReady: options.wasRegionReady ?? (async () => false),
  });
  return { minting, send };
}

const titles = (send: jest.Mock) =>
  send.mock.calls.map(([sent]) => sent.payload.title);

describe('MintingNotifier', () => {
  it('tells the requester that their region is ready when its region run succeeds, linking to the region', async () => {
    const { minting, send } = notifier({ requester: 'user:default/uhura' });
    await minting.runFinished(run());

    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: ['user:default/uhura'] },
      payload: expect.objectContaining({
        title: `Region ${REGION} is ready`,
        link: `/account-minting/regions/${REGION}`,
        topic: 'account-minting-regions',
      }),
    });
  });

  it('tells who started the run of a region nobody requested (declared in configuration)', async () => {
    const { minting, send } = notifier();
    await minting.runFinished(run());
    expect(send.mock.calls[0][0].recipients).toEqual({
      type: 'entity',
      entityRef: ['user:default/kirk'],
    });
  });

  it.each<[string, Partial<RunRecord>]>([
    ['a failed region run', { status: 'failed', error: 'no' }],
    ['a cancelled region run', { status: 'cancelled' }],
    ['a drift check', { mode: 'check', pipeline: 'mint', region: '*' }],
    ['a run of one pipeline', { pipeline: 'bootstrap' }],
    ['a run of one account', { account: `${REGION}-mc1` }],
    [
      'a run the scheduler started',
      { requestedBy: 'plugin:account-minting/scheduler' },
    ],
  ])('says nothing is ready after %s', async (_name, overrides) => {
    const { minting, send } = notifier();
    await minting.runFinished(run(overrides));
    expect(titles(send)).not.toContainEqual(expect.stringMatching(/is ready$/));
  });

  it('says nothing again when the region was ready before the run', async () => {
    const wasReady = jest.fn(async () => true);
    const { minting, send } = notifier({ wasRegionReady: wasReady });
    await minting.runFinished(run());
    expect(wasReady).toHaveBeenCalledWith(run());
    expect(send).not.toHaveBeenCalled();
  });

  it('links one new finding opened, in every state, so that the link still shows it once repaired', async () => {
    const { minting, send } = notifier({ requester: 'user:default/uhura' });
    await minting.newFindings([finding('f-1')]);
    await minting.newFindings([finding('f-2'), finding('f-3')]);

    expect(send.mock.calls.map(([sent]) => sent.payload.link)).toEqual([
      `/account-minting/drift?region=${REGION}&state=all&finding=f-1`,
      `/account-minting/drift?region=${REGION}&state=all`,
    ]);
  });
});

describe('wasRegionReady', () => {
  // Newest first, as the repository lists them.
  const readiness = (earlier: RunRecord[]) =>
    wasRegionReady(
      { listRuns: async () => ({ items: [run(), ...earlier] }) },
      run(),
    );

  it('is false for a region never run before', async () => {
    expect(await readiness([])).toBe(false);
  });

  it('is true when the run before succeeded, and false when it failed', async () => {
    expect(await readiness([run({ id: 'run-0' })])).toBe(true);
    expect(
      await readiness([
        run({ id: 'run-0', status: 'failed' }),
        run({ id: 'run--1' }),
      ]),
    ).toBe(false);
  });

  it('looks past drift checks and runs still under way', async () => {
    expect(
      await readiness([
        run({ id: 'check', mode: 'check', status: 'failed' }),
        run({ id: 'other', pipeline: 'mint', status: 'running' }),
        run({ id: 'run-0' }),
      ]),
    ).toBe(true);
  });
});
