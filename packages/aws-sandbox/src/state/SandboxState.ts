import { ids } from '../ids';
import {
  AccountRecord,
  BucketRecord,
  ContainerRecord,
  CreateAccountRequestRecord,
  CredentialRecord,
  OrganizationRecord,
  SandboxData,
} from './model';

/**
 * The sandbox's estate: accounts, organizations and their OUs, IAM in each account,
 * credentials and buckets, indexed for the lookups the services make.
 * Asynchronous work (account creation, closure) is settled lazily from the clock.
 */
export class SandboxState {
  readonly accounts = new Map<string, AccountRecord>();
  readonly organizations = new Map<string, OrganizationRecord>();
  readonly containers = new Map<string, ContainerRecord>();
  readonly createAccountRequests = new Map<
    string,
    CreateAccountRequestRecord
  >();
  readonly credentials = new Map<string, CredentialRecord>();
  readonly buckets = new Map<string, BucketRecord>();
  /** Children of each root or OU, in the order they arrived. */
  private readonly children = new Map<string, Set<string>>();
  private readonly accountsByEmail = new Map<string, string>();
  private readonly inFlight = new Set<string>();
  private readonly closing = new Set<string>();
  /** SUSPENDED accounts still in their organization, until their retention ends. */
  private readonly suspended = new Set<string>();

  static fromData(data: SandboxData): SandboxState {
    const state = new SandboxState();
    data.organizations.forEach(o => state.organizations.set(o.id, o));
    data.containers.forEach(c => state.addContainer(c));
    data.accounts.forEach(a => state.addAccount(a));
    data.createAccountRequests.forEach(r => {
      state.createAccountRequests.set(r.id, r);
      if (r.state === 'IN_PROGRESS') state.inFlight.add(r.id);
    });
    data.credentials.forEach(c => state.credentials.set(c.accessKeyId, c));
    data.buckets.forEach(b => state.buckets.set(b.name, b));
    return state;
  }

  toData(): SandboxData {
    return {
      accounts: [...this.accounts.values()],
      organizations: [...this.organizations.values()],
      containers: [...this.containers.values()],
      createAccountRequests: [...this.createAccountRequests.values()],
      credentials: [...this.credentials.values()],
      buckets: [...this.buckets.values()],
    };
  }

  addAccount(account: AccountRecord): void {
    this.accounts.set(account.id, account);
    if (account.status === 'PENDING_CLOSURE') this.closing.add(account.id);
    if (account.status === 'SUSPENDED' && account.organizationId)
      this.suspended.add(account.id);
    this.accountsByEmail.set(account.email.toLowerCase(), account.id);
    if (account.parentId) this.childrenOf(account.parentId).add(account.id);
  }

  addContainer(container: ContainerRecord): void {
    this.containers.set(container.id, container);
    if (container.parentId)
      this.childrenOf(container.parentId).add(container.id);
  }

  removeContainer(id: string): void {
    const container = this.containers.get(id);
    if (!container) return;
    if (container.parentId) this.children.get(container.parentId)?.delete(id);
    this.containers.delete(id);
    this.children.delete(id);
  }

  moveAccount(account: AccountRecord, destinationId: string): void {
    if (account.parentId)
      this.children.get(account.parentId)?.delete(account.id);
    account.parentId = destinationId;
    this.childrenOf(destinationId).add(account.id);
  }

  /** The ids of a root's or OU's children, accounts and OUs mixed, in arrival order. */
  childIds(parentId: string): string[] {
    return [...(this.children.get(parentId) ?? [])];
  }

  accountByEmail(email: string): AccountRecord | undefined {
    const id = this.accountsByEmail.get(email.toLowerCase());
    return id ? this.accounts.get(id) : undefined;
  }

  /** An account's organization path, such as `o-abc/r-ab12/ou-ab12-11111111/`, as aws:PrincipalOrgPaths sees it. */
  orgPath(accountId: string): string | undefined {
    const account = this.accounts.get(accountId);
    if (!account?.organizationId || !account.parentId) return undefined;
    const chain: string[] = [];
    let current = this.containers.get(account.parentId);
    while (current) {
      chain.unshift(current.id);
      current = current.parentId
        ? this.containers.get(current.parentId)
        : undefined;
    }
    return `${account.organizationId}/${chain.join('/')}/`;
  }

  /** The accounts of an organization, its management account and closed ones included. */
  accountsIn(organizationId: string): AccountRecord[] {
    return [...this.accounts.values()].filter(
      a => a.organizationId === organizationId,
    );
  }

  /** An unused 12-digit account id. */
  newAccountId(): string {
    let id = ids.account();
    while (this.accounts.has(id)) id = ids.account();
    return id;
  }

  addCreateAccountRequest(request: CreateAccountRequestRecord): void {
    this.createAccountRequests.set(request.id, request);
    if (request.state === 'IN_PROGRESS') this.inFlight.add(request.id);
  }

  /** The creations of an organization still IN_PROGRESS at `now`. */
  creationsInProgress(organizationId: string): CreateAccountRequestRecord[] {
    return [...this.inFlight]
      .map(id => this.createAccountRequests.get(id)!)
      .filter(r => r.organizationId === organizationId);
  }

  /**
   * Finishes every creation and closure whose time has come, and removes the SUSPENDED
   * accounts kept longer than `work.closedAccountRetentionMs`. Returns whether anything changed.
   */
  settle(
    now: number,
    work: {
      finishCreation: (r: CreateAccountRequestRecord) => void;
      closedAccountRetentionMs: number;
      removeClosedAccount: (account: AccountRecord) => void;
    },
  ): boolean {
    let changed = false;
    for (const id of [...this.inFlight]) {
      const request = this.createAccountRequests.get(id)!;
      if (request.completesAt <= now) {
        this.inFlight.delete(id);
        work.finishCreation(request);
        changed = true;
      }
    }
    for (const id of [...this.closing]) {
      const account = this.accounts.get(id)!;
      if ((account.closesAt ?? 0) <= now) {
        this.closing.delete(id);
        account.status = 'SUSPENDED';
        if (account.organizationId) this.suspended.add(id);
        changed = true;
      }
    }
    for (const id of [...this.suspended]) {
      const account = this.accounts.get(id)!;
      if ((account.closesAt ?? 0) + work.closedAccountRetentionMs <= now) {
        this.suspended.delete(id);
        work.removeClosedAccount(account);
        changed = true;
      }
    }
    return changed;
  }

  /** Starts closing an account: PENDING_CLOSURE until `closesAt`, then SUSPENDED. */
  startClosure(account: AccountRecord, closesAt: number): void {
    account.status = 'PENDING_CLOSURE';
    account.closesAt = closesAt;
    this.closing.add(account.id);
  }

  /** The accounts of an organization that are PENDING_CLOSURE. */
  accountsClosing(organizationId: string): AccountRecord[] {
    return [...this.closing]
      .map(id => this.accounts.get(id)!)
      .filter(a => a.organizationId === organizationId);
  }

  /** Takes an account out of its organization, as AWS does with closed accounts after 90 days. */
  leaveOrganization(account: AccountRecord): void {
    if (account.parentId)
      this.children.get(account.parentId)?.delete(account.id);
    account.organizationId = undefined;
    account.parentId = undefined;
    this.suspended.delete(account.id);
  }

  private childrenOf(parentId: string): Set<string> {
    let set = this.children.get(parentId);
    if (!set) {
      set = new Set();
      this.children.set(parentId, set);
    }
    return set;
  }
}
