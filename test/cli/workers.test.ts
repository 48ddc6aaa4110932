/**
 * `sipwire serve --workers N`: the Call-ID ownership and forwarding of workers.ts, then the
 * real thing: sipp's uac scenario against two workers over UDP and TCP, every call's requests
 * handled by one worker, a killed worker replaced, and every process gone after SIGTERM.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardFrame, ownerOf, readForwardFrame } from '../../src/cli/workers.js';
import { freePort, installed, runSipp, sippStatistics, waitFor } from '../helpers/sipp.js';

const ROOT = join(import.meta.dirname, '..', '..');
const haveSipp = installed('sipp');
if (process.env['CI'] === 'true' && !haveSipp) {
  throw new Error('CI=true but sipp is missing: .ci/run must apt-get install sip-tester');
}

describe('ownerOf', () => {
  it('gives one Call-ID one owner, and spreads many over the workers', () => {
    expect(ownerOf('a84b4c76e66710@pc33.example.com', 4)).toBe(
      ownerOf('a84b4c76e66710@pc33.example.com', 4),
    );
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const owner = ownerOf(`${i}-4242@127.0.0.1`, 3);
      counts[owner] = (counts[owner] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });
});

describe('forward frames', () => {
  it('carry a datagram and its source', () => {
    const bytes = new TextEncoder().encode('OPTIONS sip:a@b SIP/2.0\r\n\r\n');
    const frame = forwardFrame(bytes, '192.0.2.7', 5071);
    const read = readForwardFrame(frame);
    expect(read?.address).toBe('192.0.2.7');
    expect(read?.port).toBe(5071);
    expect(new TextDecoder().decode(read?.bytes)).toBe('OPTIONS sip:a@b SIP/2.0\r\n\r\n');
  });

  it('refuse anything else', () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(readForwardFrame(encode('OPTIONS sip:a@b SIP/2.0\r\n\r\n'))).toBeUndefined();
    expect(readForwardFrame(encode('SWFW 192.0.2.7 0\nx'))).toBeUndefined();
    expect(readForwardFrame(encode('SWFW 192.0.2.7 x\nx'))).toBeUndefined();
  });
});

/** Worker PIDs of a primary, from /proc (children whose command line says serve). */
function childPids(pid: number): number[] {
  const out = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map(Number);
}

describe.runIf(haveSipp)('serve --workers 2 with sipp', () => {
  let primary: ChildProcess;
  let port = 0;
  let output = '';
  const work = mkdtempSync(join(tmpdir(), 'sipwire-workers-'));

  beforeAll(async () => {
    port = await freePort();
    primary = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'sipwire.js'), 'serve', '--port', String(port), '--workers', '2'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    primary.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    primary.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    await waitFor(() => (output.includes('2 workers on') ? true : undefined), 15_000, 'workers');
  });

  afterAll(async () => {
    if (primary.pid !== undefined && primary.exitCode === null) {
      const workers = childPids(primary.pid);
      process.kill(primary.pid, 'SIGTERM');
      await waitFor(() => (primary.exitCode !== null ? true : undefined), 10_000, 'the primary');
      for (const pid of workers) {
        try {
          process.kill(pid, 0);
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      }
    }
  });

  /** Worker index per Call-ID for each request method, from the per-transaction log. */
  function handlers(): Map<string, Set<string>> {
    const byCall = new Map<string, Set<string>>();
    for (const match of output.matchAll(/^\[worker (\d+)\] (?:UDP|TCP) \w+ (\S+) ->/gm)) {
      const [, worker = '', callId = ''] = match;
      const set = byCall.get(callId) ?? new Set<string>();
      set.add(worker);
      byCall.set(callId, set);
    }
    return byCall;
  }

  it.each([
    ['UDP', 'u1', []],
    ['TCP', 'tn', ['-max_socket', '500']],
  ] as const)(
    'completes every call over %s, each call in one worker',
    async (transport, mode, extra) => {
      const stat = join(work, `${transport}.csv`);
      const code = await runSipp(
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
          ...extra,
          '-nostdin',
          '-m',
          '200',
          '-r',
          '100',
          '-timeout',
          '30s',
          '-trace_stat',
          '-stf',
          stat,
        ],
        45_000,
      );
      expect(code).toBe(0);
      const counts = sippStatistics(stat);
      expect(counts['SuccessfulCall(C)']).toBe('200');
      expect(counts['FailedCall(C)']).toBe('0');
      const byCall = handlers();
      const calls = [...byCall.entries()].filter(([callId]) => callId.includes('@127.0.0.1'));
      expect(calls.length).toBeGreaterThanOrEqual(200);
      // every request of a call (INVITE, ACK, BYE) was handled by one worker, and both worked
      for (const [, workers] of calls) expect(workers.size).toBe(1);
      const used = new Set(calls.flatMap(([, workers]) => [...workers]));
      expect(used).toEqual(new Set(['0', '1']));
    },
  );

  it('replaces a worker that dies, and calls keep completing', async () => {
    const pid = primary.pid ?? 0;
    const [victim] = childPids(pid);
    expect(victim).toBeDefined();
    process.kill(victim ?? 0, 'SIGKILL');
    await waitFor(
      () => (output.includes('starting it again') ? true : undefined),
      10_000,
      'restart',
    );
    await waitFor(
      () =>
        childPids(pid).length === 2 && !childPids(pid).includes(victim ?? 0) ? true : undefined,
      10_000,
      'two workers again',
    );
    // the new worker announces its forwarding port before it is used; give it a moment
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stat = join(work, 'after.csv');
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
        '100',
        '-r',
        '50',
        '-timeout',
        '30s',
        '-trace_stat',
        '-stf',
        stat,
      ],
      45_000,
    );
    expect(code).toBe(0);
    expect(sippStatistics(stat)['SuccessfulCall(C)']).toBe('100');
  });

  it('stops every worker when the primary gets SIGTERM', async () => {
    const pid = primary.pid ?? 0;
    const workers = childPids(pid);
    expect(workers.length).toBe(2);
    process.kill(pid, 'SIGTERM');
    await waitFor(
      () => (primary.exitCode !== null ? true : undefined),
      10_000,
      'the primary to exit',
    );
    for (const worker of workers) {
      await waitFor(
        () => {
          try {
            process.kill(worker, 0);
            return undefined;
          } catch {
            return true;
          }
        },
        10_000,
        `worker ${worker} to exit`,
      );
    }
  });
});
