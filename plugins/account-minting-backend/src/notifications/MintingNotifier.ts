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
      /** Whether a region run that succeeded found its region ready already. */
      wasRegionReady(run: RunRecord): Promise<boolean>;
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
          link: this.findingsLink(region, found),
          severity: 'high',
          topic: 'account-minting-drift',
          scope: `drift:${region}`,
        },
      );
    }
  }

  /**
   * The drift view with a region's new findings, in every state: by the time the link is
   * followed, a repair may have resolved them. One finding is linked to, to show opened.
   */
  private findingsLink(region: string, found: DriftFinding[]): string {
    const query = new URLSearchParams({ region, state: 'all' });
    if (found.length === 1) query.set('finding', found[0].id);
    return `${this.options.portalPath}/drift?${query}`;
  }

  /**
   * A run that finished: signalled to the portal; notified when it failed, and to the
   * requester when it made their region ready.
   */
  async runFinished(run: RunRecord) {
    await this.signal({
      type: 'run',
      runId: run.id,
      status: run.status,
      region: run.region,
    });
    if (run.status === 'succeeded') {
      await this.regionReady(run);
      return;
    }
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

  /**
   * A whole-region apply run that succeeded on a region not ready before it: the region's
   * requester (who asked for it, else who started the run) hears that it is ready.
   */
  private async regionReady(run: RunRecord) {
    if (run.pipeline !== 'region' || run.mode !== 'apply' || run.account) {
      return;
    }
    try {
      if (await this.options.wasRegionReady(run)) return;
    } catch (error) {
      this.options.logger.warn(
        `could not tell whether ${run.region} was ready before run ${run.id}: ${error}`,
      );
      return;
    }
    const requester =
      (await this.options.requesterOf(run.region)) ?? run.requestedBy;
    if (!requester.startsWith('user:')) return;
    await this.notify([requester], {
      title: `Region ${run.region} is ready`,
      description: `Its accounts are minted, bootstrapped and provisioned (run ${run.id}).`,
      link: `${this.options.portalPath}/regions/${encodeURIComponent(
        run.region,
      )}`,
      severity: 'normal',
      topic: 'account-minting-regions',
      scope: `region-ready:${run.region}`,
    });
  }
}
