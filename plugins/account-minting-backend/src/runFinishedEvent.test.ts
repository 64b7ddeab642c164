import { mockServices } from '@backstage/backend-test-utils';
import { RUN_FINISHED_TOPIC } from '@regional-minting/plugin-account-minting-node';
import { publishRunFinished } from './runFinishedEvent';

describe('publishRunFinished', () => {
  it('publishes the run that finished on its topic', async () => {
    const events = mockServices.events();
    const onEvent = jest.fn(async () => {});
    await events.subscribe({
      id: 'test',
      topics: [RUN_FINISHED_TOPIC],
      onEvent,
    });

    await publishRunFinished(events, {
      id: 'run-2',
      pipeline: 'mint',
      mode: 'check',
      region: '*',
      status: 'failed',
      requestedBy: 'plugin:account-minting/scheduler',
      createdAt: '2026-12-01T10:00:00.000Z',
      finishedAt: '2026-12-01T10:01:00.000Z',
      error: 'throttled',
    });

    expect(onEvent).toHaveBeenCalledWith({
      topic: 'account-minting.run-finished',
      eventPayload: {
        runId: 'run-2',
        pipeline: 'mint',
        mode: 'check',
        region: '*',
        status: 'failed',
        finishedAt: '2026-12-01T10:01:00.000Z',
      },
    });
  });
});
