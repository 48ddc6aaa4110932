/**
 * examples/deploy/kamailio-dispatcher as a user runs it: Kamailio (dispatcher, Call-ID hash,
 * OPTIONS probing, failover) in front of three `sipwire serve` responders, driven by sipp's
 * built-in uac scenario. One responder is stopped by its PID in the middle of a run; calls made
 * once the dispatcher has marked it down all succeed on the other two, and after the example's
 * supervisor starts it again it gets calls again. Every run is bounded in calls and time; no
 * assertion is about how fast anything happens. .ci/run installs kamailio and sip-tester; on a
 * machine without them this file says so and skips, and under CI=true their absence fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExample, startExample } from '../examples/process.js';

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

const haveKamailio = installed('kamailio');
const haveSipp = installed('sipp');
if (process.env['CI'] === 'true' && (!haveKamailio || !haveSipp)) {
  throw new Error(
    'CI=true but kamailio or sipp is missing: .ci/run must apt-get install kamailio sip-tester',
  );
}
if (!haveKamailio) {
  console.warn('kamailio is not installed (apt-get install kamailio): dispatcher tests skipped');
}
if (!haveSipp) console.warn('sipp is not installed (apt-get install sip-tester): skipped');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface SippResult {
  code: number | null;
  ok: number;
  failed: number;
  output: string;
}

/** Runs sipp's uac scenario: `calls` calls at `rate` calls/s, killed by PID if it overruns. */
function sippUac(port: number, calls: number, rate: number, work: string): Promise<SippResult> {
  const statistics = join(work, `stat-${Date.now()}-${calls}.csv`);
  const timeoutS = Math.ceil(calls / rate) + 30;
  return new Promise((resolve) => {
    const child = spawn(
      'sipp',
      [
        `127.0.0.1:${port}`,
        ...['-sn', 'uac', '-i', '127.0.0.1', '-p', '0', '-t', 'u1', '-nostdin'],
        ...['-m', String(calls), '-r', String(rate), '-l', String(rate * 4)],
        ...['-timeout', `${timeoutS}s`, '-timeout_error'],
        ...['-trace_stat', '-stf', statistics, '-fd', '1'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(
      () => {
        if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      },
      (timeoutS + 10) * 1000,
    );
    child.on('close', (code) => {
      clearTimeout(timer);
      let stats: Record<string, string> = {};
      try {
        const lines = readFileSync(statistics, 'utf8').trim().split('\n');
        const header = (lines[0] ?? '').split(';');
        const last = (lines.at(-1) ?? '').split(';');
        stats = Object.fromEntries(header.map((name, index) => [name, last[index] ?? '']));
      } catch {
        // no statistics file: sipp did not start; ok and failed stay NaN
      }
      resolve({
        code,
        ok: Number(stats['SuccessfulCall(C)']),
        failed: Number(stats['FailedCall(C)']),
        output,
      });
    });
  });
}

describe.runIf(haveKamailio && haveSipp)('Kamailio dispatcher in front of three responders', () => {
  let example: RunningExample;
  let port: number;
  const work = mkdtempSync(join(tmpdir(), 'sipwire-kamailio-test-'));
  /** INVITE transactions each responder logged (r1, r2, r3), across restarts. */
  const invites = (responder: string): number =>
    example.lines.filter((line) => line.startsWith(`${responder} UDP INVITE `)).length;

  beforeAll(async () => {
    port = await freePort();
    example = await startExample(
      'deploy/kamailio-dispatcher/start.mjs',
      ['--port', String(port), '--responders', '3', '--restart-ms', '8000'],
      /^ready: kamailio pid=(\d+)/,
    );
    // Ready for calls once Kamailio's OPTIONS probes have reached every responder.
    for (const responder of ['r1', 'r2', 'r3']) {
      await example.waitFor(new RegExp(`^${responder} UDP OPTIONS .* -> 200`), 20_000);
    }
  }, 40_000);

  afterAll(async () => {
    await example?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('spreads calls by Call-ID, survives a stopped responder and uses it again after a restart', async () => {
    // 1. Three responders up: every call succeeds and each responder gets some.
    const before = await sippUac(port, 90, 30, work);
    expect(before.failed, before.output).toBe(0);
    expect(before.ok).toBe(90);
    for (const responder of ['r1', 'r2', 'r3']) expect(invites(responder)).toBeGreaterThan(0);

    // 2. A steady stream of calls; r2 is stopped by its PID in the middle of it.
    const stream = sippUac(port, 360, 30, work);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const started = await example.waitFor(/^r2 started pid=(\d+) port=(\d+)/);
    const [, pid, r2Port] = /pid=(\d+) port=(\d+)/.exec(started) ?? [];
    process.kill(Number(pid), 'SIGKILL');
    const down = await example.waitFor(
      new RegExp(`dispatcher: destination down sip:127\\.0\\.0\\.1:${r2Port}$`),
      20_000,
    );
    const r2AtDown = invites('r2');

    // 3. Once it is marked down, new calls all succeed on r1 and r3 and none reach r2.
    const whileDown = await sippUac(port, 60, 30, work);
    expect(whileDown.failed, `${down}\n${whileDown.output}`).toBe(0);
    expect(whileDown.ok).toBe(60);
    expect(invites('r2')).toBe(r2AtDown);

    // 4. The supervisor starts r2 again on its port; probing marks it up; it gets calls again.
    await example.waitFor(
      new RegExp(`dispatcher: destination up sip:127\\.0\\.0\\.1:${r2Port}$`),
      30_000,
    );
    const afterRestart = await sippUac(port, 90, 30, work);
    expect(afterRestart.failed, afterRestart.output).toBe(0);
    expect(invites('r2')).toBeGreaterThan(r2AtDown);

    // The stream across the stop: calls on r2 at that moment may fail; the rest fail over.
    const across = await stream;
    console.log(
      `kamailio dispatcher: ${across.ok} ok, ${across.failed} failed of 360 calls across the stop`,
    );
    expect(across.ok + across.failed).toBe(360);
    expect(across.failed).toBeLessThan(36);
  }, 120_000);
});
