import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AdoptBody,
  ACTIVE_RUN_STATUSES,
  FieldErrors,
  Plan,
  validateRegionRequest,
  ValidRegionRequest,
} from '@regional-minting/plugin-account-minting-common';
import { Knex } from 'knex';
import { openPayerSession } from '../aws/OrganizationSession';
import { configView, MintingConfig } from '../config/mintingConfig';
import { RunExecutor } from '../engine/RunExecutor';
import {
  AcceptedAccount,
  acceptedAccounts,
  DesiredRegion,
  regionWithAccounts,
} from '../estate/desired';
import { listAccounts } from '../estate/observe';
import { EstateView } from '../estate/EstateView';
import { DecommissionRegionSources, decommissionRunSteps } from '../pipelines';
import { planSteps } from '../pipelines/planRun';
import { actionable, DesiredState, RegionEntry } from '../regions/DesiredState';
import { RegionStore } from '../regions/RegionStore';
import { RunRepository } from '../runs/RunRepository';
import { RunRecord } from '../runs/types';
import { MintingService } from '../service/MintingService';
import { adoptInto } from './adoption';
import { closeWindowOf, ClosureLedger } from './ClosureLedger';
import { scaleAccounts } from './scaling';

/** What a decommission acts on: the region with every account, those it retires, and what stays. */
interface DecommissionTarget {
  retiring: DesiredRegion;
  /** A region the desired state no longer has, found in AWS: recorded as its decommission starts. */
  found?: AcceptedAccount[];
  /** Some accounts; the whole region when absent. */
  accounts?: string[];
  remaining?: DesiredRegion;
}

/** The actions of a plan that close an account, now or once the quota lets them. */
const CLOSING = new Set(['close-account', 'wait-for-close-quota']);

/**
 * A region's whole life after its request: adopting accounts that exist, scaling its
 * account counts, decommissioning it or some of its accounts. Each is a plan first
 * (a dry run of the run it starts) and then that run, as minting is.
 */
export class LifecycleService {
  constructor(
    private readonly options: {
      config: MintingConfig;
      knex: Knex;
      regions: RegionStore;
      desiredState: DesiredState;
      runs: RunRepository;
      executor: RunExecutor;
      minting: MintingService;
      closures: ClosureLedger;
      decommission: DecommissionRegionSources;
      /** Where a region removed from the configuration is found. */
      estate: Pick<EstateView, 'get'>;
    },
  ) {}

  /**
   * A region that is neither declared nor requested but that AWS still has (one
   * removed from the configuration): its region OU, and the accounts in it that this
   * product manages for it, from their tags.
   */
  private async foundInAws(
    name: string,
  ): Promise<
    { region: DesiredRegion; accounts: AcceptedAccount[] } | undefined
  > {
    const { config } = this.options;
    const estate = await this.options.estate.get({ refresh: true });
    for (const payer of estate.payers) {
      for (const environment of payer.environments) {
        const found = environment.regions.find(
          r => r.name === name && r.observed,
        );
        if (!found) continue;
        const ours = found.accounts.filter(
          a =>
            a.id &&
            a.tags['managed-by'] === 'account-minting' &&
            a.tags['region-ou'] === name,
        );
        const accounts: AcceptedAccount[] = ours.map(a => ({
          role: a.tags.role ?? '',
          index: Number(a.tags.index ?? 0),
          name: a.name,
          email: a.email ?? '',
          accountId: a.id,
        }));
        const identity = {
          environment: environment.name,
          region: ours[0]?.tags.region ?? '',
          regionOu: name,
          payer: payer.name,
        };
        return {
          accounts,
          region: regionWithAccounts(config, identity, accounts),
        };
      }
    }
    return undefined;
  }

  /**
   * The environment a decommission acts in: its region's, or where AWS has a region
   * the configuration no longer declares.
   * @throws NotFoundError for a region that is nowhere
   */
  async decommissionEnvironment(name: string): Promise<string> {
    const entry = await this.options.desiredState
      .get(name)
      .catch(() => undefined);
    if (entry) return entry.desired.environment;
    const found = await this.foundInAws(name);
    if (!found)
      throw new NotFoundError(
        `region ${name} is neither declared in configuration, nor requested, nor found in AWS`,
      );
    return found.region.environment;
  }

  // Decommission

  /**
   * What a decommission acts on.
   * @throws NotFoundError for an unknown region
   * @throws ConflictError for a region declared in configuration, or some accounts of
   *   a region that is not active
   * @throws FieldErrors naming accounts for names the region never had
   */
  private async decommissionTarget(
    name: string,
    accounts?: string[],
  ): Promise<DecommissionTarget> {
    const { desiredState, config } = this.options;
    const entry = await desiredState.get(name).catch(async error => {
      if (!(error instanceof NotFoundError) || accounts) throw error;
      return undefined;
    });
    if (!entry) {
      const found = await this.foundInAws(name);
      if (!found)
        throw new NotFoundError(
          `region ${name} is neither declared in configuration, nor requested, nor found in AWS`,
        );
      return { retiring: found.region, found: found.accounts };
    }
    if (entry.source === 'config')
      throw new ConflictError(
        `region ${name} is declared in configuration (accountMinting.regions): remove it there first, then decommission it`,
      );
    const retiring = (await desiredState.withRetiredAccounts(name)).desired;
    if (!config.payers.some(p => p.name === retiring.payer))
      throw new ConflictError(
        `region ${name} is in payer ${retiring.payer}, which accountMinting.payers no longer has`,
      );
    if (!accounts) return { retiring };
    actionable(entry);
    const unknown = accounts.filter(
      a => !retiring.accounts.some(r => r.name === a),
    );
    if (unknown.length > 0 || accounts.length === 0)
      throw new FieldErrors({
        accounts:
          accounts.length === 0
            ? 'name at least one account, or leave accounts out for the whole region'
            : `${unknown.join(
                ', ',
              )}: not accounts of ${name}; its accounts are ${retiring.accounts
                .map(a => a.name)
                .join(', ')}`,
      });
    return {
      retiring,
      accounts,
      remaining: {
        ...entry.desired,
        accounts: entry.desired.accounts.filter(
          a => !accounts.includes(a.name),
        ),
      },
    };
  }

  private planOf(target: DecommissionTarget, requestedBy: string) {
    const { retiring, remaining } = target;
    return planSteps({
      means: this.options.executor.means(),
      pipeline: 'decommission',
      desired: remaining ?? retiring,
      requestedBy,
      steps: decommissionRunSteps(this.options.config, target),
      decommission: {
        ...this.options.decommission,
        retiringRegion: async () => retiring,
      },
    });
  }

  /**
   * The plan of a decommission, with the close quota it needs. A region declared in
   * configuration is planned as blocked, saying what to do first.
   */
  async planDecommission(
    name: string,
    accounts: string[] | undefined,
    requestedBy: string,
  ): Promise<Plan> {
    let target: DecommissionTarget;
    try {
      target = await this.decommissionTarget(name, accounts);
    } catch (error) {
      const entry = await this.options.desiredState.get(name);
      if (!(error instanceof ConflictError) || entry.source !== 'config')
        throw error;
      return {
        region: name,
        payer: entry.desired.payer,
        actions: [{ action: 'blocked', target: name, reason: error.message }],
        changes: 0,
      };
    }
    return this.withCloseQuota(await this.planOf(target, requestedBy));
  }

  /** The plan with the payer's close quota, when it closes accounts. */
  private async withCloseQuota(plan: Plan): Promise<Plan> {
    const needed = plan.actions.filter(a => CLOSING.has(a.action)).length;
    if (needed === 0) return plan;
    const { config, executor, closures } = this.options;
    const means = executor.means();
    const payer = config.payers.find(p => p.name === plan.payer)!;
    const session = await openPayerSession({
      clients: means.clients,
      gates: means.gates,
      payer,
      sessionName: `quota-${plan.region}`.slice(0, 64),
      backoff: means.timing.backoff,
    });
    const window = closeWindowOf(
      config.decommission,
      payer.name,
      new Set((await listAccounts(session)).map(a => a.Id ?? '')),
      payer.accountId,
    );
    const usage = await closures.usage(window, needed);
    return {
      ...plan,
      closeQuota: {
        payer: payer.name,
        limit: window.limit,
        limitSource: window.limitSource,
        used: usage.used,
        left: usage.left,
        needed,
        windowDays: config.decommission.closeWindowDays,
        ...(usage.nextSlotAt
          ? { nextSlotAt: usage.nextSlotAt.toISOString() }
          : {}),
      },
    };
  }

  /**
   * Starts a decommission: a whole region leaves the desired state at once, as
   * decommissioning, and is marked decommissioned by its run's last step; some
   * accounts are retired from it at once. Asking again while it runs returns its run;
   * a whole region decommissioned already is decommissioned again, changing nothing.
   * @throws ConflictError while another run of the region is under way
   */
  async decommission(
    name: string,
    accounts: string[] | undefined,
    requestedBy: string,
  ): Promise<RunRecord> {
    const { knex, regions, runs, config, executor } = this.options;
    const target = await this.decommissionTarget(name, accounts);
    const steps = decommissionRunSteps(config, target);
    const same = await this.activeRunOf(name, steps);
    if (same) return same;
    // What the plan shows would fail (an account this product must not close) stops it before anything changes.
    const blocked = (await this.planOf(target, requestedBy)).actions.filter(
      a => a.action === 'blocked',
    );
    if (blocked.length > 0)
      throw new ConflictError(
        `the decommission of ${name} would fail: ${blocked
          .map(a => `${a.target}: ${a.reason}`)
          .join('; ')}`,
      );
    const run = await knex.transaction(async tx => {
      if (target.found) {
        await regions.recordFound(
          { ...target.retiring, regionOu: name, accounts: target.found },
          requestedBy,
          tx,
        );
      } else if (!accounts)
        await regions.setStatus(name, 'decommissioning', requestedBy, tx);
      else {
        const at = new Date().toISOString();
        await regions.updateAccounts(
          name,
          stored =>
            stored.map(a =>
              accounts.includes(a.name) && !a.retired
                ? { ...a, retired: { by: requestedBy, at } }
                : a,
            ),
          tx,
        );
      }
      return runs.startOrJoin(
        {
          region: name,
          pipeline: 'decommission',
          account: accounts?.length === 1 ? accounts[0] : undefined,
          requestedBy,
          steps,
        },
        tx,
      );
    });
    executor.wake();
    return run;
  }

  /**
   * The run under way that does exactly these steps, if any.
   * @throws ConflictError when another run of the region is under way: a
   *   decommission must not race a mint or another decommission of it
   */
  private async activeRunOf(
    name: string,
    steps: { key: string }[],
  ): Promise<RunRecord | undefined> {
    const { runs } = this.options;
    const { items } = await runs.listRuns({
      region: name,
      status: [...ACTIVE_RUN_STATUSES],
    });
    const [active] = items;
    if (!active) return undefined;
    const keys = (await runs.getSteps(active.id)).map(s => s.key).sort();
    const wanted = steps.map(s => s.key).sort();
    if (
      active.pipeline === 'decommission' &&
      keys.join('\n') === wanted.join('\n')
    )
      return active;
    throw new ConflictError(
      `region ${name} has a ${active.pipeline} run under way (${active.id}): wait for it or cancel it first`,
    );
  }

  // Scale

  private async scaling(
    name: string,
    counts: Record<string, number>,
    by: string,
  ) {
    const { desiredState, regions, config } = this.options;
    const entry = await desiredState.get(name);
    if (entry.source === 'config')
      throw new ConflictError(
        `region ${name} is declared in configuration: change its accountRoles in accountMinting.regions`,
      );
    actionable(entry);
    const stored = (await regions.get(name))!;
    return {
      entry,
      scaling: scaleAccounts(config, name, stored.accounts ?? [], counts, by),
    };
  }

  private scaledRegion(entry: RegionEntry, accounts: AcceptedAccount[]) {
    return regionWithAccounts(
      this.options.config,
      { ...entry.desired, regionOu: entry.desired.name },
      accounts.filter(a => !a.retired),
    );
  }

  /** The plan of new counts: a region run minting the new accounts, or a decommission of the surplus. */
  async planScale(
    name: string,
    counts: Record<string, number>,
    requestedBy: string,
  ): Promise<Plan> {
    const { entry, scaling } = await this.scaling(name, counts, requestedBy);
    if (scaling.retired.length > 0)
      return this.planDecommission(
        name,
        scaling.retired.map(a => a.name),
        requestedBy,
      );
    if (scaling.added.length > 0)
      return this.options.minting.planWithQuota(
        this.scaledRegion(entry, scaling.accounts),
        requestedBy,
      );
    return {
      region: name,
      payer: entry.desired.payer,
      actions: [
        {
          action: 'none',
          target: name,
          reason: 'the region has these account counts already',
        },
      ],
      changes: 0,
    };
  }

  /**
   * Scales a region: new accounts are recorded and the region's run started, in one
   * transaction, so that it mints them and runs the join again; surplus accounts are
   * decommissioned.
   * @throws ConflictError for counts the region has already
   */
  async scale(
    name: string,
    counts: Record<string, number>,
    requestedBy: string,
  ): Promise<RunRecord> {
    const { entry, scaling } = await this.scaling(name, counts, requestedBy);
    if (scaling.retired.length > 0)
      return this.decommission(
        name,
        scaling.retired.map(a => a.name),
        requestedBy,
      );
    if (scaling.added.length === 0)
      throw new ConflictError(
        `region ${name} has these account counts already`,
      );
    // Over the account quota, nothing is recorded: its run could only fail.
    await this.options.minting.checkAccountQuota(
      this.scaledRegion(entry, scaling.accounts),
      requestedBy,
    );
    return this.recordAndRun(name, () => scaling.accounts, requestedBy);
  }

  /** Changes a region's accounts and starts its region run, in one transaction. */
  private async recordAndRun(
    name: string,
    change: (stored: AcceptedAccount[]) => AcceptedAccount[],
    requestedBy: string,
  ): Promise<RunRecord> {
    const { knex, regions, desiredState, minting, executor } = this.options;
    const run = await knex.transaction(async tx => {
      const stored = await regions.updateAccounts(name, change, tx);
      return minting.createRun(
        desiredState.entryOf(stored),
        { pipeline: 'region', requestedBy },
        tx,
      );
    });
    executor.wake();
    return run;
  }

  // Adopt

  /**
   * The region accounts are adopted into, with the adopted ones in their slots: a
   * requested region's, or a new region's from the body's environment, region and owner.
   * @throws FieldErrors for invalid fields and refused accounts
   * @throws ConflictError for a region declared in configuration, or not active
   */
  private async adoption(name: string, body: AdoptBody) {
    const { desiredState, regions, config, executor } = this.options;
    const entry = await desiredState.get(name).catch(() => undefined);
    let request: ValidRegionRequest | undefined;
    let stored: AcceptedAccount[];
    if (entry) {
      if (entry.source === 'config')
        throw new ConflictError(
          `region ${name} is declared in configuration: adopt accounts into requested regions`,
        );
      actionable(entry);
      stored = (await regions.get(name))!.accounts ?? [];
    } else {
      const counts = body.accountRoles ?? {
        ...Object.fromEntries(config.accountRoles.map(r => [r.name, 0])),
        ...Object.fromEntries(
          Object.entries(body.accounts ?? {}).map(([role, ids]) => [
            role,
            ids.length,
          ]),
        ),
      };
      const checked = validateRegionRequest(
        {
          environment: body.environment,
          region: body.region,
          owner: body.owner,
          accountRoles: counts,
        },
        configView(config),
      );
      if (!checked.ok) throw new FieldErrors(checked.errors);
      if (checked.value.regionOu !== name)
        throw new FieldErrors({
          region: `environment ${checked.value.environment} names this region ${checked.value.regionOu}, not ${name}`,
        });
      request = checked.value;
      stored = acceptedAccounts(config, request);
    }
    const payerName = entry?.desired.payer ?? request!.payer;
    const payer = config.payers.find(p => p.name === payerName)!;
    const means = executor.means();
    const session = await openPayerSession({
      clients: means.clients,
      gates: means.gates,
      payer,
      sessionName: `adopt-${name}`.slice(0, 64),
      backoff: means.timing.backoff,
    });
    const adoptedElsewhere = new Map<string, string>();
    for (const region of await regions.list())
      for (const account of region.accounts ?? [])
        if (account.accountId && !account.retired)
          adoptedElsewhere.set(account.accountId, region.regionOu);
    const { accounts } = await adoptInto({
      config,
      session,
      payer,
      regionOu: name,
      slots: stored.filter(a => !a.retired),
      body,
      adoptedElsewhere,
    });
    const all = [...stored.filter(a => a.retired), ...accounts];
    const identity = entry ? { ...entry.desired, regionOu: name } : request!;
    return {
      request,
      accounts: all,
      desired: regionWithAccounts(
        config,
        identity,
        all.filter(a => !a.retired),
      ),
    };
  }

  /** The plan of an adoption: the region's run with the accounts in their slots. */
  async planAdopt(name: string, body: AdoptBody, requestedBy: string) {
    const { desired } = await this.adoption(name, body);
    return this.options.minting.planWithQuota(desired, requestedBy);
  }

  /** Records the adopted accounts in their slots and starts the region's run, which takes them over. */
  async adopt(name: string, body: AdoptBody, requestedBy: string) {
    const { regions, knex, desiredState, minting, executor } = this.options;
    const { request, accounts, desired } = await this.adoption(name, body);
    await minting.checkAccountQuota(desired, requestedBy);
    const run = request
      ? await knex.transaction(async tx => {
          const stored = await regions.request(
            request,
            accounts,
            requestedBy,
            tx,
          );
          return minting.createRun(
            desiredState.entryOf(stored),
            { pipeline: 'region', requestedBy },
            tx,
          );
        })
      : await this.recordAndRun(name, () => accounts, requestedBy);
    executor.wake();
    return { region: await minting.getRegion(name), run };
  }
}
