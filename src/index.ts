export { isSipError, SipError } from './errors.js';
