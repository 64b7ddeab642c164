import {
  DescribePolicyCommand,
  DescribePolicyCommandOutput,
  ListRootsCommand,
  ListRootsCommandOutput,
  PolicySummary,
  PolicyTargetSummary,
  Root,
} from '@aws-sdk/client-organizations';
import { OrganizationSession } from '../../aws/OrganizationSession';
import { MintingConfig } from '../../config/mintingConfig';
import {
  childOus,
  listScps,
  SCP_TYPE,
  tagsOf,
  targetsOf,
} from '../../estate/observe';
import {
  DesiredScp,
  environmentTargets,
  ouPathOf,
  regionOuEnvironments,
} from './desiredPolicies';

/** Where an SCP is attached: the target's id, and its OU path when it is one the engine knows. */
export interface ScpAttachment {
  id: string;
  path: string;
}

/** An SCP of the organization that has a declared name. */
export interface ObservedScp {
  id: string;
  name: string;
  description: string;
  content: string;
  tags: Record<string, string>;
  attachments: ScpAttachment[];
}

/** What the policies step sees of one payer's organization. */
export interface PolicyObservation {
  rootId: string;
  scpEnabled: boolean;
  /** The OUs declared targets name, by path; those not made yet (in a dry run) have no id. */
  ous: Record<string, string | undefined>;
  /** The region OU paths of each environment whose region OUs are targeted. */
  regionOus: Record<string, string[]>;
  /** The organization's SCPs by declared name. */
  policies: Record<string, ObservedScp>;
}

async function readRoot(session: OrganizationSession): Promise<Root> {
  const roots = await session.listAll<Root, ListRootsCommandOutput>(
    NextToken => new ListRootsCommand({ NextToken }),
    o => o.Roots,
  );
  if (!roots[0]?.Id) throw new Error('the payer organization has no root');
  return roots[0];
}

/** An SCP with its content, tags and attachments, their OU paths named from `pathOf`. */
export async function observeScp(
  session: OrganizationSession,
  summary: PolicySummary,
  pathOf: (target: PolicyTargetSummary) => string,
): Promise<ObservedScp> {
  const id = summary.Id!;
  const [described, tags, targets] = await Promise.all([
    session.send<DescribePolicyCommandOutput>(
      new DescribePolicyCommand({ PolicyId: id }),
    ),
    tagsOf(session, id),
    targetsOf(session, id),
  ]);
  return {
    id,
    name: summary.Name ?? '',
    description: described.Policy?.PolicySummary?.Description ?? '',
    content: described.Policy?.Content ?? '',
    tags,
    attachments: targets.map(t => ({ id: t.TargetId!, path: pathOf(t) })),
  };
}

/** Names a target that is none of the OUs the engine knows, as a person would look for it. */
function foreignPath(target: PolicyTargetSummary): string {
  return `${(target.Type ?? 'target').toLowerCase().replace(/_/g, ' ')} ${
    target.Name ?? ''
  } (${target.TargetId})`;
}

/**
 * Observes what the declared SCPs of a payer concern: whether SCPs are enabled, the
 * OUs they target (the platform OU, environment OUs, the region OUs of environments),
 * and each SCP of a declared name with its content, tags and attachments.
 * @param expected OU paths that an earlier step of the same run makes (a dry run's
 *   region OU path): taken as targets to come, without ids, when not there yet.
 */
export async function observePolicies(
  session: OrganizationSession,
  config: MintingConfig,
  declared: DesiredScp[],
  expected: { environment: string; ouPath: string[] }[] = [],
): Promise<PolicyObservation> {
  const root = await readRoot(session);
  const scpEnabled = (root.PolicyTypes ?? []).some(
    t => t.Type === SCP_TYPE && t.Status === 'ENABLED',
  );
  const ous: PolicyObservation['ous'] = {};
  const regionOus: PolicyObservation['regionOus'] = {};
  const regionOuTargets = regionOuEnvironments(declared);
  const wantedEnvironments = new Set([
    ...environmentTargets(declared),
    ...regionOuTargets,
  ]);
  const platform = (await childOus(session, root.Id!)).find(
    ou => ou.Name === config.platformOu,
  );
  ous[ouPathOf(config)] = platform?.Id;
  const environmentOus = platform?.Id
    ? await childOus(session, platform.Id)
    : [];
  for (const environment of wantedEnvironments) {
    const ou = environmentOus.find(o => o.Name === environment);
    ous[ouPathOf(config, environment)] = ou?.Id;
    if (!regionOuTargets.has(environment)) continue;
    const regions = ou?.Id ? await childOus(session, ou.Id) : [];
    regionOus[environment] = regions.map(region => {
      const path = `${ouPathOf(config, environment)}/${region.Name}`;
      ous[path] = region.Id;
      return path;
    });
  }
  // What the run's region OU step makes, seen as it will be once made.
  for (const { environment, ouPath } of expected) {
    ouPath.forEach((_, i) => {
      const path = ['Root', ...ouPath.slice(0, i + 1)].join('/');
      if (!(path in ous)) ous[path] = undefined;
    });
    const regionPath = ['Root', ...ouPath].join('/');
    if (regionOus[environment] && !regionOus[environment].includes(regionPath))
      regionOus[environment].push(regionPath);
  }
  const pathById = new Map(
    Object.entries(ous).flatMap(([path, id]) => (id ? [[id, path]] : [])),
  );
  pathById.set(root.Id!, 'Root');
  const names = new Set(declared.map(p => p.name));
  const policies: PolicyObservation['policies'] = {};
  for (const summary of await listScps(session)) {
    if (!summary.Name || !names.has(summary.Name)) continue;
    policies[summary.Name] = await observeScp(
      session,
      summary,
      t => pathById.get(t.TargetId!) ?? foreignPath(t),
    );
  }
  return { rootId: root.Id!, scpEnabled, ous, regionOus, policies };
}
