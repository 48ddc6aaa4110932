/**
 * The SIP parser: stream mode (createParser, createParserStream), datagram mode
 * (parseDatagram, parseMessage), its errors and its limits.
 */
export { parseDatagram, parseMessage } from './datagram.js';
export { PARSE_ERROR_CODES, ParseError, type ParseErrorCode } from './errors.js';
export {
  LENIENCIES,
  type Leniency,
  type LeniencyCode,
  type LeniencyDefinition,
  type LeniencyOption,
  PARSER_PROFILES,
  type ParserProfile,
} from './leniency.js';
export { DEFAULT_LIMITS, type ParserLimits } from './limits.js';
export {
  type ParsedMessage,
  ParsedMessageBase,
  ParsedRequest,
  ParsedResponse,
} from './message.js';
export type { CommonParserOptions, DatagramOptions, ParserOptions } from './options.js';
export type { KeepAliveKind, KeepAliveListener } from './state.js';
export { createParser, SipStreamParser } from './stream-parser.js';
export { createParserStream } from './web-stream.js';
