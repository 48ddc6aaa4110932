import type { SipMessage } from '../../message/index.js';
import { validate } from '../../message/index.js';
import {
  createParser,
  type DatagramOptions,
  type ParsedMessage,
  type ParseError,
  type ParserProfile,
  parseDatagram,
} from '../../parse/index.js';
import { cliMessage } from '../hints.js';
import { readInput } from '../input.js';

const PROFILE_HELP = `Files are read with the interop profile: bare LF or CR line endings, a Status-Line
without a reason, extra spaces in a Request-Line and (--datagram) a header section without
its empty line are accepted, and each is reported as a SHOULD issue (LENIENT_SYNTAX) with
its byte offset. --strict reads RFC 3261 syntax only, as the library does by default.`;

export const parseHelp: string = `Usage: sipwire parse [FILE|-] [--datagram] [--strict]

Parses SIP messages from FILE (or standard input) and prints one JSON line per message:
profile, start line, headers, body length, leniencies used and validation issues. A parse
error prints its code and byte offset and exits with 1.

${PROFILE_HELP}

Options:
  --datagram   treat the input as one UDP datagram (default: a TCP-style byte stream)
  --strict     no leniency: refuse anything but RFC 3261 syntax
  --help       this text`;

export const validateHelp: string = `Usage: sipwire validate [FILE|-] [--datagram] [--strict]

Validates SIP messages from FILE (or standard input) and prints a readable report per
message. Exits with 1 when a MUST rule is broken or the input does not parse.

${PROFILE_HELP}

Options:
  --datagram   treat the input as one UDP datagram
  --strict     no leniency: refuse anything but RFC 3261 syntax
  --help       this text`;

/** How parse and validate read their input. */
export interface InspectFlags {
  /** --datagram */
  readonly datagram: boolean;
  /** --strict */
  readonly strict: boolean;
}

interface Parsed {
  readonly messages: ParsedMessage[];
  readonly error?: ParseError;
}

function messagesOf(bytes: Uint8Array, datagram: boolean, profile: ParserProfile): Parsed {
  const options: DatagramOptions = { profile };
  if (datagram) {
    try {
      return { messages: [parseDatagram(bytes, options)] };
    } catch (error) {
      return { messages: [], error: error as ParseError };
    }
  }
  const parser = createParser(options);
  const messages: ParsedMessage[] = [];
  try {
    messages.push(...parser.push(bytes));
    parser.end();
    return { messages };
  } catch (error) {
    return { messages, error: error as ParseError };
  }
}

/**
 * Reads the input with the profile the flags ask for. `errorText` is the parse error's message
 * in CLI terms: under --strict, when the interop profile reads past the error, it says so.
 */
function read(bytes: Uint8Array, flags: InspectFlags): Parsed & { readonly errorText: string } {
  const parsed = messagesOf(bytes, flags.datagram, profileOf(flags));
  const error = parsed.error;
  if (error === undefined) return { ...parsed, errorText: '' };
  let errorText = cliMessage(error.message, flags.strict);
  if (flags.strict && !errorText.includes('--strict')) {
    // The strict refusal may be a leniency's business: say when the default reads past it.
    const interop = messagesOf(bytes, flags.datagram, 'interop');
    if (interop.error === undefined || interop.error.offset > error.offset) {
      errorText += '; without --strict, the interop profile reads past this point';
    }
  }
  return { ...parsed, errorText };
}

function profileOf(flags: InspectFlags): ParserProfile {
  return flags.strict ? 'strict' : 'interop';
}

function startLine(message: SipMessage): string {
  return message.type === 'request'
    ? `${message.method} ${message.uri} ${message.version}`
    : `${message.version} ${message.status} ${message.reason}`;
}

/** `sipwire parse`: JSON lines. */
export async function runParse(
  positionals: readonly string[],
  flags: InspectFlags,
  out: (line: string) => void,
): Promise<number> {
  const { messages, error, errorText } = read(await readInput(positionals), flags);
  const profile = profileOf(flags);
  for (const message of messages) {
    out(
      JSON.stringify({
        profile,
        startLine: startLine(message),
        ...(message.type === 'request'
          ? { method: message.method, uri: message.uri }
          : { status: message.status, reason: message.reason }),
        version: message.version,
        headers: message.headers.map((field) => [field.name, field.value]),
        bodyBytes: message.body.byteLength,
        leniencies: message.leniencies,
        issues: validate(message).map((issue) => ({
          code: issue.code,
          severity: issue.severity,
          message: cliMessage(issue.message, flags.strict),
        })),
      }),
    );
  }
  if (error !== undefined) {
    out(
      JSON.stringify({
        profile,
        error: error.code,
        offset: error.offset,
        message: errorText,
      }),
    );
    return 1;
  }
  return 0;
}

/** `sipwire validate`: a report per message. */
export async function runValidate(
  positionals: readonly string[],
  flags: InspectFlags,
  out: (line: string) => void,
): Promise<number> {
  const { messages, error, errorText } = read(await readInput(positionals), flags);
  out(
    flags.strict
      ? 'profile: strict (RFC 3261 syntax only)'
      : 'profile: interop (leniencies reported as LENIENT_SYNTAX; --strict for RFC 3261 syntax only)',
  );
  let broken = false;
  messages.forEach((message, index) => {
    const issues = validate(message);
    out(`message ${index + 1}: ${startLine(message)}`);
    if (issues.length === 0) out('  ok: no issues');
    for (const issue of issues) {
      if (issue.severity === 'MUST') broken = true;
      out(
        `  ${issue.severity.padEnd(6)} ${issue.code}: ${cliMessage(issue.message, flags.strict)}`,
      );
    }
  });
  if (error !== undefined) {
    out(`parse error ${error.code} at byte ${error.offset}: ${errorText}`);
    return 1;
  }
  return broken ? 1 : 0;
}
