/**
 * The message model and what is done with it: header lookups, the header-value grammar,
 * buildResponse, serialize, validate, the rule evaluator, multipart bodies and their errors.
 */

export {
  type BuildAckOptions,
  type BuildCancelOptions,
  buildAck,
  buildCancel,
} from './ack-cancel.js';
export {
  evaluateRules,
  type ResponseHeaders,
  type RuleContext,
  type RuleOutcome,
  type RuleStatus,
} from './apply-rules.js';
export { type BuildRequestOptions, buildRequest, type SentBy } from './build-request.js';
export {
  type BuildResponseOptions,
  type BuiltResponse,
  buildResponse,
  type HeaderValueInput,
  type ResponseHeaderInput,
} from './build-response.js';
export {
  COMPOSE_ERROR_CODES,
  ComposeError,
  type ComposeErrorCode,
  type ComposeErrorFacts,
} from './compose-errors.js';
export {
  buildInDialogRequest,
  createUacDialog,
  createUasDialog,
  type Dialog,
  type InDialogRequest,
  type InDialogRequestOptions,
  withLocalCSeq,
} from './dialog-record.js';
export { withBody, withHeader, withoutHeader } from './edit.js';
export {
  BUILD_ERROR_CODES,
  BuildError,
  type BuildErrorCode,
  type BuildErrorFacts,
  ISSUE_CODES,
  type Issue,
  type IssueCode,
  type IssueSeverity,
  type MessagePart,
  SERIALIZE_ERROR_CODES,
  SerializeError,
  type SerializeErrorCode,
} from './errors.js';
export {
  type AuthField,
  type ContentDisposition,
  type ContentType,
  type CSeq,
  DELTA_SECONDS_MAX,
  formatNameAddr,
  formatUri,
  isToken,
  MAX_FORWARDS_MAX,
  type NameAddr,
  type OpaqueUri,
  type Parameters,
  parseCallId,
  parseChallenge,
  parseContentDisposition,
  parseContentLength,
  parseContentType,
  parseCredentials,
  parseCSeq,
  parseDecimal,
  parseExpires,
  parseMaxForwards,
  parseNameAddr,
  parseOptionTags,
  parseParameters,
  parseQuotedString,
  parseRetryAfter,
  parseUri,
  parseVia,
  quoteString,
  type RetryAfter,
  type SipUri,
  splitHeaderList,
  type Uri,
  type Via,
} from './fields/index.js';
export type { HeaderDefinition, HeaderKind, KnownHeaderName } from './header-names.js';
export {
  canonicalHeaderName,
  HEADER_DEFINITIONS,
  headerDefinition,
  isSameHeaderName,
} from './header-names.js';
export type { ManagedHeaderName, RequestOnlyHeaderName } from './header-roles.js';
export { getHeader, getHeaders, getHeaderValues, hasHeader } from './headers.js';
export {
  type KnownMethod,
  METHOD_DEFINITIONS,
  type MethodDefinition,
  type MethodHeaderRule,
  methodDefinition,
} from './methods.js';
export {
  type BuildMultipartOptions,
  type BuiltMultipart,
  buildMultipart,
  MULTIPART_ERROR_CODES,
  type MultipartBody,
  MultipartError,
  type MultipartErrorCode,
  type MultipartPart,
  type MultipartPartInput,
  type ParseMultipartOptions,
  parseMultipart,
} from './multipart/index.js';
export type { RequestHeaderInput, RequestHeaderValue } from './request-parts.js';
export { type SerializeOptions, serialize, serializeToString } from './serialize.js';
export { createTagKey, type TagKey, toTagFor } from './to-tag.js';
export type { HeaderField, SipMessage, SipRequest, SipResponse } from './types.js';
export { type ValidateContext, validate } from './validate.js';
