/**
 * Node-only adapters (the only place `node:` modules are imported).
 */
export { createParserTransform } from './parser-transform.js';
