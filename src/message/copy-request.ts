/**
 * What a response copies from its request (RFC 3261 §8.2.6): the Via fields, From, Call-ID,
 * CSeq, the To with its tag, and a 100's Timestamp. Part of buildResponse.
 */
import { StatusCode } from '../codes/index.js';
import type { BuildResponseOptions } from './build-response.js';
import { knownHeaderId, nextField } from './dialog.js';
import { BuildError, type Issue, makeIssue } from './errors.js';
import { isToken } from './fields/index.js';
import { requestToTagOf } from './request-facts.js';
import { conflict, type Facts, hasExtra, invalidOption } from './response-options.js';
import { identityOf, processTagKey, tagOf } from './to-tag.js';
import type { HeaderField, SipRequest } from './types.js';

const VIA = knownHeaderId('Via');
const TO = knownHeaderId('To');
const TIMESTAMP = knownHeaderId('Timestamp');

/**
 * Copies every field of a header, in order, under its canonical name.
 * @param ids - `headerIds(request.headers)`
 * @param id - the header's id
 * @returns how many fields were copied
 * @internal
 */
export function copyAll(
  request: SipRequest,
  ids: readonly number[],
  id: number,
  name: string,
  headers: HeaderField[],
): number {
  let count = 0;
  for (let i = nextField(ids, id); i !== -1; i = nextField(ids, id, i + 1)) {
    headers.push({ name, value: (request.headers[i] as HeaderField).value });
    count++;
  }
  return count;
}

/** The first field of a header, or undefined. */
function firstOf(request: SipRequest, ids: readonly number[], id: number): HeaderField | undefined {
  const at = nextField(ids, id);
  return at === -1 ? undefined : (request.headers[at] as HeaderField);
}

/** Whether a header has more than one field. */
function isRepeated(ids: readonly number[], id: number): boolean {
  const at = nextField(ids, id);
  return at !== -1 && nextField(ids, id, at + 1) !== -1;
}

function missingFromRequest(name: string, warnings: Issue[]): void {
  warnings.push(
    makeIssue({
      code: 'MISSING_MANDATORY_HEADER',
      severity: 'MUST',
      header: name,
      source: 'RFC 3261 §8.1.1, §8.2.6.2',
      problem: `The request has no ${name}, so the response has none to copy`,
    }),
  );
}

/** RFC 3261 §8.2.6.2: every Via field, in order, comma-combined fields as they are. @internal */
export function copyVia(
  request: SipRequest,
  ids: readonly number[],
  headers: HeaderField[],
  warnings: Issue[],
): void {
  if (copyAll(request, ids, VIA, 'Via', headers) === 0) missingFromRequest('Via', warnings);
}

/**
 * RFC 3261 §8.2.6.2: From, Call-ID and CSeq are copied exactly; a repeat keeps the first.
 * @param id - the header's id (`knownHeaderId(name)`)
 * @internal
 */
export function copyFirst(
  request: SipRequest,
  ids: readonly number[],
  id: number,
  name: 'From' | 'Call-ID' | 'CSeq',
  headers: HeaderField[],
  warnings: Issue[],
): void {
  const first = firstOf(request, ids, id);
  if (first === undefined) {
    missingFromRequest(name, warnings);
    return;
  }
  if (isRepeated(ids, id)) repeated(name, warnings);
  headers.push({ name, value: first.value });
}

function repeated(name: string, warnings: Issue[]): void {
  warnings.push(
    makeIssue({
      code: 'REPEATED_SINGLE_HEADER',
      severity: 'MUST',
      header: name,
      source: 'RFC 3261 §7.3',
      problem: `The request has several ${name} fields; the response copies the first`,
    }),
  );
}

/** The To of a response, and the tag it carries (undefined: none, or a To that does not parse). */
export interface ResponseTo {
  readonly value: string;
  /** Whether the To carries a tag; undefined when the request's To does not parse. */
  readonly hasTag: boolean | undefined;
  readonly tag: string | undefined;
}

/**
 * RFC 3261 §8.2.6.2: To is copied; a tag is added when it has none, except on a 100. The tag is
 * `options.toTag`, else derived from the request's identity (to-tag.ts), so every response to
 * one request carries the same one. A request whose To or From does not parse can be answered
 * only with 100 or 400 (§8.1.3.3 and §21.4.1: a malformed request gets 400).
 * @internal
 */
export function buildTo(
  request: SipRequest,
  ids: readonly number[],
  code: number,
  options: BuildResponseOptions,
  facts: Facts,
  warnings: Issue[],
): ResponseTo | undefined {
  if (options.toTag !== undefined && !isToken(options.toTag)) {
    throw invalidOption(facts, 'options.toTag must be a token', 'RFC 3261 §19.3, §25.1');
  }
  const answersMalformed = code === StatusCode.BAD_REQUEST || code === StatusCode.TRYING;
  const identity =
    options.toTag === undefined || !answersMalformed ? identityOf(request) : undefined;
  if (identity !== undefined && !identity.fromReadable && !answersMalformed) {
    throw unreadableHeader('From', facts);
  }
  const first = firstOf(request, ids, TO);
  if (first === undefined) {
    missingFromRequest('To', warnings);
    return undefined;
  }
  if (isRepeated(ids, TO)) repeated('To', warnings);
  const current = requestToTagOf(request, first.value);
  if (current === undefined) {
    if (!answersMalformed) throw unreadableHeader('To', facts);
    warnings.push(
      makeIssue({
        code: 'INVALID_HEADER_VALUE',
        severity: 'MUST',
        header: 'To',
        source: 'RFC 3261 §20.39',
        problem: "The request's To does not parse, so it is copied without adding a tag",
      }),
    );
    return { value: first.value, hasTag: undefined, tag: undefined };
  }
  if (current.tag !== undefined) {
    if (options.toTag !== undefined && options.toTag !== current.tag) {
      throw new BuildError('TO_TAG_CONFLICT', {
        ...facts,
        header: 'To',
        problem: `the request's To already carries tag "${current.tag}", which the response must keep`,
        source: 'RFC 3261 §8.2.6.2',
        advice: 'leave out options.toTag for in-dialog requests',
      });
    }
    return { value: first.value, hasTag: true, tag: current.tag };
  }
  // RFC 3261 §8.2.6.2: a 100 is the one response that need not carry a tag
  if (code === StatusCode.TRYING && options.toTag === undefined) {
    return { value: first.value, hasTag: false, tag: undefined };
  }
  const tag =
    options.toTag ?? tagOf(identity ?? identityOf(request), options.tagKey ?? processTagKey());
  return { value: `${first.value};tag=${tag}`, hasTag: true, tag };
}

function unreadableHeader(header: 'To' | 'From', facts: Facts): BuildError {
  return new BuildError('INVALID_REQUEST_HEADER', {
    ...facts,
    header,
    problem: `the request's ${header} does not parse, so the response cannot identify the dialog`,
    source: 'RFC 3261 §8.1.3.3, §21.4.1',
    advice: 'answer 400 Bad Request, which copies the header as it is',
  });
}

/** RFC 3261 §8.2.6.1: a 100 copies the request's Timestamp, plus the delay when given. @internal */
export function copyTimestamp(
  request: SipRequest,
  ids: readonly number[],
  code: number,
  options: BuildResponseOptions,
  facts: Facts,
  extra: readonly HeaderField[],
  headers: HeaderField[],
): void {
  const delay = options.timestampDelay;
  if (code !== StatusCode.TRYING) {
    if (delay !== undefined) {
      throw invalidOption(
        facts,
        'options.timestampDelay applies to a 100 Trying only',
        'RFC 3261 §8.2.6.1',
      );
    }
    return;
  }
  if (
    delay !== undefined &&
    !(typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 && delay < 1e12)
  ) {
    throw invalidOption(
      facts,
      'options.timestampDelay must be a number of seconds, 0 or more',
      'RFC 3261 §20.38',
    );
  }
  const timestamp = firstOf(request, ids, TIMESTAMP);
  if (timestamp === undefined) return;
  if (hasExtra(extra, 'Timestamp')) {
    throw conflict(
      facts,
      'Timestamp',
      "the request's Timestamp, copied into a 100",
      'options.headers.Timestamp',
    );
  }
  const value =
    delay === undefined
      ? timestamp.value
      : `${timestamp.value.split(/[ \t]/, 1)[0] ?? timestamp.value} ${formatDelay(delay)}`;
  headers.push({ name: 'Timestamp', value });
}

/** RFC 3261 §20.38: delay = *(DIGIT) [ "." *(DIGIT) ], never an exponent. */
function formatDelay(seconds: number): string {
  return seconds.toFixed(3).replace(/\.?0+$/, '');
}
