/**
 * Overload: the demo responder under a bounded sipp run at several times its capacity keeps its
 * memory bounded, sheds new calls with 503 + Retry-After instead of falling over, and answers
 * normally again afterwards. Figures are printed, never asserted as timings.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadMonitor } from '../../src/cli/overload.js';
import { freePort, installed, runSipp, sippStatistics } from '../helpers/sipp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const haveSipp = installed('sipp');
if (process.env['CI'] === 'true' && !haveSipp) {
  throw new Error('CI=true but sipp is missing: .ci/run must apt-get install sip-tester');
}

describe('LoadMonitor', () => {
  it('reports overload while the event loop is blocked, and recovers', async () => {
    const monitor = new LoadMonitor(50, 20);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(monitor.overloaded).toBe(false);
      const end = performance.now() + 400;
      while (performance.now() < end) {
        // a handler that takes 400 ms: the next sample sees the lag
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(monitor.overloaded).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(monitor.overloaded).toBe(false);
    } finally {
      monitor.close();
    }
  });
});

/** Resident set size of a process, in MiB, from /proc. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
}

describe.runIf(haveSipp)('the demo responder past its capacity', () => {
  let server: ChildProcess;
  let port = 0;
  const work = mkdtempSync(join(tmpdir(), 'sipwire-overload-'));

  beforeAll(async () => {
    port = await freePort();
    server = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'sipwire.js'),
        'serve',
        '--port',
        String(port),
        '--quiet',
        '--max-transactions',
        '5000',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise((resolve) => server.stdout?.once('data', resolve));
  });

  afterAll(() => {
    if (server.pid !== undefined && server.exitCode === null) process.kill(server.pid, 'SIGKILL');
  });

  it('stays within its memory, sheds load, and answers normally afterwards', async () => {
    const pid = server.pid ?? 0;
    let peak = rssMiB(pid);
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB(pid));
    }, 100);
    const flood = join(work, 'flood.csv');
    // 8000 calls/s for 3 s: several times what one process on this machine answers
    await runSipp(
      [
        `127.0.0.1:${port}`,
        '-sn',
        'uac',
        '-i',
        '127.0.0.1',
        '-p',
        '0',
        '-nostdin',
        '-m',
        '24000',
        '-r',
        '8000',
        '-l',
        '30000',
        '-timeout',
        '15s',
        '-trace_stat',
        '-stf',
        flood,
      ],
      60_000,
    );
    clearInterval(sampler);
    const counts = sippStatistics(flood);
    console.log(
      `overload: ${counts['SuccessfulCall(C)']} calls completed, ${counts['FailedCall(C)']} failed (of which ${counts['FailedUnexpectedMessage(C)']} got an unexpected response, e.g. a 503), peak RSS ${peak.toFixed(0)} MiB`,
    );
    expect(server.exitCode).toBeNull();
    expect(peak).toBeLessThan(1024);
    expect(Number(counts['FailedUnexpectedMessage(C)'])).toBeGreaterThan(0);
    // the same process answers normally once the flood is over (its 2xx retransmissions to the
    // flood's callers end with Timer L, 32 s): a small run is tried until it fully succeeds
    const started = Date.now();
    let recovered = false;
    for (let attempt = 0; attempt < 12 && !recovered; attempt++) {
      const after = join(work, `after-${attempt}.csv`);
      const code = await runSipp(
        [
          `127.0.0.1:${port}`,
          '-sn',
          'uac',
          '-i',
          '127.0.0.1',
          '-p',
          '0',
          '-nostdin',
          '-m',
          '40',
          '-r',
          '40',
          '-timeout',
          '20s',
          '-trace_stat',
          '-fd',
          '1',
          '-stf',
          after,
        ],
        30_000,
      );
      recovered = code === 0 && sippStatistics(after)['SuccessfulCall(C)'] === '40';
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    console.log(
      `overload: normal answers again ${((Date.now() - started) / 1000).toFixed(1)} s after the flood`,
    );
    expect(recovered).toBe(true);
  }, 180_000);
});
