import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  DriftFinding,
  MINTING_SIGNAL_CHANNEL,
  MintingSignal,
} from '@regional-minting/plugin-account-minting-common';
import { ChangeNotices } from '../changes/ChangeService';
import { RunRecord } from '../runs/types';

/** Who hears of a region: whoever requested it, and the configured group. */
function recipientsOf(
  requester: string | undefined,
  group: string | undefined,
): string[] {
  return [requester, group].filter(
    (ref): ref is string =>
      typeof ref === 'string' && /^(user|group):/.test(ref),
  );
}

/**
 * Tells people of what needs them (new drift, failed runs, changes to approve) through the
 * notifications service, and the portal of every change through signals. Either
 * service may be absent, and a failure to notify never fails the engine's work.
 */
export class MintingNotifier implements ChangeNotices {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      signals?: SignalsService;
      notifyGroup?: string;
      /** The portal's address, for links in notifications. */
      portalPath: string;
      logger: LoggerService;
      /** Who requested each region, when someone did. */
      requesterOf(region: string): Promise<string | undefined>;
    },
  ) {}

  /** Notifies these users and groups; a failure is logged, never thrown. */
  async notify(
    recipients: string[],
    payload: Parameters<NotificationService['send']>[0]['payload'],
  ) {
    if (!this.options.notifications || recipients.length === 0) return;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload,
      });
    } catch (error) {
      this.options.logger.warn(`could not send a notification: ${error}`);
    }
  }

  async signal(message: MintingSignal) {
    try {
      await this.options.signals?.publish({
        recipients: { type: 'broadcast' },
        channel: MINTING_SIGNAL_CHANNEL,
        message,
      });
    } catch (error) {
      this.options.logger.warn(`could not publish a signal: ${error}`);
    }
  }

  /** New findings: one notification per region, to its requester and the group. */
  async newFindings(findings: DriftFinding[]) {
    const byRegion = new Map<string, DriftFinding[]>();
    findings.forEach(f =>
      byRegion.set(f.region, [...(byRegion.get(f.region) ?? []), f]),
    );
    for (const [region, found] of byRegion) {
      await this.notify(
        recipientsOf(
          await this.options.requesterOf(region),
          this.options.notifyGroup,
        ),
        {
          title: `Drift in ${region}: ${found.length} new finding${
            found.length === 1 ? '' : 's'
          }`,
          description: found
            .slice(0, 5)
            .map(f => f.summary)
            .join('\n'),
          link: `${this.options.portalPath}/drift?region=${encodeURIComponent(
            region,
          )}`,
          severity: 'high',
          topic: 'account-minting-drift',
          scope: `drift:${region}`,
        },
      );
    }
  }

  /** A run that finished: signalled to the portal; notified when it failed. */
  async runFinished(run: RunRecord) {
    await this.signal({
      type: 'run',
      runId: run.id,
      status: run.status,
      region: run.region,
    });
    if (run.status !== 'failed') return;
    const requester =
      run.requestedBy.startsWith('user:') ||
      run.requestedBy.startsWith('group:')
        ? run.requestedBy
        : await this.options.requesterOf(run.region);
    await this.notify(recipientsOf(requester, this.options.notifyGroup), {
      title: `${run.pipeline} ${run.mode === 'check' ? 'check' : 'run'} of ${
        run.account ?? run.region
      } failed`,
      description: run.error,
      link: `${this.options.portalPath}/runs/${encodeURIComponent(run.id)}`,
      severity: 'high',
      topic: 'account-minting-runs',
    });
  }
}
