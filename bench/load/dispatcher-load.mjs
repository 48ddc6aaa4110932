// Kamailio's dispatcher in front of 1, 2 and 3 `sipwire serve --quiet` responders
// (examples/deploy/kamailio-dispatcher/start.mjs), driven by sipp's uac over UDP:
//  1. the highest sustained call rate through Kamailio for each number of responders (same
//     steps and criterion as sipp-load.mjs);
//  2. failover: a steady stream of calls while one of three responders is killed by its PID and
//     restarted 5 s later; reports the failed calls, how long Kamailio took to mark it down,
//     how many calls it moved to another responder, and when the restarted one was back.
// On a 2-core machine shared by Kamailio, the responders and sipp this shows correctness and
// overhead, not linear scaling. Not a test.
//
//   npm run build && node bench/load/dispatcher-load.mjs [--seconds 3]
//       [--rates 100,250,500,750,1000] [--responders 1,2,3] [--failover-rate 100] [--attempts 2]
//       [--no-write]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  freePort,
  P95_LIMIT_MS,
  RETRANSMISSION_LIMIT,
  stepBoundMs,
  stepUac,
  stepUacConfirmed,
} from './sipp.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rates: { type: 'string', default: '100,250,500,750,1000' },
    attempts: { type: 'string', default: '2' },
    responders: { type: 'string', default: '1,2,3' },
    'failover-rate': { type: 'string', default: '100' },
    'no-write': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  const source = readFileSync(import.meta.filename, 'utf8');
  console.log(source.slice(0, source.indexOf('\nimport ')));
  process.exit(0);
}
const seconds = Number(values.seconds);
const attempts = Number(values.attempts);
const loadAtStart = loadavg();
const rates = values.rates.split(',').map(Number);
const counts = values.responders.split(',').map(Number);
const failoverRate = Number(values['failover-rate']);
const root = join(import.meta.dirname, '..', '..');
const START = join(root, 'examples', 'deploy', 'kamailio-dispatcher', 'start.mjs');

for (const command of ['sipp', 'kamailio']) {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    console.error(`${command} is not installed: apt-get install sip-tester kamailio`);
    process.exit(2);
  }
}

/** Starts the example; collects its lines with the time each arrived. */
async function startDeployment(responders, port, extra) {
  const child = spawn(
    process.execPath,
    [START, '--port', String(port), '--responders', String(responders), ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines = [];
  let rest = '';
  const collect = (chunk) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: performance.now(), text });
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const waitFor = async (pattern, timeoutMs, after = 0) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const line = lines.find((candidate) => candidate.at >= after && pattern.test(candidate.text));
      if (line !== undefined) return line;
      if (performance.now() > deadline || child.exitCode !== null) {
        throw new Error(`no line matching ${pattern}:\n${lines.map((l) => l.text).join('\n')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitFor(/^ready: kamailio/, 20_000);
  await new Promise((resolve) => setTimeout(resolve, 2500)); // Kamailio's workers and first probes
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      process.kill(child.pid, 'SIGTERM');
    });
  return { child, lines, waitFor, stop };
}

const work = mkdtempSync(join(tmpdir(), 'sipwire-dispatcher-load-'));
const throughput = [];
let failover;
try {
  for (const responders of counts) {
    const port = await freePort();
    const deployment = await startDeployment(responders, port, ['--quiet', '--restart-ms', '0']);
    const steps = [];
    try {
      await stepUac({
        port,
        transport: 'udp',
        rate: 200,
        seconds,
        dir: join(work, `w${responders}`),
      });
      for (const rate of rates) {
        const row = await stepUacConfirmed(
          { port, transport: 'udp', rate, seconds, dir: join(work, `${responders}-${rate}`) },
          attempts,
        );
        steps.push(row);
        console.log(
          `${responders} responder(s) ${String(rate).padStart(5)}/s: ${row.ok}/${row.calls} ok, ` +
            `${row.retransmissions} retrans, p95 ${row.p95} ms, ${row.wallMs} ms` +
            (row.sustained ? '' : `  — not sustained: ${row.why}`),
        );
        if (!row.sustained) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } finally {
      await deployment.stop();
    }
    throughput.push({ responders, steps });
  }

  // Failover: a steady stream; r2 is killed 4 s in and restarted 5 s later.
  const port = await freePort();
  const deployment = await startDeployment(3, port, ['--quiet', '--restart-ms', '5000']);
  try {
    const streamSeconds = 14;
    const stream = stepUac({
      port,
      transport: 'udp',
      rate: failoverRate,
      seconds: streamSeconds,
      dir: join(work, 'failover'),
    });
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const started = await deployment.waitFor(/^r2 started pid=(\d+)/, 1000);
    const pid = Number(/pid=(\d+)/.exec(started.text)?.[1]);
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    const down = await deployment.waitFor(/dispatcher: destination down/, 20_000, killedAt);
    const restarted = await deployment.waitFor(/^r2 started pid=/, 20_000, killedAt);
    const up = await deployment.waitFor(/dispatcher: destination up/, 20_000, restarted.at);
    const row = await stream;
    const moved = deployment.lines.filter(
      (line) => line.at >= killedAt && /failover of /.test(line.text),
    ).length;
    failover = {
      rate: failoverRate,
      calls: row.calls,
      ok: row.ok,
      failed: row.calls - row.ok,
      moved,
      detectionMs: Math.round(down.at - killedAt),
      backMs: Math.round(up.at - restarted.at),
      p50: row.p50,
      p99: row.p99,
      max: row.max,
    };
    console.log('failover:', failover);
  } finally {
    await deployment.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const best = (steps) => steps.filter((row) => row.sustained).at(-1);
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })
  .stdout.toString()
  .trim();
const kamailioVersion = (spawnSync('kamailio', ['-v'])
  .stdout.toString()
  .match(/kamailio [\d.]+/) ?? [''])[0];
const lines = [
  '# Kamailio dispatcher results',
  '',
  `Generated by \`node bench/load/dispatcher-load.mjs --seconds ${seconds} --rates ${rates.join(',')} ` +
    `--responders ${counts.join(',')} --failover-rate ${failoverRate} --attempts ${attempts}\`, ${new Date().toISOString().slice(0, 16)}Z, commit ${commit}.`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'} (shared with other jobs: noisy; load average ${loadAtStart
    .map((value) => value.toFixed(1))
    .join(' ')} before the run), ` +
    `Node ${process.version}, ${kamailioVersion} (one UDP worker), sipp uac over UDP. Kamailio, ` +
    'the responders and sipp share these cores: this shows correctness and overhead, not linear scaling.',
  '',
  `Sustained: 0 failed calls, ≤ ${RETRANSMISSION_LIMIT * 100} % retransmitted, INVITE → 200 p95 ≤ ${P95_LIMIT_MS} ms, ` +
    `all calls done within ${stepBoundMs(seconds)} ms for a ${seconds} s step; a step that was not is tried again (up to --attempts).`,
  '',
  '| responders | highest sustained calls/s | p95 there |',
  '| ---: | ---: | ---: |',
  ...throughput.map(({ responders, steps }) => {
    const top = best(steps);
    const shown =
      top === undefined
        ? `none of ${rates[0]}+`
        : `${top.rate === rates.at(-1) ? '≥ ' : ''}${top.rate}`;
    return `| ${responders} | ${shown} | ${top === undefined ? '—' : `${top.p95} ms`} |`;
  }),
  '',
  '| responders | target calls/s | ok/calls | retrans | p50 | p95 | p99 | sustained |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ...throughput.flatMap(({ responders, steps }) =>
    steps.map(
      (row) =>
        `| ${responders} | ${row.rate} | ${row.ok}/${row.calls} | ${row.retransmissions} | ${row.p50} ms | ` +
        `${row.p95} ms | ${row.p99} ms | ${row.sustained ? 'yes' : `no: ${row.why}`} |`,
    ),
  ),
  '',
  '## Failover',
  '',
];
if (failover !== undefined) {
  lines.push(
    `${failover.calls} calls at ${failover.rate} calls/s through Kamailio to 3 responders; the second ` +
      'was killed (SIGKILL, by PID) 4 s in and started again on its port 5 s later.',
    '',
    '| failed calls | calls moved to another responder (each waited for tm fr_timer, 2 s) | kill → marked down | restart → marked up | INVITE → 200 p50 / p99 / max |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${failover.failed} of ${failover.calls} | ${failover.moved} | ${failover.detectionMs} ms | ${failover.backMs} ms | ` +
      `${failover.p50} / ${failover.p99} / ${failover.max} ms |`,
    '',
  );
}
const report = lines.join('\n');
console.log(`\n${report}`);
if (!values['no-write']) {
  writeFileSync(join(import.meta.dirname, 'DISPATCHER.md'), report);
  console.log('wrote bench/load/DISPATCHER.md');
}
