/**
 * Views derived from the table: the name → code constants and the public list of rows.
 * Nothing here is typed by hand; adding a row to table.ts adds its constant.
 */
import { STATUS_CODES } from './table.js';
import type { StatusCodeEntry } from './types.js';

type Row = (typeof STATUS_CODES)[number];

/** Every registered status code, as a union of number literals (`100 | 180 | … | 608`). */
export type StatusCode = Row['code'];

/** Every constant name in the table (`'TRYING' | … | 'REJECTED'`). */
export type StatusCodeName = Row['name'];

/** The shape of the `StatusCode` object: each row's constant name mapped to its code. */
export type StatusCodeConstants = { readonly [R in Row as R['name']]: R['code'] };

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The rows of the status-code table, sorted by code and frozen: one per IANA registry entry,
 * each with its phrase, constant name, source and header rules.
 */
export const statusCodes: readonly StatusCodeEntry[] = deepFreeze(STATUS_CODES);

/**
 * Name → code constants for every registered code, with JAIN-SIP's names for the 53 codes
 * `javax.sip.message.Response` names (so 406 is `NOT_ACCEPTABLE` and 606 is
 * `SESSION_NOT_ACCEPTABLE`) and names derived from the reason phrase for the others.
 * @example
 * ```ts
 * StatusCode.BUSY_HERE; // 486
 * ```
 */
export const StatusCode: StatusCodeConstants = Object.freeze(
  Object.fromEntries(statusCodes.map((row) => [row.name, row.code])),
) as StatusCodeConstants;
