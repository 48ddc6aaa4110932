/**
 * buildRequest(method, requestUri, options): a request outside a dialog that is right by
 * construction (RFC 3261 §8.1.1): Via with a fresh branch, Max-Forwards, To, From with a tag,
 * Call-ID, CSeq, the Contact and other headers the method table asks for, and the body.
 */

import { formatNameAddr } from './fields/format.js';
import { parseCallId, parseUri, parseVia, type Uri } from './fields/index.js';
import { isToken } from './fields/params.js';
import { headerDefinition } from './header-names.js';
import { methodRules } from './methods.js';
import { newBranch, newCallId, newTag } from './random-ids.js';
import {
  checkedValue,
  composeError,
  type RequestHeaderInput,
  readBody,
  readExtraHeaders,
  readInteger,
  readNameAddr,
  withTag,
} from './request-parts.js';
import type { HeaderField, SipRequest } from './types.js';

/** Where the request is sent from: the Via's sent-protocol transport and sent-by (RFC 3261 §18.1.1). */
export interface SentBy {
  /**
   * The transport, a token: `UDP`, `TCP`, `TLS`, `SCTP`, `WS`, `WSS`.
   * @defaultValue 'UDP'
   */
  readonly transport?: string;
  /** The host the responses go to: a domain name, an IPv4 address or a bracketed IPv6 reference. */
  readonly host: string;
  /** The port; left out when absent (the transport's default port applies, §18.1.1). */
  readonly port?: number;
  /**
   * Add an empty `rport`, asking for responses to the source port (RFC 3581 §3).
   * @defaultValue false
   */
  readonly rport?: boolean;
}

/** Options of `buildRequest`: `via` is required, every other field is optional. */
export interface BuildRequestOptions {
  /** The Via's transport and sent-by. */
  readonly via: SentBy;
  /**
   * The Via branch: a token starting with `z9hG4bK` (RFC 3261 §8.1.1.7). Give it to retransmit
   * or for reproducible output.
   * @defaultValue `z9hG4bK` and 64 unpredictable bits as 16 hex digits
   */
  readonly branch?: string;
  /**
   * The From value: a name-addr or a bare URI, without or with its tag.
   * @defaultValue `"Anonymous" <sip:anonymous@anonymous.invalid>` (RFC 3261 §8.1.1.3)
   */
  readonly from?: string;
  /**
   * The From tag (a token).
   * @defaultValue the tag of `from` when it has one, else 64 unpredictable bits as 16 hex digits (§19.3)
   */
  readonly fromTag?: string;
  /**
   * The To value: a name-addr or a bare URI. It carries a tag only inside a dialog (§8.1.1.2).
   * @defaultValue the Request-URI in angle brackets
   */
  readonly to?: string;
  /**
   * The Call-ID (RFC 3261 §8.1.1.4).
   * @defaultValue 128 unpredictable bits as 32 hex digits
   */
  readonly callId?: string;
  /**
   * The CSeq number, 0 to 2^31-1 (RFC 3261 §8.1.1.5).
   * @defaultValue 1
   */
  readonly cseq?: number;
  /**
   * Max-Forwards, 0–255 (RFC 3261 §8.1.1.6).
   * @defaultValue 70
   */
  readonly maxForwards?: number;
  /** The Contact value: where to send requests in the dialog (§8.1.1.8). Required by INVITE, SUBSCRIBE, NOTIFY and REFER. */
  readonly contact?: string;
  /** Route values, in order (a preloaded route set, §8.1.2, or a dialog's route set, §12.2.1.1). */
  readonly route?: readonly string[];
  /** Extra header fields, written after the built ones in the order given; names in any case or compact form. */
  readonly headers?: RequestHeaderInput;
  /** The body: bytes (copied) or text encoded as UTF-8. Needs `contentType` when not empty (§7.4.1). */
  readonly body?: Uint8Array | string;
  /** The body's Content-Type, e.g. `application/sdp`. */
  readonly contentType?: string;
}

const ANONYMOUS_FROM = '"Anonymous" <sip:anonymous@anonymous.invalid>';
const CSEQ_MAX = 2 ** 31 - 1;
const BRANCH_COOKIE = 'z9hG4bK';

/**
 * Builds a request (RFC 3261 §8.1.1). Every request carries Via (with a fresh `z9hG4bK`
 * branch), Max-Forwards, From (with a tag), To, Call-ID and CSeq; the method table adds its
 * own needs (Contact on INVITE, SUBSCRIBE, NOTIFY, REFER; Event on SUBSCRIBE, NOTIFY,
 * PUBLISH; Subscription-State on NOTIFY; Refer-To on REFER; RAck on PRACK; no user part in a
 * REGISTER's Request-URI). Branch, tag and Call-ID come from a keyed generator seeded once by
 * Web Crypto; pass them to choose them. The result passes `validate` with no MUST issue.
 * @param method - the method token, case-sensitive (`INVITE`, or an extension method)
 * @param requestUri - the Request-URI: a SIP, SIPS or other absolute URI, without a headers part
 * @param options - see {@link BuildRequestOptions}; `via` is required
 * @returns the request, frozen
 * @throws ComposeError INVALID_METHOD, INVALID_REQUEST_URI, REQUEST_URI_HAS_USER, INVALID_OPTION,
 * MANAGED_HEADER (a header in `options.headers` that has its own option), MISSING_REQUIRED_HEADER,
 * FORBIDDEN_HEADER, MISSING_CONTENT_TYPE
 * @example
 * ```ts
 * const invite = buildRequest('INVITE', 'sip:bob@biloxi.example.com', {
 *   via: { transport: 'UDP', host: 'pc33.atlanta.example.com' },
 *   from: 'Alice <sip:alice@atlanta.example.com>',
 *   contact: '<sip:alice@pc33.atlanta.example.com>',
 * });
 * socket.send(serialize(invite));
 * ```
 */
export function buildRequest(
  method: string,
  requestUri: string,
  options: BuildRequestOptions,
): SipRequest {
  const subject = `${typeof method === 'string' && isToken(method) ? method : 'a'} request`;
  if (typeof method !== 'string' || !isToken(method)) {
    throw composeError(
      'INVALID_METHOD',
      subject,
      `the method "${String(method)}" is not a token`,
      'RFC 3261 §7.1, §25.1',
    );
  }
  const rules = methodRules(method);
  const uri = readRequestUri(requestUri, subject);
  if (rules.requestUriWithoutUser && uri.kind === 'sip' && uri.user !== undefined) {
    throw composeError(
      'REQUEST_URI_HAS_USER',
      subject,
      `the Request-URI "${requestUri}" has a user part`,
      'RFC 3261 §10.2',
      { advice: 'use the registrar domain, e.g. sip:example.com' },
    );
  }
  const headers: HeaderField[] = [
    { name: 'Via', value: viaValue(options.via, options.branch ?? newBranch(), subject) },
    {
      name: 'Max-Forwards',
      value: String(
        readInteger(
          options.maxForwards ?? 70,
          0,
          255,
          'options.maxForwards',
          'RFC 3261 §8.1.1.6',
          subject,
        ),
      ),
    },
  ];
  for (const route of options.route ?? []) {
    headers.push({
      name: 'Route',
      value: formatNameAddr(readNameAddr(route, 'options.route', 'Route', subject)),
    });
  }
  const from = readNameAddr(options.from ?? ANONYMOUS_FROM, 'options.from', 'From', subject);
  const fromTag = options.fromTag ?? (from.wildcard ? undefined : from.tag) ?? newTag();
  headers.push({ name: 'From', value: withTag(from, fromTag, 'options.from', 'From', subject) });
  const to = readNameAddr(options.to ?? `<${requestUri}>`, 'options.to', 'To', subject);
  headers.push({ name: 'To', value: formatNameAddr(to) });
  headers.push({ name: 'Call-ID', value: readCallId(options.callId ?? newCallId(), subject) });
  const cseq = readInteger(
    options.cseq ?? 1,
    0,
    CSEQ_MAX,
    'options.cseq',
    'RFC 3261 §8.1.1.5',
    subject,
  );
  headers.push({ name: 'CSeq', value: `${cseq} ${method}` });
  if (options.contact !== undefined) {
    const contact = readNameAddr(
      options.contact,
      'options.contact',
      'Contact',
      subject,
      method === 'REGISTER',
    );
    headers.push({ name: 'Contact', value: formatNameAddr(contact) });
  }
  headers.push(...readExtraHeaders(options.headers, subject));
  const { body, fields } = readBody(options.body, options.contentType, subject);
  headers.push(...fields);
  checkMethodRules(method, headers, subject);
  return freezeRequest(method, requestUri, headers, body);
}

/**
 * A request as the builders return it: plain readonly data, frozen.
 * @internal
 */
export function freezeRequest(
  method: string,
  uri: string,
  headers: readonly HeaderField[],
  body: Uint8Array,
): SipRequest {
  return Object.freeze({
    type: 'request',
    method,
    uri,
    version: 'SIP/2.0',
    // The array is the builder's own; freezing each small record too would cost more than the build
    headers: Object.freeze(headers.slice()),
    body,
  });
}

/**
 * The method table's required and forbidden headers, held against the fields built.
 * @throws ComposeError MISSING_REQUIRED_HEADER, FORBIDDEN_HEADER
 * @internal
 */
export function checkMethodRules(
  method: string,
  headers: readonly HeaderField[],
  subject: string,
): void {
  const rules = methodRules(method);
  const has = (header: string): boolean =>
    headers.some((field) => headerDefinition(field.name)?.name === header || field.name === header);
  for (const rule of rules.requires) {
    if (has(rule.header)) continue;
    throw composeError(
      'MISSING_REQUIRED_HEADER',
      subject,
      `${article(rule.header)} ${rule.header} header is required`,
      rule.source,
      {
        header: rule.header,
        advice:
          rule.header === 'Contact'
            ? 'pass options.contact'
            : `pass options.headers['${rule.header}']`,
      },
    );
  }
  for (const rule of rules.forbids) {
    if (!has(rule.header)) continue;
    throw composeError(
      'FORBIDDEN_HEADER',
      subject,
      `${article(rule.header)} ${rule.header} header is not allowed`,
      rule.source,
      {
        header: rule.header,
        advice: `remove ${rule.header}`,
      },
    );
  }
}

/**
 * The indefinite article before a header or method name, for messages.
 * @internal
 */
export function article(word: string): string {
  return 'AEIOU'.includes(word.charAt(0).toUpperCase()) ? 'an' : 'a';
}

/**
 * RFC 3261 §19.1.1 Table 1: a Request-URI has no headers part (and no method parameter).
 * @internal
 */
export function readRequestUri(requestUri: unknown, subject: string): Uri {
  const text = typeof requestUri === 'string' ? requestUri : String(requestUri);
  let uri: Uri;
  try {
    uri = parseUri(text);
  } catch (error) {
    throw composeError(
      'INVALID_REQUEST_URI',
      subject,
      `"${text}" is not a URI`,
      'RFC 3261 §19.1, §25.1',
      { cause: error },
    );
  }
  if (uri.kind === 'sip' && (uri.headers.size > 0 || uri.params.has('method'))) {
    throw composeError(
      'INVALID_REQUEST_URI',
      subject,
      `"${text}" has a headers part or a method parameter, which a Request-URI may not carry`,
      'RFC 3261 §19.1.1',
    );
  }
  return uri;
}

function readCallId(value: unknown, subject: string): string {
  const text = checkedValue(value, 'Call-ID', subject);
  try {
    return parseCallId(text);
  } catch (error) {
    throw composeError(
      'INVALID_OPTION',
      subject,
      `options.callId "${text}" is not a Call-ID`,
      'RFC 3261 §20.8, §25.1',
      {
        header: 'Call-ID',
        cause: error,
      },
    );
  }
}

/**
 * The Via value `SIP/2.0/<transport> <host>[:<port>];branch=<branch>[;rport]`.
 * @throws ComposeError INVALID_OPTION for a bad transport, host, port or branch
 * @internal
 */
export function viaValue(sentBy: SentBy | undefined, branch: string, subject: string): string {
  if (sentBy === undefined || typeof sentBy !== 'object') {
    throw composeError('INVALID_OPTION', subject, 'options.via is required', 'RFC 3261 §8.1.1.7', {
      header: 'Via',
      advice: "pass options.via, e.g. { transport: 'UDP', host: '192.0.2.1', port: 5060 }",
    });
  }
  if (typeof branch !== 'string' || !branch.startsWith(BRANCH_COOKIE) || !isToken(branch)) {
    throw composeError(
      'INVALID_OPTION',
      subject,
      `the branch "${String(branch)}" is not a token starting with z9hG4bK`,
      'RFC 3261 §8.1.1.7',
      { header: 'Via' },
    );
  }
  const transport = sentBy.transport ?? 'UDP';
  const port =
    sentBy.port === undefined
      ? ''
      : `:${readInteger(sentBy.port, 0, 65535, 'options.via.port', 'RFC 3261 §25.1', subject)}`;
  const value = `SIP/2.0/${String(transport).toUpperCase()} ${String(sentBy.host)}${port};branch=${branch}${sentBy.rport === true ? ';rport' : ''}`;
  try {
    checkedValue(value, 'Via', subject);
    const via = parseVia(value);
    if (via.branch !== branch || via.port !== sentBy.port)
      throw new Error('sent-by is not host[:port]');
  } catch (error) {
    throw composeError(
      'INVALID_OPTION',
      subject,
      `options.via does not make a Via: "${value}"`,
      'RFC 3261 §20.42, §25.1',
      { header: 'Via', advice: 'give a token transport, a host and a port 0–65535', cause: error },
    );
  }
  return value;
}
