/** An account as the payer's organization reports it. */
export interface ObservedAccount {
  id: string;
  name: string;
  email: string;
  status: string;
  /** The root or OU it sits in. */
  parentId: string;
  tags: Record<string, string>;
}

/** An OU level of a region's path: its id where it exists. */
export interface ObservedOu {
  name: string;
  id?: string;
}

/** What observing a region in its payer found. */
export interface ObservedRegion {
  rootId: string;
  /** The region's OU path from below the root; levels past the first missing one have no id. */
  ouPath: ObservedOu[];
  /** Desired accounts that exist, by account name. */
  accounts: Record<string, ObservedAccount>;
  /** Creations still in progress, by account name: the request ids to wait for. */
  inFlight: Record<string, string>;
}
