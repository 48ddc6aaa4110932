/**
 * sipwire: SIP (RFC 3261) messages on the wire. The root entry re-exports the browser-safe
 * parts; `sipwire/codes`, `sipwire/message`, `sipwire/parse`, `sipwire/transaction` and
 * `sipwire/digest` import one part, `sipwire/node` the Node-only adapters.
 */
export * from './codes/index.js';
export * from './digest/index.js';
export { isSipError, SipError } from './errors.js';
export * from './message/index.js';
export * from './parse/index.js';
export * from './transaction/index.js';
