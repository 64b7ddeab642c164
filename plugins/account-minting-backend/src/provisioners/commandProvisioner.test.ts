import {
  ProvisionContext,
  hasDestroy,
} from '@regional-minting/plugin-account-minting-node';
import { JsonObject } from '@backstage/types';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandProvisioner } from './commandProvisioner';

// Each call starts a node process: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(60_000);

// A step that records what it was asked to do and with which environment, and on apply writes
// one output; destroying removes its record, and succeeds when there is none.
const STEP_SCRIPT = `
const fs = require('node:fs');
const path = require('node:path');
const record = path.join(process.cwd(), 'made.json');
const context = JSON.parse(process.env.ACCOUNT_MINTING_CONTEXT);
fs.appendFileSync(path.join(process.cwd(), 'calls.log'), JSON.stringify({
  action: process.env.ACCOUNT_MINTING_ACTION,
  args: process.argv.slice(2),
  accessKeyId: process.env.AWS_ACCESS_KEY_ID,
  stage: process.env.STAGE,
  outputs: process.env.ACCOUNT_MINTING_OUTPUTS ?? null,
  previousOutputs: context.previousOutputs,
}) + '\\n');
if (process.env.ACCOUNT_MINTING_ACTION === 'destroy') {
  console.log(fs.existsSync(record) ? 'destroyed the bucket' : 'nothing to destroy');
  fs.rmSync(record, { force: true });
} else {
  fs.writeFileSync(record, '{}');
  fs.writeFileSync(process.env.ACCOUNT_MINTING_OUTPUTS, JSON.stringify({ bucket: 'made' }));
}
`;

describe('the command provisioner', () => {
  let work: string;
  let lines: string[];

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'command-test-'));
    writeFileSync(join(work, 'step.js'), STEP_SCRIPT);
    lines = [];
  });

  const step = {
    command: process.execPath,
    args: ['step.js', 'up'],
    env: { STAGE: 'dev' },
  };
  const context = (options: JsonObject): ProvisionContext => ({
    target: {
      region: 'us-east-2',
      regionOu: 'dev-kirk-us-east-2',
      environment: 'dev',
      payer: 'staging-2',
    },
    stepName: 'bucket',
    options: { cwd: work, ...options },
    credentials: { accessKeyId: 'ASIATEST', secretAccessKey: 'secret' },
    aws: { region: 'us-east-2' },
    state: {
      bucket: 'tfstate',
      key: 'accounts/123456789012/bucket.tfstate',
      region: 'us-east-1',
    },
    previousOutputs: { network: { vpcId: 'vpc-1' } },
    signal: new AbortController().signal,
    log: line => lines.push(line),
  });
  const calls = () =>
    readFileSync(join(work, 'calls.log'), 'utf8')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));

  it('applies with ACCOUNT_MINTING_ACTION=apply and returns the outputs the command wrote', async () => {
    const outputs = await commandProvisioner.provision(context(step));
    expect(outputs).toEqual({ bucket: 'made' });
    expect(calls()).toEqual([
      expect.objectContaining({
        action: 'apply',
        args: ['up'],
        accessKeyId: 'ASIATEST',
        stage: 'dev',
      }),
    ]);
  });

  it('destroys with the destroy command, in the apply environment, and again when nothing is left', async () => {
    const options = {
      ...step,
      destroy: { command: process.execPath, args: ['step.js', 'down'] },
    };
    await commandProvisioner.provision(context(options));
    expect(hasDestroy(commandProvisioner, context(options))).toBe(true);

    await commandProvisioner.destroy!(context(options));
    await commandProvisioner.destroy!(context(options));

    expect(calls().slice(1)).toEqual([
      {
        action: 'destroy',
        args: ['down'],
        accessKeyId: 'ASIATEST',
        stage: 'dev',
        outputs: null,
        previousOutputs: { network: { vpcId: 'vpc-1' } },
      },
      expect.objectContaining({ action: 'destroy' }),
    ]);
    expect(lines).toEqual(['destroyed the bucket', 'nothing to destroy']);
  });

  it('leaves a step without a destroy command in place, and says so when asked to destroy it', async () => {
    expect(hasDestroy(commandProvisioner, context(step))).toBe(false);
    await expect(
      commandProvisioner.destroy!(context(step)),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'options.destroy: this step has no destroy command; it is left in place',
    });
  });

  it('refuses a malformed destroy command, naming its field, already when provisioning', async () => {
    await expect(
      commandProvisioner.provision(context({ ...step, destroy: { args: [] } })),
    ).rejects.toThrow(
      'options.destroy.command: the program to run is required',
    );
    await expect(
      commandProvisioner.destroy!(
        context({ ...step, destroy: { command: 'rm', env: { N: 1 } } }),
      ),
    ).rejects.toThrow('options.destroy.env: must map names to strings');
    await expect(
      commandProvisioner.provision(context({ ...step, destroy: 'rm -rf' })),
    ).rejects.toThrow(
      'options.destroy: must be an object with the command that destroys the step',
    );
  });
});
