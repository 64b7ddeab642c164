#!/usr/bin/env node
// The sandbox demo's provisioning steps, run by the `command` provisioner with the step's credentials:
//   demo-step.js cluster            an account's cluster: an IAM role in the account stands in for it,
//                                   and its state goes into the central bucket
//   demo-step.js maestro-register   the region's join step: registers every management cluster as a
//                                   consumer of the regional cluster's Maestro, in the central bucket
//   demo-step.js cluster-destroy    undoes `cluster`: deletes the role and the step's state
//   demo-step.js maestro-destroy    undoes `maestro-register`: deletes the registration's state
// Destroying what is gone already succeeds, as a decommission's retry needs.
// It reads its context from ACCOUNT_MINTING_CONTEXT and writes outputs to ACCOUNT_MINTING_OUTPUTS.
const { writeFileSync } = require('node:fs');
const {
  IAMClient,
  GetRoleCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
} = require('@aws-sdk/client-iam');
const {
  S3Client,
  GetObjectCommand,
  PutObjectCommand,
  DeleteObjectCommand,
} = require('@aws-sdk/client-s3');

const context = JSON.parse(process.env.ACCOUNT_MINTING_CONTEXT);
const aws = {
  region: process.env.AWS_REGION,
  endpoint: process.env.AWS_ENDPOINT_URL,
};
const s3 = new S3Client({ ...aws, forcePathStyle: true });

/** Writes the step's state into the central bucket, unless it holds that state already. */
async function writeState(state) {
  const body = JSON.stringify(state, null, 2);
  const location = {
    Bucket: process.env.ACCOUNT_MINTING_STATE_BUCKET,
    Key: process.env.ACCOUNT_MINTING_STATE_KEY,
  };
  try {
    const current = await s3.send(new GetObjectCommand(location));
    if ((await current.Body.transformToString()) === body) {
      console.log(
        `state at s3://${location.Bucket}/${location.Key} is up to date`,
      );
      return;
    }
  } catch (error) {
    if (error.name !== 'NoSuchKey') throw error;
  }
  await s3.send(
    new PutObjectCommand({
      ...location,
      Body: body,
      ContentType: 'application/json',
    }),
  );
  console.log(`state written to s3://${location.Bucket}/${location.Key}`);
}

/** Deletes the step's state: what it made is gone. */
async function deleteState() {
  const Bucket = process.env.ACCOUNT_MINTING_STATE_BUCKET;
  const Key = process.env.ACCOUNT_MINTING_STATE_KEY;
  await s3.send(new DeleteObjectCommand({ Bucket, Key }));
  console.log(`state s3://${Bucket}/${Key} deleted`);
}

async function clusterDestroy() {
  const roleName = `${context.target.account.role}-cluster`;
  try {
    await new IAMClient(aws).send(
      new DeleteRoleCommand({ RoleName: roleName }),
    );
    console.log(`deleted cluster role ${roleName}`);
  } catch (error) {
    if (error.name !== 'NoSuchEntityException') throw error;
    console.log(`cluster role ${roleName} is gone already`);
  }
  await deleteState();
}

async function maestroDestroy() {
  console.log(`deregistered the region's management clusters`);
  await deleteState();
}

async function cluster() {
  const { account, regionOu } = context.target;
  const iam = new IAMClient(aws);
  const roleName = `${account.role}-cluster`;
  let role;
  try {
    role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
    console.log(`cluster role ${roleName} is there already`);
  } catch (error) {
    if (error.name !== 'NoSuchEntityException') throw error;
    role = (
      await iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'eks.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
          Tags: [{ Key: 'region-ou', Value: regionOu }],
        }),
      )
    ).Role;
    console.log(`created cluster role ${roleName}`);
  }
  const outputs = { clusterName: account.name, clusterRoleArn: role.Arn };
  await writeState({
    version: 1,
    resources: [{ type: 'aws_iam_role', name: roleName, arn: role.Arn }],
    outputs,
  });
  return outputs;
}

async function maestroRegister() {
  const accounts = Object.entries(context.previousOutputs);
  const rc = accounts.find(([name]) => name.endsWith('-rc'));
  const consumers = accounts
    .filter(([name]) => /-mc\d*$/.test(name))
    .map(([, outputs]) => outputs.clusterName);
  const registration = { maestro: rc ? rc[1].clusterName : null, consumers };
  await writeState(registration);
  console.log(
    `registered ${consumers.length} management cluster(s) with ${registration.maestro}'s Maestro`,
  );
  return registration;
}

const steps = { cluster, 'maestro-register': maestroRegister };
const destroys = {
  'cluster-destroy': clusterDestroy,
  'maestro-destroy': maestroDestroy,
};
if (destroys[process.argv[2]]) {
  destroys[process.argv[2]]().catch(error => {
    console.error(`${error.name}: ${error.message}`);
    process.exit(1);
  });
  return;
}
const step = steps[process.argv[2]];
if (!step) {
  console.error(
    `usage: demo-step.js ${[
      ...Object.keys(steps),
      ...Object.keys(destroys),
    ].join(' | ')}`,
  );
  process.exit(2);
}
step()
  .then(outputs =>
    writeFileSync(process.env.ACCOUNT_MINTING_OUTPUTS, JSON.stringify(outputs)),
  )
  .catch(error => {
    console.error(`${error.name}: ${error.message}`);
    process.exit(1);
  });
