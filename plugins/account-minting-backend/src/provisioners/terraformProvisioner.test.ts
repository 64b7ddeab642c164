import {
  ProvisionContext,
  hasDestroy,
} from '@regional-minting/plugin-account-minting-node';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { terraformProvisioner } from './terraformProvisioner';

const fake = resolve(__dirname, '__fixtures__/fake-terraform.js');

// Each provision starts several node processes: generous, so that a loaded machine is slow, never failing.
jest.setTimeout(60_000);

describe('the terraform provisioner (against a stand-in for terraform)', () => {
  let work: string;
  let lines: string[];
  let env: { FAKE_TF_LOG: string; FAKE_TF_STATE: string };

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'tf-test-'));
    env = {
      FAKE_TF_LOG: join(work, 'calls.log'),
      FAKE_TF_STATE: join(work, 'state.json'),
    };
    writeFileSync(
      join(work, 'desired.json'),
      JSON.stringify({ cluster_name: { name: 'dev-kirk-us-east-2-rc' } }),
    );
    lines = [];
  });

  const context = (): ProvisionContext => ({
    target: {
      region: 'us-east-2',
      regionOu: 'dev-kirk-us-east-2',
      environment: 'dev',
      payer: 'staging-2',
    },
    stepName: 'terraform',
    options: {
      directory: work,
      binary: fake,
      vars: { environment: 'dev' },
      env,
    },
    credentials: {
      accessKeyId: 'ASIATEST',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    },
    aws: { region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' },
    state: {
      bucket: 'tfstate',
      key: 'accounts/123456789012/terraform.tfstate',
      region: 'us-east-1',
    },
    previousOutputs: {},
    signal: new AbortController().signal,
    log: line => lines.push(line),
  });
  const calls = () =>
    readFileSync(env.FAKE_TF_LOG, 'utf8')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));

  it('inits the S3 backend at the step key, plans, applies that plan and returns the outputs', async () => {
    const outputs = await terraformProvisioner.provision(context());
    expect(outputs).toEqual({ cluster_name: 'dev-kirk-us-east-2-rc' });
    expect(calls().map(c => c.command)).toEqual([
      'init',
      'plan',
      'show',
      'apply',
      'output',
    ]);
    const [init, plan] = calls();
    expect(init.args).toEqual(
      expect.arrayContaining([
        '-backend-config=bucket=tfstate',
        '-backend-config=key=accounts/123456789012/terraform.tfstate',
        '-backend-config=region=us-east-1',
        '-backend-config=use_path_style=true',
      ]),
    );
    expect(plan.args).toEqual(
      expect.arrayContaining(['-detailed-exitcode', '-var', 'environment=dev']),
    );
    expect(init.env).toEqual({
      AWS_ACCESS_KEY_ID: 'ASIATEST',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
    });
    expect(lines).toContain('plan: 1 to create');
  });

  it('applies nothing when the plan has no changes', async () => {
    await terraformProvisioner.provision(context());
    writeFileSync(env.FAKE_TF_LOG, '');
    await terraformProvisioner.provision(context());
    expect(calls().map(c => c.command)).toEqual(['init', 'plan', 'output']);
    expect(lines).toContain('plan: no changes; nothing applied');
  });

  it('reports drift in plan-only mode without applying', async () => {
    await terraformProvisioner.provision(context());
    expect(await terraformProvisioner.plan!(context())).toEqual({
      drift: false,
      summary: 'no changes',
    });
    writeFileSync(
      join(work, 'desired.json'),
      JSON.stringify({ cluster_name: { name: 'renamed' } }),
    );
    writeFileSync(env.FAKE_TF_LOG, '');
    expect(await terraformProvisioner.plan!(context())).toEqual({
      drift: true,
      summary: '1 to update',
    });
    expect(calls().map(c => c.command)).toEqual(['init', 'plan', 'show']);
  });

  it('destroys what it provisioned, with the same backend and variables, and succeeds when it is already gone', async () => {
    await terraformProvisioner.provision(context());
    expect(hasDestroy(terraformProvisioner, context())).toBe(true);
    writeFileSync(env.FAKE_TF_LOG, '');
    await terraformProvisioner.destroy!(context());
    expect(JSON.parse(readFileSync(env.FAKE_TF_STATE, 'utf8'))).toEqual({});
    const [init, destroy] = calls();
    expect(calls().map(c => c.command)).toEqual(['init', 'destroy']);
    expect(init.args).toEqual(
      expect.arrayContaining([
        '-backend-config=bucket=tfstate',
        '-backend-config=key=accounts/123456789012/terraform.tfstate',
      ]),
    );
    expect(destroy.args).toEqual(
      expect.arrayContaining([
        '-auto-approve',
        '-input=false',
        '-var',
        'environment=dev',
      ]),
    );
    expect(destroy.env.AWS_ACCESS_KEY_ID).toBe('ASIATEST');
    expect(lines).toContain('Destroy complete! Resources: 1 destroyed.');

    await terraformProvisioner.destroy!(context());
    expect(lines).toContain('Destroy complete! Resources: 0 destroyed.');
    expect(JSON.parse(readFileSync(env.FAKE_TF_STATE, 'utf8'))).toEqual({});
    expect(await terraformProvisioner.plan!(context())).toEqual({
      drift: true,
      summary: '1 to create',
    });
  });

  it('fails the step with the command that failed, and refuses options without a module', async () => {
    writeFileSync(join(work, 'desired.json'), '{not json');
    await expect(terraformProvisioner.provision(context())).rejects.toThrow(
      'terraform plan exited with 1',
    );
    await expect(
      terraformProvisioner.provision({
        ...context(),
        options: { binary: fake, env },
      }),
    ).rejects.toThrow(
      'options.directory: the Terraform module directory is required',
    );
  });
});
