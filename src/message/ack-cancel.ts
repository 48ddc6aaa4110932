/**
 * buildAck(invite, response) and buildCancel(invite): the two requests made from an INVITE
 * rather than from options. The ACK of a non-2xx belongs to the INVITE's transaction
 * (RFC 3261 §17.1.1.3); the ACK of a 2xx is a request of the dialog (§13.2.2.4); a CANCEL
 * matches the INVITE it cancels (§9.1).
 */
import { isFinal, isSuccess, StatusCodeError } from '../codes/index.js';
import { article, checkMethodRules, freezeRequest } from './build-request.js';
import {
  buildInDialogRequest,
  createUacDialog,
  cseqNumberOf,
  type Dialog,
  withRemoteTargetOf,
} from './dialog-record.js';
import { parseVia } from './fields/index.js';
import { getHeader, getHeaders, getHeaderValues } from './headers.js';
import {
  composeError,
  type RequestHeaderInput,
  readExtraHeaders,
  readInteger,
} from './request-parts.js';
import type { HeaderField, SipRequest, SipResponse } from './types.js';

/** Options of `buildAck`. Every field is optional. */
export interface BuildAckOptions {
  /**
   * For the ACK of a 2xx: the Via branch of its new transaction (§13.2.2.4).
   * @defaultValue a fresh one; the ACK of a non-2xx always reuses the INVITE's branch
   */
  readonly branch?: string;
  /**
   * For the ACK of a 2xx: the dialog, when one is kept already (its route set is used; its
   * remote target is refreshed from the 2xx's Contact, §12.2.1.2).
   * @defaultValue `createUacDialog(invite, response)`
   */
  readonly dialog?: Dialog;
  /** For the ACK of a 2xx: a body (the SDP answer when the INVITE had no offer, §13.2.2.4). */
  readonly body?: Uint8Array | string;
  /** The body's Content-Type. */
  readonly contentType?: string;
  /** Extra header fields for the ACK of a 2xx. */
  readonly headers?: RequestHeaderInput;
}

/** Options of `buildCancel`. Every field is optional. */
export interface BuildCancelOptions {
  /**
   * Max-Forwards, 0–255.
   * @defaultValue 70
   */
  readonly maxForwards?: number;
  /** Extra header fields, e.g. `{ Reason: 'SIP;cause=480;text="Gone"' }` (RFC 3326). */
  readonly headers?: RequestHeaderInput;
}

function requireInvite(request: SipRequest, subject: string): void {
  if (request?.type === 'request' && request.method === 'INVITE') return;
  throw composeError(
    'NOT_AN_INVITE',
    subject,
    `the request is ${request?.type === 'request' ? `${article(request.method)} ${request.method}` : 'not a request'}, not an INVITE`,
    subject === 'ACK' ? 'RFC 3261 §17.1.1.3' : 'RFC 3261 §9.1',
  );
}

/** A header the INVITE must have, copied exactly. */
function copied(invite: SipRequest, header: string, subject: string): string {
  const value = getHeader(invite, header);
  if (value === undefined) {
    throw composeError(
      'MISSING_HEADER',
      subject,
      `the INVITE has no ${header} to copy`,
      'RFC 3261 §8.1.1',
      {
        header,
      },
    );
  }
  return value;
}

/** The INVITE's top Via value (its first value, even from a comma-combined field). */
function topVia(invite: SipRequest, subject: string): string {
  let first: string | undefined;
  try {
    first = getHeaderValues(invite, 'Via')[0];
    if (first !== undefined) parseVia(first);
  } catch {
    first = undefined;
  }
  if (first === undefined) {
    throw composeError(
      'MISSING_HEADER',
      subject,
      'the INVITE has no usable Via',
      'RFC 3261 §8.1.1.7',
      {
        header: 'Via',
      },
    );
  }
  return first;
}

/** Every Route field of the INVITE, in order. */
function routes(invite: SipRequest): HeaderField[] {
  return getHeaders(invite, 'Route').map((field) => ({ name: 'Route', value: field.value }));
}

/**
 * Builds the ACK for a final response to an INVITE.
 *
 * For a 300–699 (RFC 3261 §17.1.1.3): the INVITE's Request-URI, its top Via alone (same
 * branch), its From, Call-ID and Route, the response's To (with its tag), and CSeq with the
 * INVITE's number and method ACK.
 *
 * For a 2xx (§13.2.2.4): a request of the dialog, in a new transaction: a new branch on the
 * INVITE's sent-by, the remote target (the 2xx's Contact) as Request-URI, the route set from
 * Record-Route reversed (loose or strict routing, §12.2.1.1), the INVITE's CSeq number, and
 * its Authorization and Proxy-Authorization.
 * @param invite - the INVITE sent
 * @param response - its final response
 * @param options - see {@link BuildAckOptions}
 * @returns the ACK, frozen
 * @throws ComposeError NOT_AN_INVITE, NOT_A_FINAL_RESPONSE, MISSING_HEADER (the INVITE or the
 * response lacks a header the ACK copies), NO_DIALOG (a 2xx without To tag or Contact),
 * INVALID_OPTION, MANAGED_HEADER, MISSING_CONTENT_TYPE
 * @example
 * ```ts
 * if (isFinal(response.status)) socket.send(serialize(buildAck(invite, response)));
 * ```
 */
export function buildAck(
  invite: SipRequest,
  response: SipResponse,
  options?: BuildAckOptions,
): SipRequest {
  const subject = 'ACK';
  requireInvite(invite, subject);
  let success: boolean;
  try {
    if (!isFinal(response.status)) {
      throw composeError(
        'NOT_A_FINAL_RESPONSE',
        subject,
        `a ${response.status} is provisional and is not acknowledged`,
        'RFC 3261 §17.1.1.3',
      );
    }
    success = isSuccess(response.status);
  } catch (error) {
    if (!(error instanceof StatusCodeError)) throw error;
    throw composeError(
      'NOT_A_FINAL_RESPONSE',
      subject,
      `${String(response.status)} is not a status code`,
      'RFC 3261 §7.2',
    );
  }
  const cseq = cseqNumberOf(invite, subject);
  if (success) return ackForSuccess(invite, response, cseq, options);
  const to = getHeader(response, 'To');
  if (to === undefined) {
    throw composeError(
      'MISSING_HEADER',
      subject,
      'the response has no To to copy',
      'RFC 3261 §17.1.1.3',
      {
        header: 'To',
      },
    );
  }
  // RFC 3261 §17.1.1.3: the ACK of a non-2xx is part of the INVITE's transaction
  const headers: HeaderField[] = [
    { name: 'Via', value: topVia(invite, subject) },
    { name: 'Max-Forwards', value: '70' },
    ...routes(invite),
    { name: 'From', value: copied(invite, 'From', subject) },
    { name: 'To', value: to },
    { name: 'Call-ID', value: copied(invite, 'Call-ID', subject) },
    { name: 'CSeq', value: `${cseq} ACK` },
  ];
  return freezeRequest('ACK', invite.uri, headers, new Uint8Array(0));
}

function ackForSuccess(
  invite: SipRequest,
  response: SipResponse,
  cseq: number,
  options: BuildAckOptions | undefined,
): SipRequest {
  const dialog =
    options?.dialog === undefined
      ? createUacDialog(invite, response)
      : withRemoteTargetOf(options.dialog, response);
  const via = parseVia(topVia(invite, 'ACK'));
  // RFC 3261 §13.2.2.4: the ACK carries the INVITE's credentials
  const credentials: Record<string, string[]> = {};
  for (const header of ['Authorization', 'Proxy-Authorization']) {
    const values = getHeaders(invite, header).map((field) => field.value);
    if (values.length > 0) credentials[header] = values;
  }
  readExtraHeaders(options?.headers, 'ACK');
  const { request } = buildInDialogRequest(dialog, 'ACK', {
    via: {
      transport: via.transport,
      host: via.host,
      ...(via.port !== undefined && { port: via.port }),
      rport: via.rport !== undefined,
    },
    cseq,
    ...(options?.branch !== undefined && { branch: options.branch }),
    headers: { ...credentials, ...options?.headers },
    ...(options?.body !== undefined && { body: options.body }),
    ...(options?.contentType !== undefined && { contentType: options.contentType }),
  });
  return request;
}

/**
 * Builds the CANCEL of an INVITE (RFC 3261 §9.1): the same Request-URI, Call-ID, To, From and
 * CSeq number (method CANCEL), the INVITE's top Via alone (so the same branch), its Route
 * fields, and Max-Forwards.
 * @param invite - the INVITE to cancel
 * @param options - see {@link BuildCancelOptions}
 * @returns the CANCEL, frozen
 * @throws ComposeError NOT_AN_INVITE, MISSING_HEADER, INVALID_OPTION, MANAGED_HEADER,
 * FORBIDDEN_HEADER (Require or Proxy-Require, RFC 3261 §8.2.2.3)
 * @example
 * ```ts
 * socket.send(serialize(buildCancel(invite)));
 * ```
 */
export function buildCancel(invite: SipRequest, options?: BuildCancelOptions): SipRequest {
  const subject = 'CANCEL';
  requireInvite(invite, subject);
  const maxForwards = readInteger(
    options?.maxForwards ?? 70,
    0,
    255,
    'options.maxForwards',
    'RFC 3261 §8.1.1.6',
    subject,
  );
  const headers: HeaderField[] = [
    { name: 'Via', value: topVia(invite, subject) },
    { name: 'Max-Forwards', value: String(maxForwards) },
    ...routes(invite),
    { name: 'From', value: copied(invite, 'From', subject) },
    { name: 'To', value: copied(invite, 'To', subject) },
    { name: 'Call-ID', value: copied(invite, 'Call-ID', subject) },
    { name: 'CSeq', value: `${cseqNumberOf(invite, subject)} CANCEL` },
    ...readExtraHeaders(options?.headers, subject),
  ];
  checkMethodRules('CANCEL', headers, subject);
  return freezeRequest('CANCEL', invite.uri, headers, new Uint8Array(0));
}
