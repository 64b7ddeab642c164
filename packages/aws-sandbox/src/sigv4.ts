import { IncomingMessage } from 'node:http';
/** What an AWS Signature Version 4 `Authorization` header says of its caller. */
export interface SignatureScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\/(\d{8})\/([^/\s]+)\/([^/\s]+)\/aws4_request\b/;

/** Reads the credential scope of a SigV4 `Authorization` header; undefined when it has none. */
export function parseAuthorization(
  header: string | undefined,
): SignatureScope | undefined {
  const match = header ? AUTHORIZATION.exec(header) : null;
  if (!match) {
    return undefined;
  }
  const [, accessKeyId, date, region, service] = match;
  return { accessKeyId, date, region, service };
}

/** The access key and session token a signed request carries, with its credential scope. */
export function requestCredentials(req: IncomingMessage) {
  const scope = parseAuthorization(req.headers.authorization);
  const token = req.headers['x-amz-security-token'];
  return {
    scope,
    credentials: {
      accessKeyId: scope?.accessKeyId,
      sessionToken: Array.isArray(token) ? token[0] : token,
    },
  };
}
