// Load bench: the demo responder next to sipp's own UAS (the reference) and a minimal Node
// responder (the upper bound for Node), all driven by sipp's built-in uac scenario
// (INVITE → 100/180/200 → ACK → BYE → 200) at rising rates in bounded steps, over UDP and TCP.
// Not a test: numbers depend on the machine, and the driver (sipp uac) shares its cores.
//
//   npm run build && node bench/load/sipp-load.mjs [--seconds 3] [--rates 250,500,1000]
//       [--transports udp,tcp] [--contestants sipwire,sipp-uas,minimal] [--attempts 2] [--no-write]
//
// A step is sustained when it has 0 failed calls, at most 1 % of calls retransmitted (sipp's
// Retransmissions counter), an INVITE → 200 response time p95 ≤ 100 ms, and every call done
// within the step's time bound (no backlog). A step that is not is tried once more (--attempts),
// because one noisy moment on a shared machine would otherwise end a run; a contestant stops at
// its first step that is still not sustained.
// CPU per call is the server process's utime + stime (/proc/PID/stat) over the step / calls.
// Every process is stopped by its PID; every sipp run is bounded by -m, -timeout and a kill.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderChart } from './chart.mjs';
import {
  freePort,
  mode,
  P95_LIMIT_MS,
  RETRANSMISSION_LIMIT,
  stepBoundMs,
  stepUac,
  stepUacConfirmed,
} from './sipp.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    rates: { type: 'string', default: '250,500,1000,2000,3000,4000,6000' },
    transports: { type: 'string', default: 'udp,tcp' },
    contestants: { type: 'string', default: 'sipwire,sipp-uas,minimal' },
    attempts: { type: 'string', default: '2' },
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
const transports = values.transports.split(',');
const chosen = values.contestants.split(',');
const root = join(import.meta.dirname, '..', '..');

if (spawnSync('sh', ['-c', 'command -v sipp']).status !== 0) {
  console.error('sipp is not installed: apt-get install sip-tester');
  process.exit(2);
}

/** How each contestant is started on a port for one transport ('udp' | 'tcp'). */
const CONTESTANTS = {
  sipwire: (port, transport) => [
    process.execPath,
    [join(root, 'bin', 'sipwire.js'), 'serve', '--quiet', '--port', String(port), `--${transport}`],
  ],
  'sipp-uas': (port, transport) => [
    'sipp',
    ['-sn', 'uas', '-i', '127.0.0.1', '-p', String(port), '-t', mode(transport), '-nostdin'],
  ],
  minimal: (port, transport) => [
    process.execPath,
    [join(import.meta.dirname, 'minimal-responder.mjs'), '--port', String(port), `--${transport}`],
  ],
};
for (const name of chosen) {
  if (!(name in CONTESTANTS)) {
    console.error(`unknown contestant ${name}: choose from ${Object.keys(CONTESTANTS).join(', ')}`);
    process.exit(2);
  }
}

/** Starts a contestant and waits until it listens (its first line, or a short pause for sipp). */
async function start(name, port, transport) {
  const [command, args] = CONTESTANTS[name](port, transport);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  if (name === 'sipp-uas') {
    child.stdout.resume(); // sipp's screen
    await new Promise((resolve) => setTimeout(resolve, 700));
  } else {
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdout.resume();
  }
  return child;
}

async function stop(child) {
  if (child.exitCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    process.kill(child.pid, 'SIGTERM');
    setTimeout(() => child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 3000).unref();
  });
}

const work = mkdtempSync(join(tmpdir(), 'sipwire-load-'));
const results = []; // { transport, contestant, steps: [...] }
const startedAt = Date.now();
try {
  for (const transport of transports) {
    for (const name of chosen) {
      const port = await freePort();
      const child = await start(name, port, transport);
      const steps = [];
      try {
        // Warm-up (not recorded): lets the JIT settle before the first measured step.
        await stepUac({
          port,
          transport,
          rate: 200,
          seconds,
          pid: child.pid,
          dir: join(work, `${transport}-${name}-warmup`),
        });
        for (const rate of rates) {
          const row = await stepUacConfirmed(
            {
              port,
              transport,
              rate,
              seconds,
              pid: child.pid,
              dir: join(work, `${transport}-${name}-${rate}`),
            },
            attempts,
          );
          steps.push(row);
          console.log(
            `${transport.toUpperCase()} ${name.padEnd(8)} ${String(rate).padStart(5)}/s: ` +
              `${row.ok}/${row.calls} ok, ${row.retransmissions} retrans, p95 ${row.p95} ms, ` +
              `${row.cpuUsPerCall} µs CPU/call, ${row.wallMs} ms, attempt ${row.attempt}` +
              (row.sustained ? '' : `  — not sustained: ${row.why}`),
          );
          if (!row.sustained) break;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      } finally {
        await stop(child);
      }
      results.push({ transport, contestant: name, steps });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// ---- report ----
const best = (steps) => steps.filter((row) => row.sustained).at(-1);
const fmt = (value, unit = '') => (Number.isFinite(value) ? `${value}${unit}` : '—');
const ratio = (a, b) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—';
const lines = [];
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root })
  .stdout.toString()
  .trim();
const sippVersion = (spawnSync('sipp', ['-v'])
  .stdout.toString()
  .match(/SIPp v[\w.-]*\w/) ?? [''])[0];
lines.push(
  '# Load bench results',
  '',
  `Generated by \`node bench/load/sipp-load.mjs --seconds ${seconds} --rates ${rates.join(',')} ` +
    `--transports ${transports.join(',')} --contestants ${chosen.join(',')} --attempts ${attempts}\`, ` +
    `${new Date(startedAt).toISOString().slice(0, 16)}Z, commit ${commit}.`,
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'} (shared with other jobs: noisy; load average ${loadAtStart
    .map((value) => value.toFixed(1))
    .join(' ')} before the run), ` +
    `Node ${process.version}, ${sippVersion}. The driver (sipp uac) runs on the same cores.`,
  '',
  `Sustained: 0 failed calls, ≤ ${RETRANSMISSION_LIMIT * 100} % of calls retransmitted, INVITE → 200 p95 ≤ ${P95_LIMIT_MS} ms, ` +
    `all calls done within ${stepBoundMs(seconds)} ms for a ${seconds} s step. CPU per call: the server ` +
    'process’s utime + stime from /proc over the step, divided by completed calls, compared at ' +
    'the highest rate every contestant sustained (idle work weighs more at low rates). sipp ' +
    'reports response times in coarse steps here (0, 4, 8 ms). "≥" marks the top of --rates. A ' +
    'step that was not sustained was tried again (up to --attempts); the tables show the kept try.',
  '',
);
for (const transport of transports) {
  const rows = results.filter((result) => result.transport === transport);
  // CPU per call is compared at the highest rate every contestant sustained.
  const common = Math.min(...rows.map(({ steps }) => best(steps)?.rate ?? 0));
  const at = (steps, rate) => steps.find((row) => row.rate === rate);
  const reference = rows.find((row) => row.contestant === 'sipp-uas');
  lines.push(
    `## ${transport.toUpperCase()}`,
    '',
    `| contestant | highest sustained calls/s | × sipp UAS | p95 there | CPU/call at ${common || '—'} calls/s | × sipp UAS |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const { contestant, steps } of rows) {
    const top = best(steps);
    const cpu = at(steps, common)?.cpuUsPerCall;
    const refTop = reference === undefined ? undefined : best(reference.steps);
    const refCpu = reference === undefined ? undefined : at(reference.steps, common)?.cpuUsPerCall;
    lines.push(
      `| ${contestant} | ${top === undefined ? `none of ${rates[0]}+` : `${top.rate === rates.at(-1) ? '≥ ' : ''}${top.rate}`} | ${ratio(top?.rate, refTop?.rate)} | ` +
        `${fmt(top?.p95, ' ms')} | ${fmt(cpu, ' µs')} | ${ratio(cpu, refCpu)} |`,
    );
  }
  lines.push(
    '',
    '| contestant | target calls/s | achieved | ok/calls | retrans | p50 | p95 | p99 | CPU/call | sustained |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  for (const { contestant, steps } of rows) {
    for (const row of steps) {
      lines.push(
        `| ${contestant} | ${row.rate} | ${row.achieved} | ${row.ok}/${row.calls} | ${row.retransmissions} | ` +
          `${fmt(row.p50, ' ms')} | ${fmt(row.p95, ' ms')} | ${fmt(row.p99, ' ms')} | ${fmt(row.cpuUsPerCall, ' µs')} | ` +
          `${row.sustained ? 'yes' : `no: ${row.why}`} |`,
      );
    }
  }
  lines.push('');
}
const report = lines.join('\n');
console.log(`\n${report}`);
if (!values['no-write']) {
  writeFileSync(join(import.meta.dirname, 'RESULTS.md'), report);
  writeFileSync(join(import.meta.dirname, 'load-chart.svg'), renderChart(results, P95_LIMIT_MS));
  console.log('wrote bench/load/RESULTS.md and bench/load/load-chart.svg');
}
