import { IncomingMessage, ServerResponse } from 'node:http';
import { faultSchema } from './faults';
import { addHandMadeAccount } from './handMadeAccounts';
import { Sandbox } from './Sandbox';
import {
  isAwsManaged,
  organizationPolicies,
  policyTargetIds,
} from './services/organizations/policyStore';

function reply(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The estate as JSON, without secrets or object bodies. */
function publicState(sandbox: Sandbox) {
  const data = sandbox.state.toData();
  return {
    organizations: data.organizations,
    containers: data.containers,
    accounts: data.accounts,
    createAccountRequests: data.createAccountRequests,
    // Every organization's policies, FullAWSAccess included, with what they are attached to.
    policies: data.organizations.flatMap(o =>
      organizationPolicies(o).map(p => ({
        organizationId: o.id,
        ...p,
        awsManaged: isAwsManaged(p),
        targetIds: policyTargetIds(o, p.id),
      })),
    ),
    credentials: data.credentials.map(c => ({
      accessKeyId: c.accessKeyId,
      expiresAt: c.expiresAt,
      principal: c.principal,
    })),
    buckets: data.buckets.map(({ objects, ...bucket }) => ({
      ...bucket,
      objects: Object.entries(objects).map(([key, o]) => ({
        key,
        size: Buffer.from(o.body, 'base64').length,
        etag: o.etag,
        lastModified: o.lastModified,
        versionId: o.versionId,
      })),
    })),
  };
}

/**
 * The admin API under /_sandbox/: health, reset, state, hand-made accounts, the call log and
 * the fault plan.
 * It is for tests and demos on this machine, so it asks for no credentials.
 */
export function handleAdminRequest(
  sandbox: Sandbox,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): void {
  const route = `${req.method} ${url.pathname
    .replace(/^\/_sandbox\//, '')
    .replace(/\/$/, '')}`;
  switch (route) {
    case 'GET health':
      return reply(res, 200, {
        status: 'ok',
        profile: sandbox.profile.name,
        timeScale: sandbox.profile.timeScale,
        organizations: sandbox.state.organizations.size,
        accounts: sandbox.state.accounts.size,
      });
    case 'POST reset':
      sandbox.reset();
      return reply(res, 200, { status: 'reset' });
    case 'GET state':
      sandbox.settle();
      return reply(res, 200, publicState(sandbox));
    case 'POST accounts': {
      const { status, body: answer } = addHandMadeAccount(sandbox, body);
      return reply(res, status, answer);
    }
    case 'GET calls': {
      const filters = Object.fromEntries(url.searchParams);
      const calls = sandbox.calls
        .list()
        .filter(
          c =>
            (!filters.service || c.service === filters.service) &&
            (!filters.operation || c.operation === filters.operation) &&
            (!filters.account || c.account === filters.account) &&
            (!filters.mutating || String(c.mutating) === filters.mutating),
        );
      return reply(res, 200, { calls });
    }
    case 'DELETE calls':
      sandbox.calls.clear();
      return reply(res, 200, { status: 'cleared' });
    case 'GET faults':
      return reply(res, 200, { faults: sandbox.faults.list() });
    case 'DELETE faults':
      sandbox.faults.clear();
      return reply(res, 200, { status: 'cleared' });
    case 'POST faults': {
      let data: unknown;
      try {
        data = JSON.parse(body.toString('utf8'));
      } catch {
        return reply(res, 400, { error: 'the body must be a JSON fault' });
      }
      const faults = Array.isArray(data) ? data : [data];
      const parsed = faults.map(f => faultSchema.safeParse(f));
      const invalid = parsed.findIndex(p => !p.success);
      if (invalid >= 0) {
        const error = parsed[invalid].error!;
        return reply(res, 400, {
          error: error.issues
            .map(
              i =>
                `faults[${invalid}].${i.path.join('.') || 'fault'}: ${
                  i.message
                }`,
            )
            .join('; '),
        });
      }
      parsed.forEach(p => sandbox.faults.add(p.data!));
      return reply(res, 201, { faults: sandbox.faults.list() });
    }
    default:
      return reply(res, 404, {
        error: `no admin route ${route}; see GET health, POST reset, GET state, POST accounts, GET|DELETE calls, GET|POST|DELETE faults`,
      });
  }
}
