#!/usr/bin/env node
// A stand-in for the terraform executable, which cannot be installed here. It checks the arguments it gets
// and answers as Terraform's documentation says: init needs the S3 backend config; plan -detailed-exitcode
// exits 0 without changes and 2 with some, writing the plan to -out; show -json prints the plan's
// resource_changes; apply of a plan file makes the state the module's; destroy -auto-approve empties the
// state (an empty one too); output -json prints the outputs.
// The module is `desired.json` in the -chdir directory (resource name to attributes); the state is the file
// $FAKE_TF_STATE; every call is appended to $FAKE_TF_LOG.
const fs = require('node:fs');
const path = require('node:path');

const fail = message => {
  console.error(`Error: ${message}`);
  process.exit(1);
};
const [chdir, command, ...args] = process.argv.slice(2);
if (!chdir?.startsWith('-chdir='))
  fail('the fake expects -chdir=DIR before the command');
const dir = chdir.slice('-chdir='.length);
const dataDir = process.env.TF_DATA_DIR;
if (!dataDir) fail('TF_DATA_DIR is not set');
fs.appendFileSync(
  process.env.FAKE_TF_LOG,
  `${JSON.stringify({
    command,
    args,
    dir,
    env: {
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID,
      AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL,
    },
  })}\n`,
);
const readJson = (file, fallback) =>
  fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : fallback;
const desired = () => readJson(path.join(dir, 'desired.json'), {});
const state = () => readJson(process.env.FAKE_TF_STATE, {});
const option = name =>
  args.find(a => a.startsWith(`${name}=`))?.slice(name.length + 1);

function changes() {
  const want = desired();
  const have = state();
  return [...new Set([...Object.keys(want), ...Object.keys(have)])].flatMap(
    address => {
      if (!(address in have)) return [{ address, actions: ['create'] }];
      if (!(address in want)) return [{ address, actions: ['delete'] }];
      return JSON.stringify(want[address]) === JSON.stringify(have[address])
        ? []
        : [{ address, actions: ['update'] }];
    },
  );
}

switch (command) {
  case 'init': {
    const config = args
      .filter(a => a.startsWith('-backend-config='))
      .map(a => a.slice('-backend-config='.length));
    for (const key of ['bucket', 'key', 'region']) {
      if (!config.some(c => c.startsWith(`${key}=`)))
        fail(`backend config ${key} is missing`);
    }
    if (!args.includes('-input=false'))
      fail('init must not ask for input here');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(
      path.join(dataDir, 'backend.json'),
      JSON.stringify(config),
    );
    console.log('Terraform has been successfully initialized!');
    break;
  }
  case 'plan': {
    if (!fs.existsSync(path.join(dataDir, 'backend.json')))
      fail('Backend initialization required, please run "terraform init"');
    if (!args.includes('-detailed-exitcode'))
      fail('the fake only plans with -detailed-exitcode');
    const out = option('-out');
    if (!out) fail('plan needs -out');
    const planned = changes();
    fs.writeFileSync(
      out,
      JSON.stringify({ changes: planned, desired: desired() }),
    );
    console.log(
      planned.length
        ? `Plan: ${planned.length} to change.`
        : 'No changes. Your infrastructure matches the configuration.',
    );
    process.exit(planned.length ? 2 : 0);
    break;
  }
  case 'show': {
    if (!args.includes('-json')) fail('the fake only shows -json');
    const plan = readJson(args[args.length - 1]);
    console.log(
      JSON.stringify({
        format_version: '1.2',
        resource_changes: plan.changes.map(c => ({
          address: c.address,
          change: { actions: c.actions },
        })),
      }),
    );
    break;
  }
  case 'apply': {
    const planFile = args[args.length - 1];
    if (!fs.existsSync(planFile))
      fail(`Failed to load "${planFile}" as a plan file`);
    fs.writeFileSync(
      process.env.FAKE_TF_STATE,
      JSON.stringify(readJson(planFile).desired),
    );
    console.log('Apply complete!');
    break;
  }
  case 'destroy': {
    if (!fs.existsSync(path.join(dataDir, 'backend.json')))
      fail('Backend initialization required, please run "terraform init"');
    if (!args.includes('-auto-approve'))
      fail('destroy must not ask for approval here');
    if (!args.includes('-input=false'))
      fail('destroy must not ask for input here');
    const destroyed = Object.keys(state()).length;
    fs.writeFileSync(process.env.FAKE_TF_STATE, JSON.stringify({}));
    console.log(`Destroy complete! Resources: ${destroyed} destroyed.`);
    break;
  }
  case 'output': {
    const outputs = Object.fromEntries(
      Object.entries(state()).map(([address, attributes]) => [
        address,
        { value: attributes.name, type: 'string', sensitive: false },
      ]),
    );
    console.log(JSON.stringify(outputs));
    break;
  }
  default:
    fail(`the fake does not know ${command}`);
}
