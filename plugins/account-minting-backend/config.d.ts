// Generated from src/config/mintingConfig.ts by `yarn generate:config`: edit the schema there.
import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Regional Account Minting: the estate to mint, and how to reach AWS. */
  accountMinting?: {
    aws?: {
      /**
       * An endpoint that every AWS client uses instead of AWS, such as the sandbox's
       * http://127.0.0.1:4566.
       */
      endpoint?: string;
      /** The region of the STS, Organizations, IAM and S3 clients. Default us-east-1. */
      region?: string;
    };
    /**
     * The OU below each payer's root that holds the environments. Default rosa-regional-platform.
     */
    platformOu?: string;
    /**
     * The root email of each account; {account} is the account name. Plus-addressing keeps them
     * unique.
     */
    accountEmail: string;
    /** Tags added to every account, besides the ones that say what it is. */
    tags?: { [key: string]: string };
    /** The payer accounts, each managing an AWS organization. */
    payers: Array<{
      /** A short name, such as control or staging-1. */
      name: string;
      /** The payer's 12-digit account id. */
      accountId: string;
      /** The role in the payer that the mint pipeline assumes. */
      mintRoleArn: string;
      /** The role in the payer that the bootstrap pipeline chains through. */
      bootstrapRoleArn?: string;
      /**
       * The ExternalId the payer's roles require, if any.
       * @visibility secret
       */
      externalId?: string;
      /**
       * How many accounts the organization may hold, closed ones included (the Organizations quota
       * "Default maximum number of accounts"). Used only when Service Quotas does not give it: the
       * minting role may not call it, or it has no such quota.
       */
      accountQuota?: number;
    }>;
    /** The environments, each served by one payer. */
    environments: Array<{
      /** Such as prod, int, stage or dev. */
      name: string;
      /** The name of the payer that serves it. */
      payer: string;
      /**
       * The region OU name pattern, from {environment}, {region} and {owner}. Default
       * {environment}-{region}.
       */
      regionOu?: string;
      /** The AWS regions this environment may use. */
      regions: string[];
      /**
       * What scheduled drift checks do with what they find: report (findings only, for people to
       * repair) or repair (the engine runs the pipeline that puts it right). Default report for
       * environments whose name starts with prod, repair for the others (defaultDriftPolicy).
       */
      drift?: 'report' | 'repair';
      /**
       * Changes that would mutate AWS in this environment (region requests, pipeline runs, repairs,
       * retries) wait for approval; none means no approval. Drift checks never need it.
       */
      approval?: {
        /** How many distinct people of the group must approve; never the requester. */
        approvers: number;
        /**
         * The catalog group whose members may approve, such as group:default/platform-approvers.
         */
        group: string;
        /** How long a change waits for its approvals before it expires. Default 72 hours. */
        expiresAfter?: {
          days?: number;
          hours?: number;
          minutes?: number;
        };
        /** Whether a change must say why it is asked for. Default true. */
        reasonRequired?: boolean;
      };
    }>;
    /** Scheduled drift checks: every layer of every region, compared with AWS. */
    drift?: {
      /**
       * When each pipeline's drift check runs, in Backstage's schedule format. Defaults: mint every
       * 15 minutes, bootstrap hourly, provision daily.
       */
      schedules?: {
        mint?: SchedulerServiceTaskScheduleDefinitionConfig;
        bootstrap?: SchedulerServiceTaskScheduleDefinitionConfig;
        provision?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
      /**
       * A group entity ref told of new findings and failed runs, besides each region's requester.
       */
      notifyGroup?: string;
      /** Accounts a bootstrap or provision check looks into at once in each payer. Default 8. */
      accountConcurrency?: number;
    };
    /** The account roles of a region, each with how many accounts it has. */
    accountRoles: Array<{
      /** Such as regional-cluster or management-cluster. */
      name: string;
      /** The account name suffix, such as rc or mc. */
      suffix: string;
      /** Accounts of this role in a region, unless a request asks for another count. */
      count: number;
      /**
       * The fewest accounts of this role a region may have, such as 1 for a role no region goes
       * without. Default 0.
       */
      minCount?: number;
      /** The most accounts of this role a request may ask for. Default 10. */
      maxCount?: number;
      /** Tags added to the accounts of this role. */
      tags?: { [key: string]: string };
      /** Pipeline 3: the steps that provision an account of this role, in order. */
      provision?: Array<{
        /** Unique among its steps, such as terraform or argocd. */
        name: string;
        /** The provisioner that runs it: command, terraform, or one a backend module adds. */
        provisioner: string;
        /** Passed to the provisioner. */
        options?: { [key: string]: unknown };
        /** Default 3600. */
        timeoutSeconds?: number;
      }>;
    }>;
    /** Steps that run once every account of a region is provisioned, and see all their outputs. */
    regionSteps?: Array<{
      /** Unique among its steps, such as terraform or argocd. */
      name: string;
      /** The provisioner that runs it: command, terraform, or one a backend module adds. */
      provisioner: string;
      /** Passed to the provisioner. */
      options?: { [key: string]: unknown };
      /** Default 3600. */
      timeoutSeconds?: number;
    }>;
    /** Where provisioning keeps its state, and how much of it runs at once. */
    provision?: {
      /** The central account's bucket; each account and step has its own key. */
      stateBucket: string;
      /** Default: accountMinting.aws.region. */
      stateRegion?: string;
      /** Provisioning steps this backend runs at once. Default 10. */
      maxConcurrentSteps?: number;
    };
    /**
     * Pipeline 2: the provisioning role each account gets, made through the payer's bootstrap role.
     */
    bootstrap?: {
      /**
       * The role CreateAccount made in each account, reached from the payer. Default
       * OrganizationAccountAccessRole.
       */
      accessRoleName?: string;
      /** How long to wait for a new account to accept the role chain, in seconds. Default 900. */
      readinessTimeoutSeconds?: number;
      /** The provisioning (Terraform) role that pipeline 3 assumes. */
      provisioningRole: {
        /** Default account-minting-provisioner. */
        name?: string;
        /** Default /. */
        path?: string;
        /** The only principal the role trusts: the central pipeline's role (or user) ARN. */
        trustedPrincipalArn: string;
        /**
         * An sts:ExternalId the trusted principal must pass.
         * @visibility secret
         */
        externalId?: string;
        /**
         * aws:PrincipalOrgPaths patterns the principal must match, such as
         * o-abc/r-ab12/ou-ab12-xxxx/*.
         */
        principalOrgPaths?: string[];
        /** The permissions boundary policy ARN. */
        permissionsBoundaryArn?: string;
        /** Managed policies attached to the role. */
        managedPolicyArns?: string[];
        /** Inline policies by name: IAM policy documents. */
        inlinePolicies?: { [key: string]: { [key: string]: unknown } };
        /** Default 3600. */
        maxSessionDuration?: number;
      };
    };
    /** How this backend runs steps. */
    engine?: {
      /** Steps this backend runs at once. Default 20. */
      concurrency?: number;
      /**
       * How long a step's claim lasts without a heartbeat before another backend takes it over.
       * Default 30.
       */
      leaseSeconds?: number;
      /** How often an idle backend looks for work, in milliseconds. Default 1000. */
      pollIntervalMs?: number;
      /** Organizations calls in flight per payer from this backend. Default 8. */
      callsPerPayer?: number;
      /**
       * Organizations calls that may start each second in each payer: calls are paced under the
       * organization's request rate rather than throttled and retried. Default 8.
       */
      callsPerSecond?: number;
      /**
       * Waits between looks at an account creation, in milliseconds: the first, growing to the
       * last.
       */
      creationPollMs?: {
        /** Default 2000. */
        min?: number;
        /** Default 30000. */
        max?: number;
      };
      /** Retries of throttled or contended calls, and their backoff in milliseconds. */
      retries?: {
        /** Default 8. */
        attempts?: number;
        /** Default 200. */
        baseDelayMs?: number;
        /** Default 20000. */
        maxDelayMs?: number;
      };
      /**
       * How old a read of an organization's shared copy may be before a run's step reads AWS again.
       * The copy follows the engine's own changes; this bounds how long a change made by anyone
       * else goes unseen. Default 60. Default 60.
       */
      observerMaxAgeSeconds?: number;
      /**
       * How old the estate's observation of AWS may be before GET /estate reads it again behind its
       * answer (and never sooner than ten times that read's length). Default 30.
       */
      estateMaxAgeSeconds?: number;
      /** Attempts of a step that keeps failing with transient errors. Default 10. */
      maxStepAttempts?: number;
    };
    /**
     * Service control policies the mint pipeline keeps attached to the OUs it makes, tagged
     * managed-by: account-minting.
     */
    policies?: Array<{
      /** The SCP name in each payer organization: unique. */
      name: string;
      /** What it is for, as AWS shows it. */
      description?: string;
      /**
       * The SCP's IAM policy document: a JSON object, or the path of a JSON file relative to the
       * backend's working directory. At most 5,120 characters once minified.
       */
      document: unknown;
      /**
       * Where it is attached: platform (each payer's platform OU), { environment: <name> } (its
       * environment OU) or { regionOusOf: <environment> } (each region OU of the environment).
       */
      targets: unknown[];
    }>;
    /**
     * How regions and accounts are decommissioned: where closed accounts go, and the close quota.
     */
    decommission?: {
      /**
       * The OU below each payer's root where decommissioned accounts wait, SUSPENDED, until AWS
       * removes them; created when missing. Default Suspended. Default Suspended.
       */
      closedOu?: string;
      /**
       * The rolling window of AWS's close quota, in days: 30 in AWS; a sandbox with scaled time
       * sets its own. Default 30.
       */
      closeWindowDays?: number;
      /**
       * Accounts each organization may close per window, where it differs from AWS's 10% of member
       * accounts (at least 10, at most 1000).
       */
      closeQuota?: number;
    };
    /** Regions declared in configuration, reviewed in git. */
    regions?: Array<{
      environment: string;
      region: string;
      owner?: string;
      /** Accounts per account role, where they differ from the role counts. */
      accountRoles?: { [key: string]: number };
    }>;
  };
}
