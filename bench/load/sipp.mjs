// sipp helpers shared by the load benches: one bounded uac step and what it measured.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A step is sustained only with an INVITE → 200 p95 at or below this. */
export const P95_LIMIT_MS = 100;
/** …and at most this share of calls retransmitted. */
export const RETRANSMISSION_LIMIT = 0.01;
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim()) || 100;

/** A step of `seconds` must be done within this (sipp start-up and the last calls' tail). */
export function stepBoundMs(seconds) {
  return seconds * 1100 + 1000;
}

/** sipp's transport mode: t1 is one TCP connection for all calls. */
export function mode(transport) {
  return transport === 'tcp' ? 't1' : 'u1';
}

export async function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a program to its end, killed by PID after timeoutMs; resolves with code and wall time. */
function run(command, args, options, timeoutMs) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, wallMs: performance.now() - started });
    });
  });
}

/** utime + stime of a process, in milliseconds. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The last row of sipp's -trace_stat file, as name → value. */
function lastStatistics(file) {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = lines[0].split(';');
  const last = lines.at(-1).split(';');
  return Object.fromEntries(header.map((name, index) => [name, last[index]]));
}

/**
 * One bounded step of sipp's built-in uac: `rate` calls/s for `seconds` against 127.0.0.1:port.
 * With `pid`, the CPU time that process used over the step is measured too.
 * @returns counts, response-time percentiles (ms), CPU per call (µs) and whether it was
 *   sustained (0 failed, ≤ 1 % retransmitted, p95 ≤ 100 ms, done within stepBoundMs), and why not
 */
export async function stepUac({ port, transport, rate, seconds, pid, dir }) {
  const calls = Math.round(rate * seconds);
  mkdirSync(dir, { recursive: true });
  const cpuBefore = pid === undefined ? 0 : cpuMs(pid);
  const result = await run(
    'sipp',
    [
      `127.0.0.1:${port}`,
      ...['-sn', 'uac', '-i', '127.0.0.1', '-p', '0', '-t', mode(transport), '-nostdin'],
      ...['-m', String(calls), '-r', String(rate), '-l', String(Math.max(100, rate * 2))],
      ...['-timeout', `${seconds + 6}s`, '-timeout_error', '-max_recv_loops', '10000'],
      ...['-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1'],
      ...['-trace_rtt', '-rtt_freq', '1'],
    ],
    { cwd: dir },
    (seconds + 15) * 1000,
  );
  const cpu = pid === undefined ? Number.NaN : cpuMs(pid) - cpuBefore;
  const stat = lastStatistics(join(dir, 'stat.csv'));
  // sipp writes each call's INVITE → 200 time (ms) to uac_<pid>_rtt.csv in its directory.
  const rttFile = readdirSync(dir).find((name) => name.endsWith('_rtt.csv'));
  const rtts =
    rttFile === undefined
      ? []
      : readFileSync(join(dir, rttFile), 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((line) => Number(line.split(';')[1]))
          .filter(Number.isFinite)
          .sort((a, b) => a - b);
  const ok = Number(stat['SuccessfulCall(C)']);
  const failed = Number(stat['FailedCall(C)']);
  const retransmissions = Number(stat['Retransmissions(C)']);
  const row = {
    rate,
    calls,
    ok,
    failed,
    retransmissions,
    wallMs: Math.round(result.wallMs),
    achieved: Math.round((ok / result.wallMs) * 1000),
    p50: percentile(rtts, 50),
    p95: percentile(rtts, 95),
    p99: percentile(rtts, 99),
    max: rtts.at(-1) ?? Number.NaN,
    cpuMsTotal: cpu,
    cpuUsPerCall: ok > 0 ? Math.round((cpu * 1000) / ok) : Number.NaN,
  };
  const reasons = [];
  if (failed > 0 || ok !== calls || result.code !== 0) reasons.push(`${calls - ok} not completed`);
  if (retransmissions > calls * RETRANSMISSION_LIMIT) reasons.push(`${retransmissions} retrans`);
  if (!(row.p95 <= P95_LIMIT_MS)) reasons.push(`p95 ${row.p95} ms`);
  if (result.wallMs > stepBoundMs(seconds)) reasons.push(`took ${row.wallMs} ms`);
  row.sustained = reasons.length === 0;
  row.why = reasons.join(', ');
  return row;
}

/**
 * stepUac, tried again (after a pause) when it is not sustained: on a shared machine one noisy
 * step would otherwise end a contestant's run early. Gives the first sustained row or the last.
 */
export async function stepUacConfirmed(options, attempts) {
  let row;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    row = await stepUac({ ...options, dir: `${options.dir}-${attempt}` });
    row.attempt = attempt;
    if (row.sustained) break;
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return row;
}
