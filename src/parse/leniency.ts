/**
 * The parser's leniencies, declared once: each is a named option that accepts one protocol
 * violation real stacks send, the error the strict default gives instead, and the risk it
 * takes on. The `interop` profile turns them all on; a parsed message reports each one it
 * needed (`ParsedMessageBase.leniencies`), and `validate` turns those into SHOULD issues.
 */

import type { ParseErrorCode } from './errors.js';

/** One row of the leniency table. */
export interface LeniencyDefinition {
  /** Stable code reported on a message that needed this leniency. */
  readonly code: string;
  /** The parser option that turns it on. */
  readonly option: string;
  /** What the strict default throws for the same bytes (same offset as `Leniency.offset`). */
  readonly refused: ParseErrorCode;
  /** The rule the input breaks. */
  readonly source: string;
  /** What was accepted, as a noun phrase for messages. */
  readonly what: string;
  /** Only parseDatagram applies it (a stream cannot know a section is over). */
  readonly datagramOnly: boolean;
}

/**
 * Every leniency, in the order a message reports them. Stable: once released a code is never
 * renamed or reused.
 */
export const LENIENCIES = [
  {
    code: 'BARE_LF',
    option: 'allowBareLf',
    refused: 'INVALID_LINE_ENDING',
    source: 'RFC 3261 §7',
    what: 'a line ending in a bare LF instead of CRLF',
    datagramOnly: false,
  },
  {
    code: 'BARE_CR',
    option: 'allowBareCr',
    refused: 'INVALID_LINE_ENDING',
    source: 'RFC 3261 §7',
    what: 'a line ending in a bare CR instead of CRLF',
    datagramOnly: false,
  },
  {
    code: 'UNTERMINATED_HEADERS',
    option: 'allowUnterminatedHeaders',
    refused: 'INCOMPLETE_MESSAGE',
    source: 'RFC 3261 §7',
    what: 'a header section not closed by an empty line at the end of the datagram',
    datagramOnly: true,
  },
  {
    code: 'STATUS_WITHOUT_REASON',
    option: 'allowStatusWithoutReason',
    refused: 'INVALID_START_LINE',
    source: 'RFC 3261 §7.2, §25.1',
    what: 'a Status-Line without the SP before the Reason-Phrase',
    datagramOnly: false,
  },
  {
    code: 'REQUEST_LINE_SPACES',
    option: 'allowRequestLineSpaces',
    refused: 'INVALID_START_LINE',
    source: 'RFC 3261 §7.1, §25.1; RFC 4475 §3.1.2.9, §3.1.2.10',
    what: 'a Request-Line with more than one SP between elements or SP after the SIP-Version',
    datagramOnly: false,
  },
] as const;
LENIENCIES satisfies readonly LeniencyDefinition[];

/** A stable leniency code. */
export type LeniencyCode = (typeof LENIENCIES)[number]['code'];

/** The name of a leniency option. */
export type LeniencyOption = (typeof LENIENCIES)[number]['option'];

/**
 * The parser profiles: `strict` (the default) accepts only RFC 3261 syntax; `interop` turns on
 * every leniency of LENIENCIES, for input from other stacks' fixtures, pasted files and
 * devices that bend the grammar. A Content-Length larger than the datagram stays an error in
 * both (RFC 3261 §18.3).
 */
export const PARSER_PROFILES = ['strict', 'interop'] as const;

/** A parser profile name. */
export type ParserProfile = (typeof PARSER_PROFILES)[number];

/** One leniency a message needed: which, where it was first needed, and how often. */
export interface Leniency {
  /** Which leniency. */
  readonly code: LeniencyCode;
  /**
   * Absolute byte offset of its first use in the message (or before it, for line endings
   * between messages): where the strict parser would have thrown `refused`.
   */
  readonly offset: number;
  /** How many times the message needed it (1 or more). */
  readonly count: number;
}

/** Bit of each leniency in ParserState.lenient, by table position. @internal */
export const BARE_LF = 1;
/** @internal */
export const BARE_CR = 2;
/** @internal */
export const UNTERMINATED_HEADERS = 4;
/** @internal */
export const STATUS_WITHOUT_REASON = 8;
/** @internal */
export const REQUEST_LINE_SPACES = 16;

/** The option names by table position. */
const OPTION_NAMES: readonly LeniencyOption[] = LENIENCIES.map((row) => row.option);

/**
 * The leniencies an options object turns on, as a bit set: the profile first, then each named
 * option that is set (true or false) overrides it.
 * @param options - the caller's options
 * @returns the bits of the leniencies in force
 * @throws RangeError for a profile that is not in PARSER_PROFILES
 * @internal
 */
export function resolveLeniencies(
  options: { readonly profile?: ParserProfile } & Partial<Record<LeniencyOption, boolean>>,
): number {
  const profile = options.profile;
  let bits = 0;
  if (profile === 'interop') bits = (1 << LENIENCIES.length) - 1;
  else if (profile !== undefined && profile !== 'strict') {
    throw new RangeError(
      `Invalid parser profile: expected "strict" or "interop", found ${JSON.stringify(String(profile))}`,
    );
  }
  // A plain loop: parseDatagram resolves its options on every call.
  for (let position = 0; position < OPTION_NAMES.length; position++) {
    const value = options[OPTION_NAMES[position] as LeniencyOption];
    if (value === true) bits |= 1 << position;
    else if (value === false) bits &= ~(1 << position);
  }
  return bits;
}

/**
 * Notes one use of the leniency `bit` at absolute `offset` in the per-message record
 * (`offsets` and `counts` by table position): the first offset is kept, uses are counted.
 * Called on the rare path only.
 * @internal
 */
export function noteLeniency(
  record: { used: number; readonly offsets: Float64Array; readonly counts: Float64Array },
  bit: number,
  offset: number,
): void {
  const position = 31 - Math.clz32(bit);
  if ((record.used & bit) === 0) {
    record.used |= bit;
    record.offsets[position] = offset;
    record.counts[position] = 0;
  }
  record.counts[position] = (record.counts[position] as number) + 1;
}

const NONE: readonly Leniency[] = Object.freeze([]);

/**
 * The Leniency records of a per-message record, in table order (frozen); a shared empty list
 * when nothing was needed.
 * @internal
 */
export function leniencyList(record: {
  readonly used: number;
  readonly offsets: Float64Array;
  readonly counts: Float64Array;
}): readonly Leniency[] {
  if (record.used === 0) return NONE;
  const out: Leniency[] = [];
  LENIENCIES.forEach((row, position) => {
    if ((record.used & (1 << position)) === 0) return;
    out.push(
      Object.freeze({
        code: row.code,
        offset: record.offsets[position] as number,
        count: record.counts[position] as number,
      }),
    );
  });
  return Object.freeze(out);
}
