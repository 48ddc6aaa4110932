/**
 * The To tag of a response, derived from the request it answers rather than drawn per response:
 * a keyed hash (HalfSipHash-2-4, 64 bits) over the request's identity, so every response to one
 * request carries one tag (RFC 3261 §8.2.6.2), a retransmitted request gets its tag again even
 * from a stateless responder (§8.2.7), the 200 to a CANCEL gets the tag of the INVITE's
 * responses (§9.2), and several processes that share a key agree. The key is 64 random bits
 * drawn once per process, or the caller's, so a tag is unpredictable to anyone without the key
 * (§19.3 asks for at least 32 random bits).
 */

import { parseCSeq, parseNameAddr, parseVia } from './fields/index.js';
import { halfSipHash } from './half-siphash.js';
import { getHeader, getHeaderValues } from './headers.js';
import { requestIdentity } from './request-facts.js';
import type { SipRequest } from './types.js';

/** A secret key for `toTagFor` and `options.tagKey`: make one with `createTagKey`. */
export interface TagKey {
  /** The key as two 32-bit words. @internal */
  readonly words: readonly [number, number];
}

/**
 * The parts of a request that identify it: the top Via branch, the From tag, the Call-ID and
 * the CSeq number. Two requests of one UAC differ in at least one (RFC 3261 §8.1.1.4, §8.1.1.5,
 * §8.1.1.7); a retransmission and the CANCEL of a request share all four (§9.1). The CSeq
 * method is left out on purpose, so a CANCEL's 200 carries the INVITE's tag.
 * @internal
 */
export interface RequestIdentity {
  /** The top Via's branch ('' when it has none), or the first Via field when it does not parse. */
  readonly branch: string;
  /** The From tag; '' when From has none (an RFC 2543 peer); its whole value when unreadable. */
  readonly fromTag: string;
  /** Whether the From parses (or is absent): a request whose From does not is answered 400. */
  readonly fromReadable: boolean;
  readonly callId: string;
  /** The CSeq number as written, or the whole value when it does not parse. */
  readonly cseq: string;
}

let processKey: TagKey | undefined;

/** 64 bits from the platform's CSPRNG, drawn on first use: one call per process. */
function defaultKey(): TagKey {
  processKey ??= createTagKey();
  return processKey;
}

/**
 * Makes a key for To tags. Responders that must agree on tags (processes behind one load
 * balancer, a restarted stateless responder) pass the same secret; the default key is drawn
 * once per process.
 * @param secret - at least 8 bytes; longer secrets are folded into the 64-bit key. Absent: 8
 * random bytes from `crypto.getRandomValues`
 * @returns the key
 * @throws RangeError when `secret` is shorter than 8 bytes
 */
export function createTagKey(secret?: Uint8Array): TagKey {
  let bytes = secret;
  if (bytes === undefined) bytes = crypto.getRandomValues(new Uint8Array(8));
  if (bytes.byteLength < 8) throw new RangeError('A tag key needs a secret of at least 8 bytes');
  if (bytes.byteLength === 8) {
    return Object.freeze({ words: [readWord(bytes, 0), readWord(bytes, 4)] as const });
  }
  const [low, high] = halfSipHash(0, 0, bytes, bytes.byteLength, 2);
  return Object.freeze({ words: [low | 0, high | 0] as const });
}

function readWord(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] as number) |
    ((bytes[at + 1] as number) << 8) |
    ((bytes[at + 2] as number) << 16) |
    ((bytes[at + 3] as number) << 24)
  );
}

/**
 * The To tag a UAS gives its responses to `request` (RFC 3261 §8.2.6.2): 16 hex digits, the
 * same for every call with the same request identity and key.
 * @param request - the request answered
 * @param key - from `createTagKey`; default: the process's own
 * @returns the tag (derived from the From's text when the From does not parse)
 */
export function toTagFor(request: SipRequest, key: TagKey = defaultKey()): string {
  return tagOf(identityOf(request), key);
}

/**
 * The request's identity: kept by the parser's requests, read from the fields otherwise.
 * @internal
 */
export function identityOf(request: SipRequest): RequestIdentity {
  return requestIdentity(request) ?? readIdentity(request);
}

/**
 * The default key of this process, drawn on first use.
 * @internal
 */
export function processTagKey(): TagKey {
  return defaultKey();
}

/**
 * The identity read from the header fields, for a request that does not know it (a plain
 * SipRequest).
 * @internal
 */
export function readIdentity(request: SipRequest): RequestIdentity {
  let fromTag = '';
  let fromReadable = true;
  const fromValue = getHeader(request, 'From');
  if (fromValue !== undefined) {
    try {
      const from = parseNameAddr(fromValue);
      fromReadable = !from.wildcard;
      fromTag = from.wildcard ? fromValue : (from.tag ?? '');
    } catch {
      fromReadable = false;
      fromTag = fromValue;
    }
  }
  let branch: string;
  try {
    branch = parseVia(getHeaderValues(request, 'Via')[0] ?? '').branch ?? '';
  } catch {
    branch = getHeader(request, 'Via') ?? '';
  }
  const cseqValue = getHeader(request, 'CSeq') ?? '';
  let cseq: string;
  try {
    cseq = String(parseCSeq(cseqValue).seq);
  } catch {
    cseq = cseqValue;
  }
  return { branch, fromTag, fromReadable, callId: getHeader(request, 'Call-ID') ?? '', cseq };
}

/** Scratch bytes for the hash input: responses are built one at a time. */
let scratch = new Uint8Array(256);
let used = 0;

/**
 * Appends a string as bytes: ASCII as one byte, any other UTF-16 unit as 0xFF and its two bytes
 * (0xFF is no ASCII byte, so the encoding is one-to-one); a two-byte length goes first, so no
 * two lists of parts encode alike.
 */
function put(text: string): void {
  const need = used + 2 + 3 * text.length;
  if (need > scratch.length) {
    const grown = new Uint8Array(Math.max(need, scratch.length * 2));
    grown.set(scratch.subarray(0, used));
    scratch = grown;
  }
  scratch[used++] = text.length & 0xff;
  scratch[used++] = (text.length >>> 8) & 0xff;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) scratch[used++] = unit;
    else {
      scratch[used++] = 0xff;
      scratch[used++] = unit & 0xff;
      scratch[used++] = unit >>> 8;
    }
  }
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

function hexWord(word: number): string {
  return (
    (HEX[word >>> 24] as string) +
    (HEX[(word >>> 16) & 0xff] as string) +
    (HEX[(word >>> 8) & 0xff] as string) +
    (HEX[word & 0xff] as string)
  );
}

/**
 * The last tag derived for an identity: the parser's requests keep their identity object, so a
 * request answered several times (18x, then a final) hashes once.
 */
const DERIVED = new WeakMap<RequestIdentity, { readonly key: TagKey; readonly tag: string }>();

/**
 * The tag for an identity under a key.
 * @internal
 */
export function tagOf(identity: RequestIdentity, key: TagKey): string {
  const known = DERIVED.get(identity);
  if (known !== undefined && known.key === key) return known.tag;
  const tag = hashTag(identity, key);
  DERIVED.set(identity, { key, tag });
  return tag;
}

function hashTag(identity: RequestIdentity, key: TagKey): string {
  used = 0;
  put(identity.branch);
  put(identity.fromTag);
  put(identity.callId);
  put(identity.cseq);
  const [low, high] = halfSipHash(key.words[0], key.words[1], scratch, used, 2);
  return hexWord(high) + hexWord(low);
}
