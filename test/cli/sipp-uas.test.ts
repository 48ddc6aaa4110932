/**
 * Real software judges the requests the library builds: sipp's built-in uas scenario answers
 * an INVITE built by buildRequest, then receives the ACK built by buildAck and the BYE built
 * from the dialog record, over UDP and TCP, and must count the call as successful. sipp is
 * the Debian package sip-tester: without it these tests say so and skip; under CI=true its
 * absence fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildAck,
  buildInDialogRequest,
  buildRequest,
  createParser,
  createUacDialog,
  isFinal,
  isSuccess,
  parseDatagram,
  type SentBy,
  type SipRequest,
  type SipResponse,
  serialize,
  validate,
} from '../../src/index.js';

const haveSipp = spawnSync('sh', ['-c', 'command -v sipp']).status === 0;
if (process.env['CI'] === 'true' && !haveSipp) {
  throw new Error('CI=true but sipp is missing: .ci/run must apt-get install sip-tester');
}
if (!haveSipp)
  console.warn('sipp is not installed (apt-get install sip-tester): sipp UAS tests skipped');

/** A TCP port free right now (sipp needs a fixed one for -p). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Sipp {
  readonly done: Promise<{ code: number | null; output: string }>;
  stop(): void;
}

/** sipp -sn uas for one call, bounded by -timeout and killed by PID when it overruns. */
function startSipp(
  port: number,
  mode: 'u1' | 't1',
  statistics: string,
  scenario: readonly string[] = ['-sn', 'uas'],
): Sipp {
  const child = spawn(
    'sipp',
    [
      ...scenario,
      ...['-i', '127.0.0.1', '-p', String(port), '-t', mode, '-m', '1'],
      ...['-nostdin', '-timeout', '20s', '-timeout_error'],
      ...['-trace_stat', '-stf', statistics, '-fd', '1'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => stop(), 30_000);
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  };
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  return { done, stop };
}

/** A transport that sends bytes to sipp and hands each response to `onResponse`. */
interface Link {
  readonly local: SentBy;
  send(bytes: Uint8Array): void;
  close(): void;
}

async function openUdp(port: number, onResponse: (response: SipResponse) => void): Promise<Link> {
  const socket = createSocket('udp4');
  // An ICMP port unreachable while the far end is starting: the INVITE is sent again
  socket.on('error', () => {});
  socket.on('message', (bytes) => {
    const message = parseDatagram(new Uint8Array(bytes));
    if (message.type === 'response') onResponse(message);
  });
  await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
  return {
    local: { transport: 'UDP', host: '127.0.0.1', port: socket.address().port },
    send: (bytes) => socket.send(bytes),
    close: () => socket.close(),
  };
}

async function openTcp(port: number, onResponse: (response: SipResponse) => void): Promise<Link> {
  // sipp may still be starting: try to connect for a few seconds
  let socket: Socket | undefined;
  for (let attempt = 0; socket === undefined && attempt < 100; attempt++) {
    socket = await new Promise<Socket | undefined>((resolve) => {
      const candidate = connect({ host: '127.0.0.1', port }, () => resolve(candidate));
      candidate.on('error', () => resolve(undefined));
    });
    if (socket === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (socket === undefined) throw new Error(`sipp never listened on TCP ${port}`);
  const connected = socket;
  const parser = createParser();
  connected.on('data', (chunk: Uint8Array) => {
    for (const message of parser.push(chunk)) if (message.type === 'response') onResponse(message);
  });
  return {
    local: { transport: 'TCP', host: '127.0.0.1', port: connected.localPort ?? 0 },
    send: (bytes) => connected.write(bytes),
    close: () => connected.destroy(),
  };
}

function statistics(file: string): Record<string, string> {
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split(';');
  const last = (lines.at(-1) ?? '').split(';');
  return Object.fromEntries(header.map((name, index) => [name, last[index] ?? '']));
}

function must(request: SipRequest): string[] {
  return validate(request)
    .filter((issue) => issue.severity === 'MUST')
    .map((issue) => issue.code);
}

interface Call {
  /** Closes the connection: only once the far end is done (sipp fails a call whose TCP connection closes early). */
  readonly close: () => void;
  readonly sent: SipRequest[];
  readonly byeResponse: SipResponse | undefined;
  readonly routeSet: readonly string[];
}

/**
 * One call from a UAC made of the library: the INVITE from buildRequest, the ACK from
 * buildAck, the BYE from the dialog record, each sent to `target` (sipp, or the proxy in front
 * of it, which is the first hop of the dialog's route set).
 */
async function runCall(mode: 'u1' | 't1', target: number): Promise<Call> {
  const sent: SipRequest[] = [];
  let routeSet: readonly string[] = [];
  let resolveBye: (response: SipResponse) => void = () => {};
  const byeAnswered = new Promise<SipResponse>((resolve) => {
    resolveBye = resolve;
  });
  let invite: SipRequest | undefined;
  let answered = false;
  let link: Link | undefined;
  const send = (request: SipRequest): void => {
    sent.push(request);
    link?.send(serialize(request));
  };
  const onResponse = (response: SipResponse): void => {
    const method = response.headers.find((field) => field.name === 'CSeq')?.value.split(' ')[1];
    if (method === 'BYE') {
      if (isFinal(response.status)) resolveBye(response);
      return;
    }
    if (invite === undefined || !isFinal(response.status) || link === undefined) return;
    answered = true;
    // The ACK of the 2xx goes out on every retransmission of the 2xx (RFC 3261 §13.2.2.4)
    send(buildAck(invite, response));
    if (!isSuccess(response.status) || sent.some((request) => request.method === 'BYE')) return;
    const dialog = createUacDialog(invite, response);
    routeSet = dialog.routeSet;
    send(buildInDialogRequest(dialog, 'BYE', { via: link.local }).request);
  };
  try {
    link = mode === 'u1' ? await openUdp(target, onResponse) : await openTcp(target, onResponse);
    const local = link.local;
    invite = buildRequest('INVITE', `sip:service@127.0.0.1:${target}`, {
      via: { ...local, rport: mode === 'u1' },
      from: 'sipwire <sip:sipwire@127.0.0.1>',
      contact: `<sip:sipwire@127.0.0.1:${local.port}${mode === 't1' ? ';transport=tcp' : ''}>`,
    });
    // Over UDP, resend the INVITE until an answer comes (the far end may still be starting;
    // RFC 3261 Timer A)
    for (let attempt = 0; attempt < 20 && !answered; attempt++) {
      send(invite);
      if (mode === 't1') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const byeResponse = await Promise.race([
      byeAnswered,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 15_000)),
    ]);
    const opened = link;
    let closed = false;
    const close = (): void => {
      if (!closed) opened.close();
      closed = true;
    };
    return { sent, byeResponse, routeSet, close };
  } catch (error) {
    link?.close();
    throw error;
  }
}

async function expectCompleted(call: Call, sipp: Sipp, stats: string): Promise<void> {
  expect(call.byeResponse?.status).toBe(200);
  const result = await sipp.done;
  call.close();
  expect(result.code, result.output.slice(-2000)).toBe(0);
  const row = statistics(stats);
  expect(row['SuccessfulCall(C)']).toBe('1');
  expect(row['FailedCall(C)']).toBe('0');
  expect(call.sent.map((request) => request.method)).toEqual(
    expect.arrayContaining(['INVITE', 'ACK', 'BYE']),
  );
  for (const request of call.sent) expect(must(request)).toEqual([]);
}

describe.runIf(haveSipp).each([
  ['UDP', 'u1'],
  ['TCP', 't1'],
] as const)(
  'sipp uas judges an INVITE, ACK and BYE built by the library over %s',
  (_name, mode) => {
    it('completes the call', async () => {
      const port = await freePort();
      const stats = join(mkdtempSync(join(tmpdir(), 'sipwire-sipp-uas-')), 'uas.csv');
      const sipp = startSipp(port, mode, stats);
      let call: Call | undefined;
      try {
        call = await runCall(mode, port);
        await expectCompleted(call, sipp, stats);
      } finally {
        sipp.stop();
        call?.close();
      }
    }, 40_000);
  },
);

/**
 * Kamailio (stateful, tm) from test/fixtures/kamailio/relay.cfg: -DD keeps the main process in
 * the foreground (its PID is ours to stop) while it forks its UDP and TCP workers.
 */
function startKamailio(port: number, uas: string, work: string): Sipp & { log(): string } {
  const child = spawn(
    'kamailio',
    [
      ...['-f', join(KAMAILIO_FIXTURES, 'relay.cfg')],
      ...['-L', KAMAILIO_MODULES, '-Y', work, '-DD', '-E', '-m', '32', '-M', '8'],
      ...['-l', `udp:127.0.0.1:${port}`, '-l', `tcp:127.0.0.1:${port}`],
      ...['-A', `UAS_URI="${uas}"`],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, output }));
  });
  return {
    done,
    log: () => output,
    stop: () => {
      // SIGTERM to the main process: it stops its worker processes itself
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM');
    },
  };
}

const KAMAILIO_MODULES = '/usr/lib/x86_64-linux-gnu/kamailio/modules';
const KAMAILIO_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'kamailio');
const haveKamailio =
  spawnSync('sh', ['-c', 'command -v kamailio || test -x /usr/sbin/kamailio']).status === 0 &&
  existsSync(KAMAILIO_MODULES);
if (process.env['CI'] === 'true' && !haveKamailio) {
  throw new Error('CI=true but kamailio is missing: .ci/run must apt-get install kamailio');
}
if (!haveKamailio)
  console.warn('kamailio is not installed (apt-get install kamailio): relay tests skipped');

describe.runIf(haveSipp && haveKamailio).each([
  ['UDP', 'u1'],
  ['TCP', 't1'],
] as const)('Kamailio relays the in-dialog requests to sipp over %s', (_name, mode) => {
  it('record-routes the call, relays ACK and BYE and logs no error', async () => {
    const [proxyPort, uasPort] = [await freePort(), await freePort()];
    const work = mkdtempSync(join(tmpdir(), 'sipwire-kamailio-'));
    const stats = join(work, 'uas.csv');
    // sipp's built-in uas leaves Record-Route out of its 200; this scenario echoes it
    const sipp = startSipp(uasPort, mode, stats, [
      '-sf',
      join(KAMAILIO_FIXTURES, 'uas-record-route.xml'),
    ]);
    const uas = `sip:127.0.0.1:${uasPort}${mode === 't1' ? ';transport=tcp' : ''}`;
    const kamailio = startKamailio(proxyPort, uas, work);
    let call: Call | undefined;
    // What Kamailio logged while it relayed the call (its shutdown, SIGTERM to every worker, logs
    // on its own)
    let log = '';
    try {
      call = await runCall(mode, proxyPort);
      // The proxy record-routed: the dialog's first route is the proxy, with lr (loose routing)
      expect(call.routeSet[0]).toContain(`127.0.0.1:${proxyPort};`);
      expect(call.routeSet[0]).toContain(';lr');
      await expectCompleted(call, sipp, stats);
      log = kamailio.log();
    } finally {
      kamailio.stop();
      sipp.stop();
      call?.close();
    }
    await kamailio.done;
    expect(log).toMatch(/relay: ACK /);
    expect(log).toMatch(/relay: BYE /);
    const errors = log.split('\n').filter((line) => /\b(ERROR|CRITICAL|ALERT|BUG):/.test(line));
    expect(errors, log.slice(-3000)).toEqual([]);
  }, 60_000);
});
