// JsSIP: Parser.parseMessage (the function its UA calls on every transport message) and
// IncomingRequest.reply(). JsSIP 3.13's root export has no Parser, so it is loaded from
// jssip/lib/Parser.js, the module the UA itself uses (the package has no exports map).
// parseMessage only stores its `ua` argument on requests; reply() reads ua.configuration and
// ua.contact and hands the finished response text to request.server_transaction, which here is
// a stub that keeps the text instead of sending it.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Parser = require('jssip/lib/Parser.js');

/** The least of a UA that parseMessage and reply() touch. */
const UA_STUB = { configuration: {}, contact: {} };

let lastResponse = '';
const CAPTURING_TRANSACTION = {
  receiveResponse(_status, response) {
    lastResponse = response;
  },
};

function parseBytes(bytes) {
  const message = Parser.parseMessage(bytes.toString('utf8'), UA_STUB);
  if (message === undefined) throw new Error('jssip: message not parsed');
  return message;
}

export const contestant = {
  id: 'jssip',
  version: require('jssip/package.json').version,
  role: 'peer',
  bodyEncoding: 'utf8',
  // reply() draws its own random To tag (Utils.newTag) and takes none from the caller.
  takesToTag: false,
  api: {
    parse: 'Parser.parseMessage(utf8 string, ua) from jssip/lib/Parser.js',
    build:
      'IncomingRequest.reply(code, reason, extraHeaders, body) into a stub server transaction, UTF-8-encoded',
  },
  notApplicable: {
    stream: 'no byte-stream framer: its transport is WebSocket, one message per frame (RFC 7118)',
  },
  decode: parseBytes,
  readCore(message, sink) {
    if (message.status_code !== undefined) {
      sink.type = 'response';
      sink.status = message.status_code;
      sink.reason = message.reason_phrase;
    } else {
      sink.type = 'request';
      sink.method = message.method;
      sink.uri = message.ruri;
    }
    sink.callId = message.call_id;
    sink.body = message.body;
  },
  readRest(message, sink) {
    sink.seq = message.cseq;
    sink.cseqMethod = message.parseHeader('cseq').method;
    sink.branch = message.via_branch;
    sink.toTag = message.to_tag;
  },
  prepareRequest(bytes) {
    const request = parseBytes(bytes);
    request.server_transaction = CAPTURING_TRANSACTION;
    return request;
  },
  buildResponse(request, plan) {
    const { extraHeaders, body } = extrasFor(plan, request.method);
    request.reply(plan.status, plan.reason, extraHeaders, body);
    return Buffer.from(lastResponse, 'utf8');
  },
};

const EXTRAS_BY_PLAN = new Map();

/**
 * reply()'s extra headers and body for a plan. reply() itself copies Record-Route into a 2xx
 * to INVITE, writes its own Supported, and Allow into a 405 and a 200 to OPTIONS: those are
 * not given twice.
 */
function extrasFor(plan, method) {
  const key = `${method} ${plan.status}`;
  let extras = EXTRAS_BY_PLAN.get(key);
  if (extras !== undefined && extras.plan === plan) return extras;
  const extraHeaders = plan.headers.map(([name, value]) => `${name}: ${value}`);
  if (plan.contact !== undefined) extraHeaders.push(`Contact: ${plan.contact}`);
  const writesAllow = method === 'OPTIONS' || plan.status === 405;
  if (plan.allow !== undefined && !writesAllow)
    extraHeaders.push(`Allow: ${plan.allow.join(', ')}`);
  if (plan.contentType !== undefined) extraHeaders.push(`Content-Type: ${plan.contentType}`);
  extras = { plan, extraHeaders, body: plan.body };
  EXTRAS_BY_PLAN.set(key, extras);
  return extras;
}
