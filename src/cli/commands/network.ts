import { availableParallelism } from 'node:os';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../../digest/index.js';
import { runRequest } from '../client.js';
import { parseHeaderFlags } from '../input.js';
import { startServer } from '../server.js';
import { DEFAULT_TCP_LIMITS } from '../tcp-limits.js';
import { UsageError } from '../usage-error.js';
import { runPrimary, workerPlace } from '../workers.js';

export const serveHelp = `Usage: sipwire serve [--host 127.0.0.1] [--port 5060] [--udp] [--tcp] [options]

Runs the demo SIP responder (UAS + registrar) on UDP and TCP on one port. Every response is
made by buildResponse. One log line per transaction.

Options:
  --host ADDR          address to listen on (default 127.0.0.1)
  --port N             port (default $SIPWIRE_PORT or 5060; 0 picks a free one)
  --udp, --tcp         listen on only the named transport(s) (default: both)
  --invite-code CODE   final response to INVITE (default 200, with an SDP answer)
  --ring-ms MS         how long an INVITE rings before the final response (default 0)
  --min-expires S      REGISTER below this gets 423 Interval Too Brief (default 60)
  --auth USER:PASS     challenge REGISTER with Digest
  --auth-algorithm LIST  the Digest algorithms offered, in order, comma-separated
                       (default SHA-256,MD5; MD5 first for MD5-only clients such as sipsak)
  --workers N|auto     N processes (auto: one per core); each call stays in one process
  --max-transactions N live transactions past which requests get 503 (default 100000)
  --overload-lag-ms MS event-loop lag past which new calls get 503 + Retry-After, as
                       they do while over 10% of requests are retransmissions
                       (default 200; 0 never sheds)
  --quiet              no per-transaction log

TCP limits (like Kamailio's tcp_connection_lifetime, tcp_msg_read_timeout, tcp_max_connections):
  --tcp-idle-ms MS          close a connection with no complete message or keep-alive for MS
                            (default 120000; 0 = never)
  --tcp-incomplete-ms MS    close a connection whose current message is not complete MS after
                            its first byte (default 20000; 0 = never)
  --tcp-max-connections N   close connections accepted past N open ones at once (default 2048)
  --help               this text`;

export const requestHelp = `Usage: sipwire request [METHOD] URI [--tcp] [--header 'Name: value']... [--timeout MS]

Sends one request (OPTIONS by default) and prints every response, parsed and validated.
Exits with 0 on a 2xx final response.

Options:
  --tcp                  use TCP (default UDP)
  --header 'Name: value' add a header field (repeatable)
  --timeout MS           give up after MS milliseconds (default 5000)
  --help                 this text`;

function integer(
  text: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return Number(text);
}

/** `sipwire serve`: runs until SIGINT/SIGTERM. */
export async function runServe(
  values: Record<string, string | boolean | string[] | undefined>,
  out: (line: string) => void,
): Promise<number> {
  const auth = values['auth'];
  let credentials: { user: string; password: string } | undefined;
  if (typeof auth === 'string') {
    const colon = auth.indexOf(':');
    if (colon <= 0) throw new UsageError('--auth must look like USER:PASSWORD');
    credentials = { user: auth.slice(0, colon), password: auth.slice(colon + 1) };
  }
  const authAlgorithms = digestAlgorithms(values['auth-algorithm'] as string | undefined);
  const onlyUdp = values['udp'] === true;
  const onlyTcp = values['tcp'] === true;
  const host = typeof values['host'] === 'string' ? values['host'] : '127.0.0.1';
  const port = integer(
    values['port'] as string | undefined,
    '--port',
    0,
    65535,
    integer(process.env['SIPWIRE_PORT'], 'SIPWIRE_PORT', 0, 65535, 5060),
  );
  const workersText = values['workers'] as string | undefined;
  const workers =
    workersText === 'auto' ? availableParallelism() : integer(workersText, '--workers', 1, 256, 1);
  const place = workerPlace();
  if (workers > 1 && place === undefined) {
    return runPrimary(workers, argumentsForWorkers(process.argv.slice(3)), host, port, out);
  }
  const server = await startServer({
    host,
    port,
    ...(place === undefined ? {} : { worker: place }),
    udp: onlyUdp || !onlyTcp,
    tcp: onlyTcp || !onlyUdp,
    inviteCode: integer(
      values['invite-code'] as string | undefined,
      '--invite-code',
      200,
      699,
      200,
    ),
    ringMs: integer(values['ring-ms'] as string | undefined, '--ring-ms', 0, 180_000, 0),
    minExpires: integer(
      values['min-expires'] as string | undefined,
      '--min-expires',
      0,
      4_294_967_295,
      60,
    ),
    maxTransactions: integer(
      values['max-transactions'] as string | undefined,
      '--max-transactions',
      1,
      10_000_000,
      100_000,
    ),
    overloadLagMs: integer(
      values['overload-lag-ms'] as string | undefined,
      '--overload-lag-ms',
      0,
      60_000,
      200,
    ),
    tcpLimits: {
      idleMs: integer(
        values['tcp-idle-ms'] as string | undefined,
        '--tcp-idle-ms',
        0,
        2_147_483_647,
        DEFAULT_TCP_LIMITS.idleMs,
      ),
      incompleteMs: integer(
        values['tcp-incomplete-ms'] as string | undefined,
        '--tcp-incomplete-ms',
        0,
        2_147_483_647,
        DEFAULT_TCP_LIMITS.incompleteMs,
      ),
      maxConnections: integer(
        values['tcp-max-connections'] as string | undefined,
        '--tcp-max-connections',
        1,
        1_000_000,
        DEFAULT_TCP_LIMITS.maxConnections,
      ),
    },
    ...(credentials === undefined ? {} : { auth: credentials }),
    ...(authAlgorithms === undefined ? {} : { authAlgorithms }),
    ...(values['quiet'] === true
      ? {}
      : {
          log: place === undefined ? out : (line: string) => out(`[worker ${place.index}] ${line}`),
        }),
  });
  const shownHost = host.includes(':') ? `[${host}]` : host;
  if (place !== undefined) {
    // A worker: the primary says where the cluster listens; the IPC channel ends with the server
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
      process.once('disconnect', resolve);
    });
    await server.close();
    process.disconnect?.();
    return 0;
  }
  out(
    `sipwire demo responder listening on ${shownHost}:${server.port} (${[onlyUdp || !onlyTcp ? 'UDP' : '', onlyTcp || !onlyUdp ? 'TCP' : ''].filter(Boolean).join(' + ')})`,
  );
  out(`  try:  node bin/sipwire.js request OPTIONS sip:demo@${shownHost}:${server.port}`);
  out(`  or:   sipp -sn uac -m 10 -r 5 ${shownHost}:${server.port}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

/** `--auth-algorithm MD5,SHA-256`: names checked against the digest entry's table. */
function digestAlgorithms(text: string | undefined): DigestAlgorithm[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((name) => name.trim());
  const known: readonly string[] = DIGEST_ALGORITHMS.map((algorithm) => algorithm.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(
      `--auth-algorithm takes a comma-separated list of ${known.join(', ')}; got "${text}"`,
    );
  }
  return names as DigestAlgorithm[];
}

/** The command line of `serve` for a worker: without --workers and --port (the primary sets it). */
function argumentsForWorkers(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--workers' || arg === '--port') {
      i++;
      continue;
    }
    if (arg.startsWith('--workers=') || arg.startsWith('--port=')) continue;
    kept.push(arg);
  }
  return kept;
}

/** `sipwire request [METHOD] URI`. */
export async function runRequestCommand(
  positionals: readonly string[],
  values: Record<string, string | boolean | string[] | undefined>,
  out: (line: string) => void,
): Promise<number> {
  if (positionals.length === 0 || positionals.length > 2) throw new UsageError('give [METHOD] URI');
  const [first, second] = positionals;
  const method = second === undefined ? 'OPTIONS' : (first ?? 'OPTIONS');
  const uri = second ?? first ?? '';
  return runRequest(
    {
      method,
      uri,
      tcp: values['tcp'] === true,
      headers: parseHeaderFlags((values['header'] as string[] | undefined) ?? []),
      timeoutMs: integer(values['timeout'] as string | undefined, '--timeout', 1, 600_000, 5000),
    },
    out,
  );
}
