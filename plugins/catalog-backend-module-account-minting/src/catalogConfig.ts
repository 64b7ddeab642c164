import { Config } from '@backstage/config';
import { DEFAULT_CATALOG_OWNER, ownerOf } from './estateEntities';

/** How the catalog's estate provider runs, from `accountMinting.catalog`. */
export interface EstateCatalogConfig {
  /** The owner of the entities of regions with no owner, not requested by a user or group. */
  owner: string;
  /** How often the catalog reads the estate again, besides after each run. */
  refreshMinutes: number;
}

/**
 * Reads `accountMinting.catalog` from the root configuration: the catalog may run on
 * a backend of its own, without the rest of the accountMinting section.
 * @throws Error naming the key that breaks a rule, and the rule.
 */
export function readEstateCatalogConfig(config: Config): EstateCatalogConfig {
  const section = config.getOptionalConfig('accountMinting.catalog');
  const configuredOwner = section?.getOptionalString('owner');
  let owner = DEFAULT_CATALOG_OWNER;
  if (configuredOwner !== undefined) {
    const normalized = ownerOf(configuredOwner);
    if (!normalized) {
      throw new Error(
        `accountMinting.catalog.owner: ${configuredOwner} is not a user or group entity ref such as ${DEFAULT_CATALOG_OWNER}`,
      );
    }
    owner = normalized;
  }
  const refreshMinutes = section?.getOptionalNumber('refreshMinutes') ?? 10;
  if (!(refreshMinutes > 0) || refreshMinutes > 24 * 60) {
    throw new Error(
      `accountMinting.catalog.refreshMinutes: ${refreshMinutes} must be more than 0 and at most 1440`,
    );
  }
  return { owner, refreshMinutes };
}
