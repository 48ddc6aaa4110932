// Load test of the demo responder with sipp's built-in uac scenario, over UDP and TCP.
// Raises the call rate step by step and reports the highest rate with zero failed calls and
// sipp's own response-time percentiles (INVITE → 200). Not a test: numbers vary with the machine.
//
//   npm run build && node bench/load/sipp-load.mjs [--seconds 5] [--rates 200,500,1000,2000,3000]
//
// Every process it starts is stopped by PID; every sipp run is bounded by -m and -timeout.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    rates: { type: 'string', default: '200,500,1000,2000,3000,4000' },
  },
});
const seconds = Number(values.seconds);
const rates = values.rates.split(',').map(Number);
const root = join(import.meta.dirname, '..', '..');

if (spawnSync('sh', ['-c', 'command -v sipp']).status !== 0) {
  console.error('sipp is not installed: apt-get install sip-tester');
  process.exit(2);
}

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function step(port, mode, rate, work) {
  const calls = rate * seconds;
  const prefix = join(work, `${mode}-${rate}`);
  const result = await run(
    'sipp',
    [
      `127.0.0.1:${port}`,
      '-sn',
      'uac',
      '-i',
      '127.0.0.1',
      '-p',
      '0',
      '-t',
      mode,
      '-nostdin',
      '-m',
      String(calls),
      '-r',
      String(rate),
      '-l',
      String(rate * 4),
      '-timeout',
      `${seconds * 3 + 10}s`,
      '-timeout_error',
      '-trace_stat',
      '-stf',
      `${prefix}.csv`,
      '-fd',
      '1',
      '-trace_rtt',
      '-rtt_freq',
      '1',
    ],
    (seconds * 3 + 20) * 1000,
  );
  const lines = readFileSync(`${prefix}.csv`, 'utf8').trim().split('\n');
  const header = lines[0].split(';');
  const last = lines.at(-1).split(';');
  const stat = Object.fromEntries(header.map((name, index) => [name, last[index]]));
  // sipp writes the per-call RTTs of the run to uac_<pid>_rtt.csv in its working directory.
  const rttFile = readdirSync(process.cwd()).find(
    (name) => name.startsWith('uac_') && name.endsWith('_rtt.csv'),
  );
  let rtts = [];
  if (rttFile !== undefined) {
    rtts = readFileSync(rttFile, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => Number(line.split(';')[2]))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    spawnSync('rm', ['-f', rttFile]);
  }
  return {
    rate,
    calls,
    ok: Number(stat['SuccessfulCall(C)']),
    failed: Number(stat['FailedCall(C)']),
    exit: result.code,
    p50: percentile(rtts, 50),
    p95: percentile(rtts, 95),
    p99: percentile(rtts, 99),
  };
}

const work = mkdtempSync(join(tmpdir(), 'sipwire-load-'));
const rows = [];
for (const [transport, mode] of [
  ['UDP', 'u1'],
  ['TCP', 't1'],
]) {
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [join(root, 'bin', 'sipwire.js'), 'serve', '--port', String(port), '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise((resolve) => server.stdout.once('data', resolve));
  let best;
  try {
    for (const rate of rates) {
      const row = await step(port, mode, rate, work);
      console.log(
        `${transport} ${rate} calls/s: ${row.ok}/${row.calls} ok, ${row.failed} failed, rtt p50 ${row.p50} ms p95 ${row.p95} ms p99 ${row.p99} ms`,
      );
      if (row.failed > 0 || row.ok !== row.calls || row.exit !== 0) break;
      best = row;
    }
  } finally {
    process.kill(server.pid, 'SIGTERM');
  }
  rows.push({ transport, best });
}

console.log('\n| transport | highest rate with 0 failed calls | calls | RTT p50 | p95 | p99 |');
console.log('|---|---|---|---|---|---|');
for (const { transport, best } of rows) {
  if (best === undefined) console.log(`| ${transport} | none of ${rates.join(', ')} | | | | |`);
  else
    console.log(
      `| ${transport} | ${best.rate} calls/s | ${best.calls} | ${best.p50} ms | ${best.p95} ms | ${best.p99} ms |`,
    );
}
