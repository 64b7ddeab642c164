import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { Provisioner } from './provisioner';

const PROVISIONER_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** The provisioners that backend modules contributed, by name. */
export class ProvisionerRegistry {
  private readonly byName = new Map<string, Provisioner>();

  /**
   * Adds provisioners.
   * @throws InputError for a malformed name, ConflictError for a name taken already.
   */
  add(...provisioners: Provisioner[]): void {
    const names = new Set(this.byName.keys());
    // Checks every provisioner before adding any, so that a bad call changes nothing.
    for (const provisioner of provisioners) {
      if (!PROVISIONER_NAME.test(provisioner.name)) {
        throw new InputError(
          `provisioner name: ${JSON.stringify(
            provisioner.name,
          )} must start with a letter and hold only lower-case letters, digits and hyphens (at most 63)`,
        );
      }
      if (names.has(provisioner.name)) {
        throw new ConflictError(
          `provisioner name: ${provisioner.name} is registered twice`,
        );
      }
      names.add(provisioner.name);
    }
    for (const provisioner of provisioners) {
      this.byName.set(provisioner.name, provisioner);
    }
  }

  /** @throws NotFoundError naming the provisioners there are. */
  get(name: string): Provisioner {
    const provisioner = this.byName.get(name);
    if (!provisioner) {
      throw new NotFoundError(
        `provisioner ${JSON.stringify(name)} is not registered; registered: ${
          this.names().join(', ') || 'none'
        }`,
      );
    }
    return provisioner;
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}
