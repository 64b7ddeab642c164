/* eslint-disable no-console */
// The reliability suite: runs every experiment one after the other, each as its own process with its own
// deadline, then prints a summary. Exits non-zero when any experiment failed.
//   yarn reliability                        (from the repository root)
//   yarn workspace @regional-minting/plugin-account-minting-backend reliability [--only crash,faults]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

interface Experiment {
  name: string;
  script: string;
  /** What it asserts, for the summary. */
  asserts: string;
}

const EXPERIMENTS: Experiment[] = [
  {
    name: 'crash',
    script: 'crash.ts',
    asserts: '5+ SIGKILLs: 0 failed runs, 0 duplicates, 0 stuck steps',
  },
  {
    name: 'faults',
    script: 'faults.ts',
    asserts: '30% Organizations faults: 0 failed runs, 0 duplicates',
  },
  {
    name: 'replicas',
    script: 'replicas.ts',
    asserts: '2 backends, one killed: 0 steps twice, refusals <= 1 backend',
  },
  {
    name: 'stale-config',
    script: 'staleConfig.ts',
    asserts: 'routes 2xx with a stale region; refused request mints nothing',
  },
  {
    name: 'bad-input',
    script: 'badInput.ts',
    asserts: 'its own figures (see badInput.ts)',
  },
];

const { values } = parseArgs({
  options: { only: { type: 'string' } },
});
const only = values.only?.split(',').map(name => name.trim());
const unknown = only?.filter(name => !EXPERIMENTS.some(e => e.name === name));
if (unknown?.length) {
  console.error(
    `--only: unknown experiment ${unknown.join(', ')}; one of ${EXPERIMENTS.map(
      e => e.name,
    ).join(', ')}`,
  );
  process.exit(2);
}

const PACKAGE_DIR = resolve(__dirname, '..');
const NODE_TRANSFORM = require.resolve(
  '@backstage/cli/config/nodeTransform.cjs',
);
// An experiment that outlives its own deadline by this much is killed here.
const HARD_LIMIT_MS = 15 * 60_000;

function run(
  experiment: Experiment,
): Promise<{ code: number | string; ms: number }> {
  const started = performance.now();
  return new Promise(resolveRun => {
    console.log(
      `\n===== ${experiment.name} (reliability/${experiment.script})`,
    );
    const child = spawn(
      process.execPath,
      ['--require', NODE_TRANSFORM, join(__dirname, experiment.script)],
      { cwd: PACKAGE_DIR, stdio: 'inherit' },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), HARD_LIMIT_MS);
    const stop = () => child.kill('SIGTERM');
    process.once('SIGINT', stop);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      process.off('SIGINT', stop);
      resolveRun({
        code: code ?? signal ?? 'killed',
        ms: performance.now() - started,
      });
    });
  });
}

async function main() {
  const summary: string[][] = [];
  let failed = 0;
  for (const experiment of EXPERIMENTS) {
    if (only && !only.includes(experiment.name)) continue;
    if (!existsSync(join(__dirname, experiment.script))) {
      summary.push([experiment.name, 'absent', '', experiment.asserts]);
      continue;
    }
    const { code, ms } = await run(experiment);
    if (code !== 0) failed += 1;
    summary.push([
      experiment.name,
      code === 0 ? 'passed' : `FAILED (exit ${code})`,
      `${(ms / 1000).toFixed(0)} s`,
      experiment.asserts,
    ]);
  }
  const rows = [['experiment', 'result', 'time', 'asserts'], ...summary];
  const widths = rows[0].map((_, i) => Math.max(...rows.map(r => r[i].length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log('\n===== reliability summary');
  console.log(line(rows[0]));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  summary.forEach(r => console.log(line(r)));
  process.exit(failed > 0 ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(2);
});
