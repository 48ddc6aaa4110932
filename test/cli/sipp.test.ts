/**
 * Real SIP software judges our bytes: sipp (Debian sip-tester) runs its built-in uac scenario
 * and our XML scenarios against the demo responder, sipsak sends OPTIONS pings. .ci/run
 * installs both; on a machine without them these tests say so and skip, and under CI=true
 * their absence fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/server.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sipp');

function installed(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

const haveSipp = installed('sipp');
const haveSipsak = installed('sipsak');
if (process.env['CI'] === 'true' && (!haveSipp || !haveSipsak)) {
  throw new Error(
    'CI=true but sipp or sipsak is missing: .ci/run must apt-get install sip-tester sipsak',
  );
}
if (!haveSipp)
  console.warn('sipp is not installed (apt-get install sip-tester): sipp tests skipped');
if (!haveSipsak)
  console.warn('sipsak is not installed (apt-get install sipsak): sipsak tests skipped');

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program with a hard time limit; the process is killed by its PID when it overruns. */
function run(command: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Reads sipp's own statistics file (-trace_stat): the last row's cumulative counters. */
function sippStatistics(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split(';');
  const last = (lines.at(-1) ?? '').split(';');
  return Object.fromEntries(header.map((name, index) => [name, last[index] ?? '']));
}

describe.runIf(haveSipp).each([
  ['UDP', 'u1'],
  ['TCP', 't1'],
] as const)('sipp against the demo responder over %s', (_transport, mode) => {
  let server: RunningServer;
  const work = mkdtempSync(join(tmpdir(), 'sipwire-sipp-'));
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, udp: true, tcp: true });
  });
  afterAll(async () => {
    await server.close();
  });

  const sippArgs = (extra: string[]): string[] => [
    `127.0.0.1:${server.port}`,
    '-i',
    '127.0.0.1',
    '-p',
    '0',
    '-t',
    mode,
    '-nostdin',
    '-timeout',
    '60s',
    '-timeout_error',
    ...extra,
  ];

  it('completes 500 calls of the built-in uac scenario at 100 calls/s with none failed', async () => {
    const statistics = join(work, `uac-${mode}.csv`);
    const result = await run(
      'sipp',
      sippArgs([
        '-sn',
        'uac',
        '-m',
        '500',
        '-r',
        '100',
        '-l',
        '200',
        '-trace_stat',
        '-stf',
        statistics,
        '-fd',
        '1',
      ]),
      90_000,
    );
    expect(result.code, result.stderr + result.stdout.slice(-2000)).toBe(0);
    const stats = sippStatistics(statistics);
    expect(stats['SuccessfulCall(C)']).toBe('500');
    expect(stats['FailedCall(C)']).toBe('0');
  }, 120_000);

  it.each(['options.xml', 'method-405.xml', 'method-501.xml', 'require-420.xml'])(
    'passes the %s scenario header by header',
    async (scenario) => {
      const statistics = join(work, `${scenario}-${mode}.csv`);
      const result = await run(
        'sipp',
        sippArgs([
          '-sf',
          join(FIXTURES, scenario),
          '-m',
          '20',
          '-r',
          '20',
          '-trace_stat',
          '-stf',
          statistics,
          '-fd',
          '1',
        ]),
        60_000,
      );
      expect(result.code, result.stderr + result.stdout.slice(-2000)).toBe(0);
      const stats = sippStatistics(statistics);
      expect(stats['SuccessfulCall(C)']).toBe('20');
      expect(stats['FailedCall(C)']).toBe('0');
    },
    90_000,
  );
});

describe.runIf(haveSipsak)('sipsak against the demo responder', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, udp: true, tcp: true });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(['udp', 'tcp'])(
    'gets 200 to an OPTIONS ping over %s',
    async (transport) => {
      const result = await run(
        'sipsak',
        ['-vv', '-s', `sip:ping@127.0.0.1:${server.port}`, '-E', transport],
        20_000,
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toMatch(/SIP\/2\.0 200 OK/);
    },
    30_000,
  );

  // sipsak answers only the first challenge, and only MD5: `--auth-algorithm MD5` (RFC 8760
  // §2.4: the server's order is its preference) lets it register
  it('registers with Digest MD5 when the demo offers MD5 first', async () => {
    const secured = await startServer({
      host: '127.0.0.1',
      port: 0,
      udp: true,
      tcp: false,
      auth: { user: 'alice', password: 'wonderland' },
      authAlgorithms: ['MD5', 'SHA-256'],
      // sipsak's usage test registers for a few seconds only
      minExpires: 0,
    });
    try {
      const args = ['-U', '-C', 'sip:alice@127.0.0.1:5999', '-a', 'wonderland', '-u', 'alice'];
      const result = await run(
        'sipsak',
        [...args, '-s', `sip:alice@127.0.0.1:${secured.port}`],
        20_000,
      );
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(secured.responder.stateSizes().registrations).toBe(1);
      const wrong = await run(
        'sipsak',
        [
          ...args.slice(0, 3),
          '-a',
          'queen',
          '-u',
          'alice',
          '-s',
          `sip:alice@127.0.0.1:${secured.port}`,
        ],
        20_000,
      );
      expect(wrong.code).not.toBe(0);
    } finally {
      await secured.close();
    }
  }, 60_000);
});
