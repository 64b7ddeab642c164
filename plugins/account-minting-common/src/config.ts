/** An environment as a form sees it (`GET /config`). */
export interface EnvironmentView {
  name: string;
  payer: string;
  /** The region OU pattern, such as `{environment}-{owner}-{region}`. */
  regionOu: string;
  /** The AWS regions it may use. */
  regions: string[];
  /** Whether region names carry an owner: personal regions. */
  needsOwner: boolean;
}

/** An account role as a form sees it. */
export interface AccountRoleView {
  name: string;
  suffix: string;
  /** Accounts of the role unless a request asks for another count. */
  count: number;
  /** The most accounts of the role a request may ask for. */
  maxCount: number;
}

export interface PayerView {
  name: string;
  accountId: string;
}

/** What `GET /config` answers: everything a new-region form needs. */
export interface MintingConfigView {
  platformOu: string;
  payers: PayerView[];
  environments: EnvironmentView[];
  accountRoles: AccountRoleView[];
}
