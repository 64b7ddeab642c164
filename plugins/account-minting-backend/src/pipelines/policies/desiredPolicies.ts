import {
  environmentOfTarget,
  MintingConfig,
  PolicyTarget,
} from '../../config/mintingConfig';

/** The tag that marks the SCPs the engine manages: the one it gives its accounts. */
export function managedPolicyTag(config: MintingConfig): {
  key: string;
  value: string;
} {
  return {
    key: 'managed-by',
    value: config.tags['managed-by'] ?? 'account-minting',
  };
}

/** A declared SCP as one payer's organization should have it: the targets there, by OU path. */
export interface DesiredScp {
  name: string;
  description: string;
  /** The document, minified as it is sent to AWS. */
  content: string;
  /** Where it is attached in this payer, before region OUs are known. */
  targets: PolicyTarget[];
}

/** The OU path of the platform OU, or of an environment OU, as plans name OUs. */
export function ouPathOf(config: MintingConfig, environment?: string): string {
  return [
    'Root',
    config.platformOu,
    ...(environment ? [environment] : []),
  ].join('/');
}

/**
 * The declared SCPs with their targets in one payer: the platform OU of every payer,
 * and the environment and region OUs of the environments that payer serves.
 */
export function payerPolicies(
  config: MintingConfig,
  payer: string,
): DesiredScp[] {
  const served = new Set(
    config.environments.filter(e => e.payer === payer).map(e => e.name),
  );
  return config.policies.map(policy => ({
    name: policy.name,
    description: policy.description,
    content: policy.content,
    targets: policy.targets.filter(target => {
      const environment = environmentOfTarget(target);
      return environment === undefined || served.has(environment);
    }),
  }));
}

/** The environments whose region OUs some declared SCP targets. */
export function regionOuEnvironments(policies: DesiredScp[]): Set<string> {
  return new Set(
    policies.flatMap(p =>
      p.targets.flatMap(t =>
        t !== 'platform' && 'regionOusOf' in t ? [t.regionOusOf] : [],
      ),
    ),
  );
}

/** The environments whose OU some declared SCP targets. */
export function environmentTargets(policies: DesiredScp[]): Set<string> {
  return new Set(
    policies.flatMap(p =>
      p.targets.flatMap(t =>
        t !== 'platform' && 'environment' in t ? [t.environment] : [],
      ),
    ),
  );
}

/** Two documents say the same when they parse to the same JSON, whatever their spacing or key order. */
export function sameDocument(a: string, b: string): boolean {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .sort(([x], [y]) => x.localeCompare(y))
          .map(([k, v]) => [k, canonical(v)]),
      );
    return value;
  };
  try {
    return (
      JSON.stringify(canonical(JSON.parse(a))) ===
      JSON.stringify(canonical(JSON.parse(b)))
    );
  } catch {
    return a === b;
  }
}
