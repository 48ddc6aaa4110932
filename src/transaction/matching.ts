/**
 * RFC 3261 §17.2.3: which server transaction a request belongs to, as string keys for hash
 * lookups (never a scan). A request whose top Via branch starts with the magic cookie is matched
 * by branch, sent-by and method (an ACK matches the INVITE); an older (RFC 2543) request by its
 * Request-URI, tags, Call-ID, CSeq and top Via. Also the CANCEL's target (§9.2) and the dialog
 * an ACK for a 2xx belongs to (§13.2.2.4, §12.2.1.1).
 */
import {
  getHeader,
  getHeaderValues,
  parseCSeq,
  parseNameAddr,
  parseVia,
  type SipRequest,
  type Via,
} from '../message/index.js';

/** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this. */
const MAGIC_COOKIE = 'z9hG4bK';

/** What matching reads from a request. */
export interface MatchFacts {
  /** The method of the Request-Line. */
  readonly method: string;
  /** Whether the top Via branch carries the magic cookie (RFC 3261 §17.2.3). */
  readonly rfc3261: boolean;
  /** The top Via's branch ('' when absent). */
  readonly branch: string;
  /** The top Via's sent-by, `host:port` (port empty when absent). */
  readonly sentBy: string;
  /**
   * The top Via, written back from its parsed form (RFC 2543 matching compares it whole); ''
   * for a request with the magic cookie, whose matching never reads it.
   */
  readonly topVia: string;
  readonly uri: string;
  readonly callId: string;
  /** The CSeq number as written, or the whole value when it does not parse. */
  readonly cseqNumber: string;
  /** The CSeq method ('' when it does not parse). */
  readonly cseqMethod: string;
  /** The From tag ('' when none or unreadable). */
  readonly fromTag: string;
  /** The To tag ('' when none or unreadable). */
  readonly toTag: string;
}

/** The typed accessors of the parser's requests that matching reads when they are there. */
interface Accessors {
  readonly topVia: Via | undefined;
  readonly callId: string | undefined;
  readonly cseq: { readonly seq: number; readonly method: string } | undefined;
  readonly fromTag: string | undefined;
  readonly toTag: string | undefined;
}

function hasAccessors(request: SipRequest): request is SipRequest & Accessors {
  return 'topVia' in request && 'fromTag' in request;
}

function quietly<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

function tagOf(value: string | undefined): string {
  if (value === undefined) return '';
  return quietly(() => {
    const parsed = parseNameAddr(value);
    return parsed.wildcard ? '' : (parsed.tag ?? '');
  }, '');
}

/**
 * The facts matching needs, or undefined when the request has no top Via that parses: such a
 * request cannot be answered at all (responses are routed by the top Via, RFC 3261 §18.2.2).
 */
export function readMatchFacts(request: SipRequest): MatchFacts | undefined {
  let via: Via | undefined;
  try {
    via = hasAccessors(request)
      ? request.topVia
      : parseVia(getHeaderValues(request, 'Via')[0] ?? '');
  } catch {
    return undefined;
  }
  if (via === undefined) return undefined;
  const branch = via.branch ?? '';
  const sentBy = `${via.host}:${via.port ?? ''}`;
  const rfc3261 = branch.startsWith(MAGIC_COOKIE);
  let topVia = '';
  if (!rfc3261) {
    topVia = `${via.protocolName}/${via.protocolVersion}/${via.transport} ${sentBy}`;
    for (const [name, value] of via.params) {
      topVia += value === undefined ? `;${name}` : `;${name}=${value}`;
    }
  }
  const cseq = quietly(
    () => (hasAccessors(request) ? request.cseq : parseCSeq(getHeader(request, 'CSeq') ?? '')),
    undefined,
  );
  const common = {
    method: request.method,
    rfc3261,
    branch,
    sentBy,
    topVia,
    uri: request.uri,
    cseqNumber: cseq === undefined ? (getHeader(request, 'CSeq') ?? '') : String(cseq.seq),
    cseqMethod: cseq?.method ?? '',
  };
  if (hasAccessors(request)) {
    return {
      ...common,
      callId: request.callId ?? '',
      fromTag: quietly(() => request.fromTag ?? '', ''),
      toTag: quietly(() => request.toTag ?? '', ''),
    };
  }
  return {
    ...common,
    callId: getHeader(request, 'Call-ID') ?? '',
    fromTag: tagOf(getHeader(request, 'From')),
    toTag: tagOf(getHeader(request, 'To')),
  };
}

const SEPARATOR = '\u0000';

/**
 * RFC 3261 §17.2.3: the key of the server transaction a request belongs to. An ACK gets the key
 * of the INVITE transaction it may acknowledge (a non-2xx's ACK shares its branch); an RFC 2543
 * ACK is matched with `ackKey` instead, since its To carries the response's tag.
 */
export function transactionKey(facts: MatchFacts): string {
  const method = facts.method === 'ACK' ? 'INVITE' : facts.method;
  if (facts.rfc3261) return ['b', facts.branch, facts.sentBy, method].join(SEPARATOR);
  return [
    'o',
    facts.uri,
    facts.toTag,
    facts.fromTag,
    facts.callId,
    facts.cseqNumber,
    facts.cseqMethod,
    facts.topVia,
  ].join(SEPARATOR);
}

/**
 * RFC 3261 §17.2.3, for RFC 2543 peers: the key an ACK is matched by, the To tag being the
 * tag of the response the INVITE transaction sent. The transaction registers it under the tag
 * of its final response; the ACK looks it up under its own To tag.
 */
export function rfc2543AckKey(facts: MatchFacts, toTag: string): string {
  return ['a', facts.uri, facts.fromTag, facts.callId, facts.cseqNumber, facts.topVia, toTag].join(
    SEPARATOR,
  );
}

/**
 * RFC 3261 §9.2: the transaction a CANCEL cancels is found by the §17.2.3 rules with the method
 * taken as anything but CANCEL or ACK: so this key leaves the method out. Transactions other
 * than ACK and CANCEL register under it; a CANCEL looks it up.
 */
export function cancelTargetKey(facts: MatchFacts): string {
  if (facts.rfc3261) return ['c', facts.branch, facts.sentBy].join(SEPARATOR);
  return [
    'd',
    facts.uri,
    facts.toTag,
    facts.fromTag,
    facts.callId,
    facts.cseqNumber,
    facts.topVia,
  ].join(SEPARATOR);
}

/**
 * RFC 3261 §13.2.2.4, §12.2.1.1: the ACK for a 2xx is a new transaction in the dialog, with the
 * INVITE's CSeq number: it is matched to the INVITE transaction by Call-ID, the tags and the
 * CSeq number. `localTag` is the tag of the 2xx (the ACK's To tag).
 */
export function dialogAckKey(facts: MatchFacts, localTag: string): string {
  return ['g', facts.callId, facts.fromTag, localTag, facts.cseqNumber].join(SEPARATOR);
}
