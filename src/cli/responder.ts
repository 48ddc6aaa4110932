import { isFinal, isSuccess, StatusCode } from '../codes/index.js';
import { parseExpires, parseNameAddr, parseOptionTags, parseVia } from '../message/fields/index.js';
import {
  buildResponse,
  getHeader,
  getHeaderValues,
  type HeaderField,
  hasHeader,
  type SipRequest,
  type SipResponse,
  serialize,
  validate,
} from '../message/index.js';
import { BoundedMap } from './bounded-map.js';
import { DigestAuthenticator } from './digest.js';
import { sdpAnswer } from './sdp.js';

/** Methods the demo answers (RFC 3261 §20.5: Allow lists every method it understands, ACK and CANCEL too). */
export const OFFERED_METHODS: readonly string[] = [
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'REGISTER',
];
/** Methods it recognises but does not offer: 405 with Allow (RFC 3261 §8.2.1). */
export const KNOWN_NOT_OFFERED: readonly string[] = [
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'MESSAGE',
  'REFER',
  'INFO',
  'UPDATE',
  'PRACK',
];
/** Option-tags it supports: Path (RFC 3327) at the registrar. */
export const SUPPORTED_OPTION_TAGS: readonly string[] = ['path'];

/** RFC 3261 §17.1.1.1 timer values, in milliseconds. */
const T1 = 500;
const T2 = 4000;

export interface ResponderOptions {
  /** Final response to INVITE; 200 answers with SDP, anything else rejects. */
  inviteCode: number;
  /** How long the INVITE rings (180) before its final response. */
  ringMs: number;
  /** Shortest registration accepted (423 below it, RFC 3261 §10.3 step 7). */
  minExpires: number;
  /** Longest registration granted. */
  maxExpires: number;
  /** Digest credentials for REGISTER; no challenge when absent. */
  auth?: { user: string; password: string };
  /** Requests larger than this get 513 (RFC 3261 §21.5.7). */
  maxMessageBytes: number;
  /** Caps on remembered state, so a flood cannot grow memory. */
  maxTransactions: number;
  maxDialogs: number;
  maxBindings: number;
  /**
   * Bindings one address of record may hold: without a cap, many REGISTERs would make the 200
   * that lists them (RFC 3261 §10.3 step 8) large enough to amplify a spoofed UDP request.
   */
  maxBindingsPerAor: number;
  /** One line per transaction; absent means quiet. */
  log?: (line: string) => void;
  /** Local address put into Contact and SDP. */
  localAddress: string;
  localPort: number;
}

export const DEFAULT_RESPONDER_OPTIONS: ResponderOptions = {
  inviteCode: 200,
  ringMs: 0,
  minExpires: 60,
  maxExpires: 3600,
  maxMessageBytes: 16_384,
  maxTransactions: 10_000,
  maxDialogs: 10_000,
  maxBindings: 10_000,
  maxBindingsPerAor: 10,
  localAddress: '127.0.0.1',
  localPort: 5060,
};

/** Where a request came from and how to answer it. */
export interface Inbound {
  readonly request: SipRequest;
  readonly transport: 'UDP' | 'TCP';
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** Size of the request on the wire. */
  readonly byteLength: number;
  /** Sends bytes back the way the request came (same connection over TCP). */
  readonly send: (bytes: Uint8Array) => void;
}

interface ServerTransaction {
  method: string;
  toTag: string;
  requestHasToTag: boolean;
  lastResponse?: Uint8Array;
  final: boolean;
  send: (bytes: Uint8Array) => void;
  timers: ReturnType<typeof setTimeout>[];
  inbound: Inbound;
}

interface Binding {
  contact: string;
  expiresAt: number;
}

function transactionKey(request: SipRequest): string | undefined {
  const topVia = getHeaderValues(request, 'Via')[0];
  if (topVia === undefined) return undefined;
  const via = parseVia(topVia);
  // RFC 3261 §17.2.3: branch + sent-by + method, where ACK matches the INVITE it acknowledges.
  const method = request.method === 'ACK' ? 'INVITE' : request.method;
  const branch = via.branch ?? `${getHeader(request, 'Call-ID')}|${getHeader(request, 'CSeq')}`;
  return `${branch}|${via.host}:${via.port ?? ''}|${method}`;
}

function requestToTag(request: SipRequest): string | undefined {
  try {
    const to = parseNameAddr(getHeader(request, 'To') ?? '');
    return to.wildcard ? undefined : to.tag;
  } catch {
    return undefined;
  }
}

function randomTag(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * RFC 3261 §18.2.1 and RFC 3581 §4: the server transport adds `received` to the top Via when
 * sent-by is not the packet's source, and fills an empty `rport` with the source port.
 */
export function stampTopVia(
  request: SipRequest,
  sourceAddress: string,
  sourcePort: number,
): SipRequest {
  const index = request.headers.findIndex((field) => field.name === 'Via');
  const field = request.headers[index];
  if (field === undefined) return request;
  const values = getHeaderValues({ ...plain(request), headers: [field] }, 'Via');
  const top = values[0];
  if (top === undefined) return request;
  const via = parseVia(top);
  let stamped = top;
  const needsRport = via.rport === true;
  if (needsRport || via.host.replace(/^\[|\]$/g, '') !== sourceAddress) {
    if (via.received === undefined) stamped += `;received=${sourceAddress}`;
  }
  if (needsRport) stamped = stamped.replace(/;rport(?=;|$)/i, `;rport=${sourcePort}`);
  if (stamped === top) return request;
  const rest = values.slice(1);
  const headers: HeaderField[] = [...request.headers];
  headers[index] = { name: 'Via', value: [stamped, ...rest].join(', ') };
  return { ...plain(request), headers };
}

function plain(request: SipRequest): SipRequest {
  return {
    type: 'request',
    method: request.method,
    uri: request.uri,
    version: request.version,
    headers: request.headers,
    body: request.body,
  };
}

/**
 * The demo SIP responder: a UAS and registrar that answers every request with a response made
 * by buildResponse. It holds transactions, dialogs and registrations in bounded maps.
 */
export class DemoResponder {
  readonly options: ResponderOptions;
  readonly #transactions: BoundedMap<string, ServerTransaction>;
  readonly #dialogs: BoundedMap<string, { callId: string }>;
  readonly #bindings: BoundedMap<string, Binding[]>;
  readonly #authenticator: DigestAuthenticator | undefined;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(options: Partial<ResponderOptions> = {}) {
    this.options = { ...DEFAULT_RESPONDER_OPTIONS, ...options };
    // 64*T1 covers every retransmission window (RFC 3261 §17.2.1 Timer H, §17.2.2 Timer J).
    this.#transactions = new BoundedMap(this.options.maxTransactions, 64 * T1);
    this.#dialogs = new BoundedMap(this.options.maxDialogs, 3_600_000);
    this.#bindings = new BoundedMap(this.options.maxBindings, this.options.maxExpires * 1000);
    this.#authenticator =
      this.options.auth === undefined
        ? undefined
        : new DigestAuthenticator('sipwire', this.options.auth.user, this.options.auth.password);
  }

  /** Sizes of the bounded state, for tests. */
  stateSizes(): { transactions: number; dialogs: number; registrations: number } {
    return {
      transactions: this.#transactions.size,
      dialogs: this.#dialogs.size,
      registrations: this.#bindings.size,
    };
  }

  /** Stops every pending timer (ringing INVITEs, retransmissions). */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #later(ms: number, action: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    timer.unref?.();
    this.#timers.add(timer);
    return timer;
  }

  #log(inbound: Inbound, code: number | string): void {
    const callId = getHeader(inbound.request, 'Call-ID') ?? '-';
    this.options.log?.(`${inbound.transport} ${inbound.request.method} ${callId} -> ${code}`);
  }

  /** Handles one request that parsed. */
  handle(received: Inbound): void {
    let request: SipRequest;
    let key: string | undefined;
    try {
      request = stampTopVia(received.request, received.sourceAddress, received.sourcePort);
      key = transactionKey(request);
    } catch {
      key = undefined;
      request = received.request;
    }
    const inbound: Inbound = { ...received, request };
    if (key === undefined) {
      // No usable top Via: nowhere to send a response (RFC 3261 §8.2.6.2, §18.2.2 route by it).
      this.options.log?.(`${inbound.transport} ${request.method} dropped: no valid Via`);
      return;
    }

    const existing = this.#transactions.get(key);
    if (request.method === 'ACK') {
      this.#absorbAck(inbound, existing);
      return;
    }
    if (existing !== undefined) {
      // RFC 3261 §17.2.1, §17.2.2: a retransmitted request gets the last response again.
      if (existing.lastResponse !== undefined) inbound.send(existing.lastResponse);
      return;
    }
    const transaction: ServerTransaction = {
      method: request.method,
      toTag: randomTag(),
      requestHasToTag: requestToTag(request) !== undefined,
      final: false,
      send: inbound.send,
      timers: [],
      inbound,
    };
    this.#transactions.set(key, transaction);
    this.#dispatch(inbound, transaction);
  }

  #respond(
    transaction: ServerTransaction,
    code: number,
    options: Parameters<typeof buildResponse>[2] = {},
  ): SipResponse {
    const { inbound } = transaction;
    // RFC 3261 §8.2.6.2: one tag for every response of the transaction but the 100, and none
    // added when the request's To already has one (in-dialog requests).
    const tagged = code === StatusCode.TRYING || transaction.requestHasToTag;
    const { response } = buildResponse(inbound.request, code, {
      ...(tagged ? {} : { toTag: transaction.toTag }),
      ...options,
    });
    const bytes = serialize(response);
    transaction.lastResponse = bytes;
    if (isFinal(code)) transaction.final = true;
    inbound.send(bytes);
    if (isFinal(code)) this.#log(inbound, code);
    return response;
  }

  #dispatch(inbound: Inbound, transaction: ServerTransaction): void {
    const { request } = inbound;
    try {
      if (request.version.toUpperCase() !== 'SIP/2.0') {
        this.#respond(transaction, StatusCode.VERSION_NOT_SUPPORTED);
        return;
      }
      if (inbound.byteLength > this.options.maxMessageBytes) {
        this.#respond(transaction, StatusCode.MESSAGE_TOO_LARGE);
        return;
      }
      const broken = validate(request).find((issue) => issue.severity === 'MUST');
      if (broken !== undefined) {
        this.#respond(transaction, StatusCode.BAD_REQUEST, {
          reason: badRequestReason(broken.message),
        });
        return;
      }
      // RFC 3261 §8.2.2.3: unknown option-tags in Require are refused before anything else.
      if (
        request.method !== 'CANCEL' &&
        request.method !== 'ACK' &&
        hasHeader(request, 'Require')
      ) {
        const unsupported = getHeaderValues(request, 'Require')
          .flatMap((value) => parseOptionTags(value))
          .filter((tag) => !SUPPORTED_OPTION_TAGS.includes(tag.toLowerCase()));
        if (unsupported.length > 0) {
          this.#respond(transaction, StatusCode.BAD_EXTENSION, {
            supported: [...SUPPORTED_OPTION_TAGS],
          });
          return;
        }
      }
      switch (request.method) {
        case 'OPTIONS':
          this.#respond(transaction, StatusCode.OK, {
            allow: [...OFFERED_METHODS],
            supported: [...SUPPORTED_OPTION_TAGS],
            // RFC 3261 §11.2: a 200 to OPTIONS SHOULD say what bodies, codings and languages
            // the UA takes; identity is the only coding here (§20.2).
            headers: {
              Accept: 'application/sdp',
              'Accept-Encoding': 'identity',
              'Accept-Language': 'en',
            },
          });
          return;
        case 'INVITE':
          this.#invite(inbound, transaction);
          return;
        case 'CANCEL':
          this.#cancel(inbound, transaction);
          return;
        case 'BYE':
          this.#bye(inbound, transaction);
          return;
        case 'REGISTER':
          this.#register(inbound, transaction);
          return;
        default:
          if (KNOWN_NOT_OFFERED.includes(request.method)) {
            this.#respond(transaction, StatusCode.METHOD_NOT_ALLOWED, {
              allow: [...OFFERED_METHODS],
            });
          } else {
            // RFC 3261 §21.5.2: a method the server does not recognise.
            this.#respond(transaction, StatusCode.NOT_IMPLEMENTED, { allow: [...OFFERED_METHODS] });
          }
      }
    } catch (error) {
      this.options.log?.(
        `${inbound.transport} ${request.method} ${getHeader(request, 'Call-ID') ?? '-'} not answered: ${(error as Error).message}`,
      );
    }
  }

  #contact(inbound: Inbound): string {
    const host = this.options.localAddress.includes(':')
      ? `[${this.options.localAddress}]`
      : this.options.localAddress;
    const transport = inbound.transport === 'TCP' ? ';transport=tcp' : '';
    return `<sip:sipwire@${host}:${this.options.localPort}${transport}>`;
  }

  #invite(inbound: Inbound, transaction: ServerTransaction): void {
    this.#respond(transaction, StatusCode.TRYING);
    const contact = this.#contact(inbound);
    const finish = (): void => {
      if (transaction.final) return;
      const code = this.options.inviteCode;
      if (isSuccess(code)) {
        const offer =
          inbound.request.body.length > 0
            ? new TextDecoder().decode(inbound.request.body)
            : undefined;
        this.#respond(transaction, code, {
          contact,
          allow: [...OFFERED_METHODS],
          supported: [...SUPPORTED_OPTION_TAGS],
          body: sdpAnswer(offer, this.options.localAddress, Date.now() % 1_000_000_000),
          contentType: 'application/sdp',
        });
        const callId = getHeader(inbound.request, 'Call-ID') ?? '';
        this.#dialogs.set(this.#dialogKey(callId, transaction.toTag), { callId });
      } else {
        this.#respond(transaction, code);
      }
      // Over UDP the final response is retransmitted until the ACK (RFC 3261 §13.3.1.4, §17.2.1).
      if (inbound.transport === 'UDP') this.#retransmit(transaction, T1);
    };
    if (this.options.ringMs <= 0) {
      this.#respond(transaction, StatusCode.RINGING, { contact });
      finish();
      return;
    }
    this.#respond(transaction, StatusCode.RINGING, { contact });
    transaction.timers.push(this.#later(this.options.ringMs, finish));
  }

  #retransmit(transaction: ServerTransaction, interval: number): void {
    if (interval > 64 * T1) return;
    transaction.timers.push(
      this.#later(interval, () => {
        if (transaction.lastResponse === undefined || transaction.method !== 'INVITE') return;
        if (!transaction.final) return;
        transaction.send(transaction.lastResponse);
        this.#retransmit(transaction, Math.min(interval * 2, T2));
      }),
    );
  }

  #absorbAck(inbound: Inbound, invite: ServerTransaction | undefined): void {
    // An ACK for a non-2xx matches the INVITE transaction; for a 2xx it is a new transaction
    // in the dialog (RFC 3261 §17.1.1.3, §13.2.2.4). Either way it stops retransmissions.
    const stop = (transaction: ServerTransaction): void => {
      for (const timer of transaction.timers) clearTimeout(timer);
      transaction.timers = [];
      transaction.method = 'ACKED';
    };
    if (invite !== undefined) stop(invite);
    else {
      const callId = getHeader(inbound.request, 'Call-ID');
      for (const transaction of this.#transactions.values()) {
        if (
          transaction.method === 'INVITE' &&
          getHeader(transaction.inbound.request, 'Call-ID') === callId
        ) {
          stop(transaction);
        }
      }
    }
    this.#log(inbound, 'absorbed');
  }

  #dialogKey(callId: string, localTag: string): string {
    return `${callId}|${localTag}`;
  }

  #cancel(inbound: Inbound, transaction: ServerTransaction): void {
    // RFC 3261 §9.2: the CANCEL matches the INVITE transaction with the same branch.
    const inviteKey = transactionKey({ ...plain(inbound.request), method: 'INVITE' });
    const invite = inviteKey === undefined ? undefined : this.#transactions.get(inviteKey);
    if (invite === undefined) {
      this.#respond(transaction, StatusCode.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
      return;
    }
    // The 200 to CANCEL carries the INVITE responses' To tag (RFC 3261 §9.2).
    transaction.toTag = invite.toTag;
    this.#respond(transaction, StatusCode.OK);
    if (!invite.final) {
      for (const timer of invite.timers) clearTimeout(timer);
      invite.timers = [];
      this.#respond(invite, StatusCode.REQUEST_TERMINATED);
      if (invite.inbound.transport === 'UDP') this.#retransmit(invite, T1);
    }
  }

  #bye(inbound: Inbound, transaction: ServerTransaction): void {
    const callId = getHeader(inbound.request, 'Call-ID') ?? '';
    const localTag = requestToTag(inbound.request);
    const key = localTag === undefined ? undefined : this.#dialogKey(callId, localTag);
    if (key === undefined || this.#dialogs.get(key) === undefined) {
      this.#respond(transaction, StatusCode.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
      return;
    }
    this.#dialogs.delete(key);
    this.#respond(transaction, StatusCode.OK);
  }

  #register(inbound: Inbound, transaction: ServerTransaction): void {
    const { request } = inbound;
    if (this.#authenticator !== undefined) {
      const credentials = getHeaderValues(request, 'Authorization');
      const verdicts = credentials.map(
        (value) => this.#authenticator?.verify(value, request.method) ?? 'invalid',
      );
      if (!verdicts.includes('ok')) {
        // RFC 3261 §22.2: challenge with 401 and WWW-Authenticate.
        this.#respond(transaction, StatusCode.UNAUTHORIZED, {
          headers: {
            'WWW-Authenticate': this.#authenticator.challenges(verdicts.includes('stale')),
          },
        });
        return;
      }
    }
    const to = parseNameAddr(getHeader(request, 'To') ?? '');
    const aor = to.wildcard ? '' : to.uriText.toLowerCase();
    const expiresHeader = getHeader(request, 'Expires');
    const defaultExpires = expiresHeader === undefined ? 3600 : parseExpires(expiresHeader);
    const contacts = getHeaderValues(request, 'Contact').map((value) => ({
      value,
      parsed: parseNameAddr(value),
    }));
    const now = Date.now();
    let bindings = (this.#bindings.get(aor) ?? []).filter((binding) => binding.expiresAt > now);
    if (contacts.some((contact) => contact.parsed.wildcard)) {
      // RFC 3261 §10.3 step 6: "*" is only valid alone with Expires: 0.
      if (contacts.length !== 1 || defaultExpires !== 0) {
        this.#respond(transaction, StatusCode.BAD_REQUEST, {
          reason: 'Contact * needs Expires: 0 and no other Contact',
        });
        return;
      }
      bindings = [];
    } else {
      for (const { parsed } of contacts) {
        if (parsed.wildcard) continue;
        const expiresParam = parsed.params.get('expires');
        const requested = expiresParam === undefined ? defaultExpires : parseExpires(expiresParam);
        if (requested > 0 && requested < this.options.minExpires) {
          // RFC 3261 §10.3 step 7: too brief, answer 423 with Min-Expires.
          this.#respond(transaction, StatusCode.INTERVAL_TOO_BRIEF, {
            headers: { 'Min-Expires': String(this.options.minExpires) },
          });
          return;
        }
        const granted = Math.min(requested, this.options.maxExpires);
        bindings = bindings.filter((binding) => binding.contact !== parsed.uriText);
        if (granted > 0)
          bindings.push({ contact: parsed.uriText, expiresAt: now + granted * 1000 });
      }
    }
    if (bindings.length > this.options.maxBindingsPerAor) {
      // Local policy: refuse rather than grow (the request changes no state, §10.3).
      this.#respond(transaction, StatusCode.FORBIDDEN, {
        reason: `Forbidden (at most ${this.options.maxBindingsPerAor} bindings per address of record)`,
      });
      return;
    }
    if (bindings.length > 0) this.#bindings.set(aor, bindings);
    else this.#bindings.delete(aor);
    // RFC 3261 §10.3 step 8: the 200 lists every current binding with its expires parameter.
    const contactValues = bindings.map(
      (binding) =>
        `<${binding.contact}>;expires=${Math.max(0, Math.round((binding.expiresAt - now) / 1000))}`,
    );
    const path = getHeaderValues(request, 'Path');
    this.#respond(transaction, StatusCode.OK, {
      ...(contactValues.length > 0 ? { contact: contactValues } : {}),
      headers: { ...(path.length > 0 ? { Path: path } : {}), Date: new Date(now).toUTCString() },
      supported: [...SUPPORTED_OPTION_TAGS],
    });
  }
}

/** A reason phrase naming the problem; the serializer refuses CR/LF, so keep it one plain line. */
function badRequestReason(message: string): string {
  let line = '';
  for (const char of message) line += char < ' ' || char === '\u007f' ? ' ' : char;
  line = line.trim();
  return `Bad Request (${line.length > 80 ? `${line.slice(0, 77)}...` : line})`;
}
