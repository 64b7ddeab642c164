import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

jest.setTimeout(60_000);

describe('the code generated from openapi.yaml', () => {
  it('is what the spec generates now (else run yarn generate:api)', async () => {
    // Rejects with the stale files named when the check exits non-zero.
    await expect(
      promisify(execFile)(process.execPath, [
        resolve(__dirname, '../../scripts/generateApi.mjs'),
        '--check',
      ]),
    ).resolves.toBeDefined();
  });
});
