import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { isFinal, isSuccess } from '../codes/index.js';
import { parseUri } from '../message/fields/index.js';
import {
  buildAck,
  buildRequest,
  ComposeError,
  canonicalHeaderName,
  type SipRequest,
  type SipResponse,
  serialize,
  validate,
} from '../message/index.js';
import { createParser, parseDatagram } from '../parse/index.js';
import { UsageError } from './usage-error.js';

export interface RequestCommandOptions {
  method: string;
  uri: string;
  tcp: boolean;
  headers: { name: string; value: string }[];
  timeoutMs: number;
}

/** The request `sipwire request` sends: buildRequest fills every header of RFC 3261 §8.1.1. */
export function composeRequest(
  options: RequestCommandOptions,
  local: { address: string; port: number },
): SipRequest {
  const transport = options.tcp ? 'TCP' : 'UDP';
  const host = local.address.includes(':') ? `[${local.address}]` : local.address;
  // Repeated -H flags of one header (any case, compact or long) become fields of one entry
  const byName = new Map<string, { name: string; values: string[] }>();
  for (const { name, value } of options.headers) {
    const canonical = canonicalHeaderName(name);
    const entry = byName.get(canonical.toLowerCase());
    if (entry === undefined)
      byName.set(canonical.toLowerCase(), { name: canonical, values: [value] });
    else entry.values.push(value);
  }
  // RFC 3261 §20.41: one User-Agent, the caller's when given
  if (!byName.has('user-agent'))
    byName.set('user-agent', { name: 'User-Agent', values: ['sipwire'] });
  const headers = Object.fromEntries(
    [...byName.values()].map((entry) => [entry.name, entry.values]),
  );
  return buildRequest(options.method, options.uri, {
    via: { transport, host, port: local.port, rport: true },
    from: `<sip:sipwire@${host}>`,
    to: `<${options.uri}>`,
    contact: `<sip:sipwire@${host}:${local.port}${options.tcp ? ';transport=tcp' : ''}>`,
    headers,
  });
}

function describeResponse(response: SipResponse, request: SipRequest): string {
  const issues = validate(response, { request });
  const lines = [`${response.version} ${response.status} ${response.reason}`];
  for (const field of response.headers) lines.push(`  ${field.name}: ${field.value}`);
  if (response.body.byteLength > 0) lines.push(`  (body: ${response.body.byteLength} bytes)`);
  for (const issue of issues) lines.push(`  ! ${issue.severity} ${issue.code}: ${issue.message}`);
  if (issues.length === 0) lines.push('  ✓ no validation issues');
  return lines.join('\n');
}

/**
 * `sipwire request`: sends one request and prints each response, parsed and validated.
 * @returns 0 on a 2xx final response, 1 otherwise (timeout included)
 */
export async function runRequest(
  options: RequestCommandOptions,
  out: (line: string) => void,
): Promise<number> {
  let target: { host: string; port: number };
  try {
    const uri = parseUri(options.uri);
    if (uri.kind !== 'sip') throw new UsageError(`URI must be sip: or sips:, got "${options.uri}"`);
    target = { host: uri.host.replace(/^\[|\]$/g, ''), port: uri.port ?? 5060 };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`bad URI "${options.uri}": ${(error as Error).message}`);
  }
  if (!/^[A-Za-z0-9!%*_+`'~.-]+$/.test(options.method))
    throw new UsageError(`bad METHOD "${options.method}"`);
  try {
    // Composed once ahead with a stand-in address, so a refused option is a usage error
    composeRequest(options, { address: '127.0.0.1', port: 5060 });
  } catch (error) {
    if (!(error instanceof ComposeError)) throw error;
    throw new UsageError(error.message);
  }

  return new Promise<number>((resolve) => {
    let settled = false;
    let request: SipRequest | undefined;
    let send: (bytes: Uint8Array) => void = () => {};
    let cleanup: () => void = () => {};
    const finish = (code: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      resolve(code);
    };
    const timer = setTimeout(() => {
      out(`no final response within ${options.timeoutMs} ms`);
      finish(1);
    }, options.timeoutMs);
    const onResponse = (response: SipResponse): void => {
      if (request === undefined) return;
      out(describeResponse(response, request));
      if (!isFinal(response.status)) return;
      // RFC 3261 §17.1.1.3 (non-2xx) and §13.2.2.4 (2xx): every final response to INVITE is acknowledged
      if (request.method === 'INVITE') {
        try {
          send(serialize(buildAck(request, response)));
        } catch (error) {
          if (!(error instanceof ComposeError)) throw error;
          out(`no ACK sent: ${error.message}`);
        }
      }
      finish(isSuccess(response.status) ? 0 : 1);
    };

    if (options.tcp) {
      const socket = connect({ host: target.host, port: target.port }, () => {
        request = composeRequest(options, {
          address: socket.localAddress ?? '127.0.0.1',
          port: socket.localPort ?? 0,
        });
        send(serialize(request));
      });
      send = (bytes) => socket.write(bytes);
      cleanup = () => socket.destroy();
      const parser = createParser();
      socket.on('data', (chunk: Uint8Array) => {
        try {
          for (const message of parser.push(chunk))
            if (message.type === 'response') onResponse(message);
        } catch (error) {
          out(`framing error from the server: ${(error as Error).message}`);
          finish(1);
        }
      });
      socket.on('error', (error) => {
        out(`connection failed: ${error.message}`);
        finish(1);
      });
    } else {
      const socket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
      send = (bytes) => socket.send(bytes);
      cleanup = () => socket.close();
      socket.on('message', (bytes) => {
        try {
          const message = parseDatagram(new Uint8Array(bytes));
          if (message.type === 'response') onResponse(message);
        } catch (error) {
          out(`unparseable datagram: ${(error as Error).message}`);
        }
      });
      socket.on('error', (error) => {
        out(`socket error: ${error.message}`);
        finish(1);
      });
      // A connected UDP socket learns the local address the route uses, for Via and Contact.
      socket.connect(target.port, target.host, () => {
        const address = socket.address();
        request = composeRequest(options, { address: address.address, port: address.port });
        send(serialize(request));
      });
    }
  });
}
