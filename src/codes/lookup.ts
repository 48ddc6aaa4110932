/**
 * Lookups over the status-code table: phrases, classes, class predicates and per-code header
 * rules. The maps are built once, when the module loads, from the table rows.
 */
import type { StatusCode } from './constants.js';
import { statusCodes } from './constants.js';
import { StatusCodeError } from './errors.js';
import type { HeaderRule, StatusClass, StatusCodeEntry } from './types.js';

/** The hundreds digit of a valid status code (RFC 3261 §7.2). */
type ClassDigit = 1 | 2 | 3 | 4 | 5 | 6;

interface CodeInfoFacts {
  /** The class, from the hundreds digit (RFC 3261 §7.2). */
  readonly statusClass: StatusClass;
  /** The code a UAC acts on: the code itself when known, else its class default (RFC 3261 §8.1.3.2). */
  readonly treatedAs: StatusCode;
  /** The table row of `treatedAs`. */
  readonly treatedAsEntry: StatusCodeEntry;
  /** One sentence saying whether the code is registered and, if not, how it is treated. */
  readonly note: string;
}

/** Facts about a registered status code. */
export interface KnownCodeInfo extends CodeInfoFacts {
  readonly code: StatusCode;
  readonly known: true;
  /** The code's own table row. */
  readonly entry: StatusCodeEntry;
}

/** Facts about an unregistered code inside 100–699. */
export interface UnknownCodeInfo extends CodeInfoFacts {
  readonly code: number;
  readonly known: false;
  readonly entry: undefined;
}

/** What `codeInfo` returns: `known` tells which of the two shapes it is. */
export type CodeInfo = KnownCodeInfo | UnknownCodeInfo;

const entryByCode = new Map<number, StatusCodeEntry>(statusCodes.map((row) => [row.code, row]));

const CLASS_BY_DIGIT: Readonly<Record<ClassDigit, StatusClass>> = {
  1: 'provisional',
  2: 'success',
  3: 'redirection',
  4: 'client-error',
  5: 'server-error',
  6: 'global-failure',
};

function tableRow(code: number): StatusCodeEntry {
  const row = entryByCode.get(code);
  if (row === undefined) throw new Error(`The status-code table lacks ${code}`);
  return row;
}

// RFC 3261 §8.1.3.2: an unknown final code is treated as x00 of its class, an unknown
// provisional code other than 100 as 183 (Session Progress).
const FALLBACK_BY_DIGIT: Readonly<Record<ClassDigit, StatusCodeEntry>> = {
  1: tableRow(183),
  2: tableRow(200),
  3: tableRow(300),
  4: tableRow(400),
  5: tableRow(500),
  6: tableRow(600),
};

const knownInfoByCode = new Map<number, KnownCodeInfo>(
  statusCodes.map((entry) => {
    const statusClass = CLASS_BY_DIGIT[digitOf(entry.code)];
    const info: KnownCodeInfo = Object.freeze({
      code: entry.code as StatusCode,
      known: true,
      statusClass,
      entry,
      treatedAs: entry.code as StatusCode,
      treatedAsEntry: entry,
      note: `${entry.code} ${entry.reason} is a registered ${statusClass} response (${entry.source})`,
    });
    return [entry.code, info];
  }),
);

/** Throws unless `value` is an integer from 100 to 699 (RFC 3261 §7.2). */
function assertStatusCode(value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 699) {
    throw new StatusCodeError(value);
  }
}

/** The hundreds digit of a code already checked by assertStatusCode. */
function digitOf(code: number): ClassDigit {
  return Math.floor(code / 100) as ClassDigit;
}

/**
 * The reason phrase the defining RFC gives a code (`486` → `Busy Here`; `202` → `Accepted`,
 * not the registry's `Accepted (Deprecated)`).
 * @param code - an integer from 100 to 699
 * @returns the phrase, or undefined for a code the registry does not hold
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 * @example
 * ```ts
 * reasonPhrase(StatusCode.BUSY_HERE); // 'Busy Here'
 * ```
 */
export function reasonPhrase(code: number): string | undefined {
  assertStatusCode(code);
  return entryByCode.get(code)?.reason;
}

/**
 * Everything the table says about a code, including how an unknown code is treated: as x00
 * of its class, or as 183 for an unknown provisional code (RFC 3261 §8.1.3.2).
 * @param code - an integer from 100 to 699
 * @returns the facts, frozen; `known` tells whether the registry holds the code
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 * @example
 * ```ts
 * codeInfo(499).treatedAs; // 400
 * ```
 */
export function codeInfo(code: number): CodeInfo {
  assertStatusCode(code);
  const known = knownInfoByCode.get(code);
  if (known !== undefined) return known;
  const digit = digitOf(code);
  const statusClass = CLASS_BY_DIGIT[digit];
  const fallback = FALLBACK_BY_DIGIT[digit];
  const kind = digit === 1 ? 'provisional response other than 100' : `${statusClass} response`;
  return Object.freeze({
    code,
    known: false,
    statusClass,
    entry: undefined,
    treatedAs: fallback.code as StatusCode,
    treatedAsEntry: fallback,
    note: `${code} is not a registered code: a UAC treats an unknown ${kind} as ${fallback.code} ${fallback.reason} (RFC 3261 §8.1.3.2)`,
  });
}

/**
 * The class of a code, from its hundreds digit (RFC 3261 §7.2).
 * @param code - an integer from 100 to 699
 * @returns `provisional`, `success`, `redirection`, `client-error`, `server-error` or `global-failure`
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function statusClass(code: number): StatusClass {
  assertStatusCode(code);
  return CLASS_BY_DIGIT[digitOf(code)];
}

/**
 * Whether a code is provisional (1xx, RFC 3261 §21.1).
 * @param code - an integer from 100 to 699
 * @returns true for 100–199
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function isProvisional(code: number): boolean {
  assertStatusCode(code);
  return digitOf(code) === 1;
}

/**
 * Whether a code is final (2xx–6xx): it ends the transaction (RFC 3261 §7.2).
 * @param code - an integer from 100 to 699
 * @returns true for 200–699
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function isFinal(code: number): boolean {
  assertStatusCode(code);
  return digitOf(code) !== 1;
}

/**
 * Whether a code is a success (2xx, RFC 3261 §21.2).
 * @param code - an integer from 100 to 699
 * @returns true for 200–299
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function isSuccess(code: number): boolean {
  assertStatusCode(code);
  return digitOf(code) === 2;
}

/**
 * Whether a code is a redirection (3xx, RFC 3261 §21.3).
 * @param code - an integer from 100 to 699
 * @returns true for 300–399
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function isRedirect(code: number): boolean {
  assertStatusCode(code);
  return digitOf(code) === 3;
}

/**
 * Whether a code is a client error (4xx, RFC 3261 §21.4).
 * @param code - an integer from 100 to 699
 * @returns true for 400–499
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function isClientError(code: number): boolean {
  assertStatusCode(code);
  return digitOf(code) === 4;
}

/**
 * Whether a code is a server error (5xx, RFC 3261 §21.5).
 * @param code - an integer from 100 to 699
 * @returns true for 500–599
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function isServerError(code: number): boolean {
  assertStatusCode(code);
  return digitOf(code) === 5;
}

/**
 * Whether a code is a global failure (6xx, RFC 3261 §21.6).
 * @param code - an integer from 100 to 699
 * @returns true for 600–699
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function isGlobalFailure(code: number): boolean {
  assertStatusCode(code);
  return digitOf(code) === 6;
}

/**
 * The header rules the RFCs put on a response with this code. An unknown code gets the rules
 * of the code it is treated as (see `codeInfo`).
 * @param code - an integer from 100 to 699
 * @returns the rules in table order, each with its level, condition and source
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 * @example
 * ```ts
 * rulesFor(405)[0]?.header; // 'Allow'
 * ```
 */
export function rulesFor(code: number): readonly HeaderRule[] {
  return codeInfo(code).treatedAsEntry.rules;
}

/**
 * Whether the registry holds a code.
 * @param code - an integer from 100 to 699
 * @returns true for the 75 registered codes, narrowing `code` to `StatusCode`
 * @throws StatusCodeError `INVALID_STATUS_CODE` when `code` is not an integer from 100 to 699
 */
export function isKnownStatusCode(code: number): code is StatusCode {
  assertStatusCode(code);
  return entryByCode.has(code);
}
