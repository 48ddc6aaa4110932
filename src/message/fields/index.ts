/**
 * The header-value grammar (RFC 3261 §7.3, §19.1, §20, §25.1): pure functions from a field
 * value string to typed data. Each throws only ParseError, with `offset` the character index
 * in the given string.
 */
export { type AuthField, parseChallenge, parseCredentials } from './auth.js';
export { parseCallId } from './call-id.js';
export { type ContentDisposition, parseContentDisposition } from './content-disposition.js';
export { type ContentType, parseContentType } from './content-type.js';
export { type CSeq, parseCSeq } from './cseq.js';
export { formatNameAddr, formatUri } from './format.js';
export { splitHeaderList } from './list.js';
export { type NameAddr, parseNameAddr } from './name-addr.js';
export {
  DELTA_SECONDS_MAX,
  MAX_FORWARDS_MAX,
  parseContentLength,
  parseDecimal,
  parseExpires,
  parseMaxForwards,
  parseRetryAfter,
  type RetryAfter,
} from './numbers.js';
export { parseOptionTags } from './option-tags.js';
export { isToken, type Parameters, parseParameters } from './params.js';
export { parseQuotedString, quoteString } from './quoted.js';
export { type OpaqueUri, parseUri, type SipUri, type Uri } from './uri.js';
export { parseVia, type Via } from './via.js';
