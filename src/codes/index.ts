export type { StatusCodeConstants, StatusCodeName } from './constants.js';
export { StatusCode, statusCodes } from './constants.js';
export type { StatusCodeErrorCode } from './errors.js';
export { STATUS_CODE_ERROR_CODES, StatusCodeError } from './errors.js';
export type { CodeInfo, KnownCodeInfo, UnknownCodeInfo } from './lookup.js';
export {
  codeInfo,
  isClientError,
  isFinal,
  isGlobalFailure,
  isKnownStatusCode,
  isProvisional,
  isRedirect,
  isServerError,
  isSuccess,
  reasonPhrase,
  rulesFor,
  statusClass,
} from './lookup.js';
export type {
  HeaderRule,
  PolicyName,
  RuleCondition,
  RuleLevel,
  RuleRequirement,
  StatusClass,
  StatusCodeEntry,
} from './types.js';
