export * from './codes/index.js';
export { isSipError, SipError } from './errors.js';
