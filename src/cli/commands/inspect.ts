import type { SipMessage } from '../../message/index.js';
import { validate } from '../../message/index.js';
import { createParser, type ParseError, parseDatagram } from '../../parse/index.js';
import { readInput } from '../input.js';

export const parseHelp = `Usage: sipwire parse [FILE|-] [--datagram]

Parses SIP messages from FILE (or standard input) and prints one JSON line per message:
start line, headers, body length and validation issues. A parse error prints its code and
byte offset and exits with 1.

Options:
  --datagram   treat the input as one UDP datagram (default: a TCP-style byte stream)
  --help       this text`;

export const validateHelp = `Usage: sipwire validate [FILE|-] [--datagram]

Validates SIP messages from FILE (or standard input) and prints a readable report per
message. Exits with 1 when a MUST rule is broken or the input does not parse.

Options:
  --datagram   treat the input as one UDP datagram
  --help       this text`;

function messagesOf(
  bytes: Uint8Array,
  datagram: boolean,
): { messages: SipMessage[]; error?: ParseError } {
  if (datagram) {
    try {
      return { messages: [parseDatagram(bytes)] };
    } catch (error) {
      return { messages: [], error: error as ParseError };
    }
  }
  const parser = createParser();
  const messages: SipMessage[] = [];
  try {
    messages.push(...parser.push(bytes));
    parser.end();
    return { messages };
  } catch (error) {
    return { messages, error: error as ParseError };
  }
}

function startLine(message: SipMessage): string {
  return message.type === 'request'
    ? `${message.method} ${message.uri} ${message.version}`
    : `${message.version} ${message.status} ${message.reason}`;
}

/** `sipwire parse`: JSON lines. */
export async function runParse(
  positionals: readonly string[],
  datagram: boolean,
  out: (line: string) => void,
): Promise<number> {
  const { messages, error } = messagesOf(await readInput(positionals), datagram);
  for (const message of messages) {
    out(
      JSON.stringify({
        startLine: startLine(message),
        ...(message.type === 'request'
          ? { method: message.method, uri: message.uri }
          : { status: message.status, reason: message.reason }),
        version: message.version,
        headers: message.headers.map((field) => [field.name, field.value]),
        bodyBytes: message.body.byteLength,
        issues: validate(message).map((issue) => ({
          code: issue.code,
          severity: issue.severity,
          message: issue.message,
        })),
      }),
    );
  }
  if (error !== undefined) {
    out(JSON.stringify({ error: error.code, offset: error.offset, message: error.message }));
    return 1;
  }
  return 0;
}

/** `sipwire validate`: a report per message. */
export async function runValidate(
  positionals: readonly string[],
  datagram: boolean,
  out: (line: string) => void,
): Promise<number> {
  const { messages, error } = messagesOf(await readInput(positionals), datagram);
  let broken = false;
  messages.forEach((message, index) => {
    const issues = validate(message);
    out(`message ${index + 1}: ${startLine(message)}`);
    if (issues.length === 0) out('  ok: no issues');
    for (const issue of issues) {
      if (issue.severity === 'MUST') broken = true;
      out(`  ${issue.severity.padEnd(6)} ${issue.code}: ${issue.message}`);
    }
  });
  if (error !== undefined) {
    out(`parse error ${error.code} at byte ${error.offset}: ${error.message}`);
    return 1;
  }
  return broken ? 1 : 0;
}
