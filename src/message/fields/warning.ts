import { ParseError } from '../../parse/errors.js';
import { DIGIT, skipClass, skipWhitespace, TOKEN, trimEnd } from './charset.js';
import { fieldError } from './errors.js';
import { scanHost } from './host.js';
import { PORT_MAX, readDigits } from './numbers.js';
import { scanQuotedString } from './quoted.js';

/** One Warning value (RFC 3261 §20.43). */
export interface Warning {
  /** The three-digit warn-code, e.g. 307. */
  readonly code: number;
  /** The warn-agent: the host:port or pseudonym of the element that added it. */
  readonly agent: string;
  /** The warn-text, quoted-pairs resolved. */
  readonly text: string;
}

const WHAT = 'Invalid Warning';

/**
 * Parses one Warning value: `warn-code SP warn-agent SP warn-text` (RFC 3261 §20.43, §25.1),
 * where warn-code is exactly three digits, warn-agent a hostport or a token pseudonym, and
 * warn-text a quoted-string. A field holding several values is split on commas first.
 * @param value - one value, e.g. `307 isi.edu "Session parameter 'foo' not understood"`
 * @returns the code, agent and text
 * @throws ParseError INVALID_HEADER_VALUE, INVALID_QUOTED_STRING
 * @internal
 */
export function parseWarning(value: string): Warning {
  const end = trimEnd(value, 0, value.length);
  const start = skipWhitespace(value, 0, end);
  const codeEnd = skipClass(value, start, end, DIGIT);
  if (codeEnd - start !== 3) {
    throw fieldError('INVALID_HEADER_VALUE', value, start, WHAT, 'a warn-code of three digits');
  }
  const agentStart = expectWhitespace(value, codeEnd, end);
  const agentEnd = scanAgent(value, agentStart, end);
  const textStart = expectWhitespace(value, agentEnd, end);
  if (value.charCodeAt(textStart) !== 0x22) {
    throw fieldError('INVALID_HEADER_VALUE', value, textStart, WHAT, 'a quoted warn-text');
  }
  const text = scanQuotedString(value, textStart, end);
  if (text.end !== end) {
    throw fieldError('INVALID_HEADER_VALUE', value, text.end, WHAT, 'the end of the value');
  }
  return {
    code: Number(value.slice(start, codeEnd)),
    agent: value.slice(agentStart, agentEnd),
    text: text.value,
  };
}

/** The SP between the parts (LWS once unfolded); returns the index after it. */
function expectWhitespace(value: string, at: number, end: number): number {
  const next = skipWhitespace(value, at, end);
  if (next === at || next === end) {
    throw fieldError('INVALID_HEADER_VALUE', value, at, WHAT, 'a space and the next part');
  }
  return next;
}

/** warn-agent = hostport / pseudonym: a host with an optional port, or a token. */
function scanAgent(value: string, start: number, end: number): number {
  if (value.charCodeAt(start) === 0x5b) {
    return scanPort(value, scanHost(value, start, end, 'INVALID_HEADER_VALUE', WHAT).end, end);
  }
  // A hostname or IPv4 address is a token too; a token followed by ":port" is a hostport
  const tokenEnd = skipClass(value, start, end, TOKEN);
  if (tokenEnd === start) {
    throw fieldError('INVALID_HEADER_VALUE', value, start, WHAT, 'a host or a pseudonym');
  }
  if (value.charCodeAt(tokenEnd) !== 0x3a) return tokenEnd;
  const host = scanHost(value, start, tokenEnd, 'INVALID_HEADER_VALUE', WHAT);
  if (host.end !== tokenEnd) {
    throw fieldError('INVALID_HEADER_VALUE', value, host.end, WHAT, 'a host before ":port"');
  }
  return scanPort(value, tokenEnd, end);
}

function scanPort(value: string, at: number, end: number): number {
  if (value.charCodeAt(at) !== 0x3a) return at;
  const digitsEnd = skipClass(value, at + 1, end, DIGIT);
  try {
    // RFC 3261 §25.1: port = 1*DIGIT, leading zeros allowed: the reader URI ports use
    return readDigits(value, at + 1, digitsEnd, PORT_MAX, 'port');
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw fieldError('INVALID_HEADER_VALUE', value, at + 1, WHAT, 'a port 0–65535');
  }
}
