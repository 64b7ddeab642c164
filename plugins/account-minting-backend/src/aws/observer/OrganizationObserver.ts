import {
  Account,
  CloseAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationalUnitCommandOutput,
  MoveAccountCommand,
  OrganizationalUnit,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-organizations';
import { CreationTracker } from './CreationTracker';
import { ObservedCopy } from './ObservedCopy';

/** The keys of the reads the copy keeps, built here only. */
export const readKeys = {
  root: () => 'root',
  ous: (parentId: string) => `ous:${parentId}`,
  accounts: () => 'accounts',
  parent: (accountId: string) => `parent:${accountId}`,
  account: (accountId: string) => `account:${accountId}`,
  tags: (resourceId: string) => `tags:${resourceId}`,
  creations: (states: string[]) => `creations:${[...states].sort().join(',')}`,
  createOu: (parentId: string, name: string) => `create-ou:${parentId}/${name}`,
};

type Tags = Record<string, string>;

/**
 * One payer organization as this backend's runs see it: one copy of its tree (root,
 * OUs, accounts, parents, tags) shared by every run and step, which the engine's own
 * changes keep up to date as they succeed, and one follower of its account creations.
 * Reads older than the copy's age, and reads after a change whose outcome is unknown,
 * go to AWS again. Correctness never rests on the copy: a create that meets a
 * duplicate looks the thing up, as it always did.
 */
export class OrganizationObserver {
  readonly copy: ObservedCopy;
  /** The organization's root, which never changes, once read. */
  rootId?: string;

  constructor(
    readonly payer: string,
    options: { maxAgeMs: number; creations: CreationTracker },
  ) {
    this.copy = new ObservedCopy(options.maxAgeMs);
    this.creations = options.creations;
  }

  /** The creations in flight in the organization, followed together. */
  readonly creations: CreationTracker;

  /** Writes what a call that succeeded changed. */
  applied(command: object, output: unknown): void {
    const { copy } = this;
    if (command instanceof CreateOrganizationalUnitCommand) {
      const ou = (output as CreateOrganizationalUnitCommandOutput)
        .OrganizationalUnit;
      const parentId = command.input.ParentId!;
      if (ou)
        copy.update<OrganizationalUnit[]>(readKeys.ous(parentId), ous => [
          ...ous.filter(o => o.Id !== ou.Id),
          ou,
        ]);
    } else if (command instanceof MoveAccountCommand) {
      copy.write(
        readKeys.parent(command.input.AccountId!),
        command.input.DestinationParentId!,
      );
    } else if (command instanceof TagResourceCommand) {
      const set = Object.fromEntries(
        (command.input.Tags ?? []).map(t => [t.Key!, t.Value ?? '']),
      );
      copy.update<Tags>(readKeys.tags(command.input.ResourceId!), tags => ({
        ...tags,
        ...set,
      }));
    } else if (command instanceof UntagResourceCommand) {
      const removed = new Set(command.input.TagKeys ?? []);
      copy.update<Tags>(readKeys.tags(command.input.ResourceId!), tags =>
        Object.fromEntries(
          Object.entries(tags).filter(([key]) => !removed.has(key)),
        ),
      );
    } else if (command instanceof CloseAccountCommand) {
      this.updateAccount(command.input.AccountId!, {
        Status: 'PENDING_CLOSURE',
      });
    }
  }

  /**
   * Forgets what a call that failed may have changed. A refusal that says the thing
   * exists already (another run or replica made it) drops just that read; any other
   * failure (a lost answer, a refusal that says the copy was wrong) drops everything.
   */
  failed(command: object, error: unknown): void {
    const { copy } = this;
    const name = (error as Error)?.name;
    if (
      command instanceof CreateOrganizationalUnitCommand &&
      name === 'DuplicateOrganizationalUnitException'
    ) {
      copy.drop(readKeys.ous(command.input.ParentId!));
    } else if (
      command instanceof MoveAccountCommand &&
      name === 'DuplicateAccountException'
    ) {
      copy.drop(readKeys.parent(command.input.AccountId!));
    } else {
      copy.clear();
    }
  }

  /**
   * An account this backend saw created: in the root, with the tags it was created
   * with, so that nothing needs reading back.
   */
  accountCreated(account: Account, tags: Tags): void {
    const { copy } = this;
    copy.update<Account[]>(readKeys.accounts(), accounts => [
      ...accounts.filter(a => a.Id !== account.Id),
      account,
    ]);
    copy.write(readKeys.account(account.Id!), account);
    const rootId = this.rootId;
    if (rootId) copy.write(readKeys.parent(account.Id!), rootId);
    copy.write(readKeys.tags(account.Id!), tags);
  }

  /** Changes an account the copy holds. */
  updateAccount(accountId: string, change: Partial<Account>): void {
    this.copy.update<Account[]>(readKeys.accounts(), accounts =>
      accounts.map(a => (a.Id === accountId ? { ...a, ...change } : a)),
    );
    this.copy.update<Account>(readKeys.account(accountId), account => ({
      ...account,
      ...change,
    }));
  }
}

/** The observers of this backend, one per payer organization. */
export class OrganizationObservers {
  private readonly observers = new Map<string, OrganizationObserver>();

  constructor(private readonly make: (payer: string) => OrganizationObserver) {}

  of(payer: string): OrganizationObserver {
    let observer = this.observers.get(payer);
    if (!observer) {
      observer = this.make(payer);
      this.observers.set(payer, observer);
    }
    return observer;
  }
}
