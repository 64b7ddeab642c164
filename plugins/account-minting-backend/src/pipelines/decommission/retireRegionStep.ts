import { RegionStatus } from '@regional-minting/plugin-account-minting-common';
import { Reconciler, reconcileStep } from '../../engine/reconcile';
import { StepContext } from '../types';

/** What the last step of a region's decommission reads and writes of the region's record. */
export interface RegionRecords {
  status(regionOu: string): Promise<RegionStatus>;
  /** Marks the region decommissioned, with who and when; again changes nothing. */
  markDecommissioned(regionOu: string, by: string): Promise<void>;
}

/**
 * The region leaves the desired state for good, last of its decommission: its record
 * stays, marked decommissioned by whoever asked, for the audit trail.
 */
function retireRegionReconciler(
  records: RegionRecords,
): Reconciler<StepContext, { status: RegionStatus }> {
  return {
    async observe(ctx) {
      return { status: await records.status(ctx.desired.name) };
    },
    plan(ctx, { status }) {
      const target = ctx.desired.name;
      return status === 'decommissioned'
        ? [{ action: 'none', target, reason: 'decommissioned already' }]
        : [
            {
              action: 'retire-region',
              target,
              reason:
                'the region leaves the desired state; its record is kept, marked decommissioned',
            },
          ];
    },
    async apply(ctx) {
      await records.markDecommissioned(ctx.desired.name, ctx.run.requestedBy);
      return { status: 'decommissioned' };
    },
    outputs() {
      return {};
    },
  };
}

export function retireRegionStep(records: RegionRecords) {
  return reconcileStep(retireRegionReconciler(records));
}
