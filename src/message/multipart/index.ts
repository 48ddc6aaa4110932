/**
 * Multipart bodies (RFC 2046 §5.1, RFC 5621): parse and build, binary-safe, nested.
 */
export {
  type BuildMultipartOptions,
  type BuiltMultipart,
  buildMultipart,
  type MultipartPartInput,
} from './build.js';
export { MULTIPART_ERROR_CODES, MultipartError, type MultipartErrorCode } from './errors.js';
export {
  type MultipartBody,
  type MultipartPart,
  type ParseMultipartOptions,
  parseMultipart,
} from './parse.js';
