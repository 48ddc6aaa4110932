// SIP.js: its core message parser (Core.Parser.parseMessage, the function its UserAgent calls
// on every transport message) and its UAS response construction
// (Core.constructOutgoingResponse). Its transport hands the parser UTF-8-decoded strings.

import { createRequire } from 'node:module';
import { Core } from 'sip.js';

const require = createRequire(import.meta.url);
const loggerFactory = new Core.LoggerFactory();
loggerFactory.builtinEnabled = false;
const logger = loggerFactory.getLogger('sip.Parser');

function parseBytes(bytes) {
  const message = Core.Parser.parseMessage(bytes.toString('utf8'), logger);
  if (message === undefined) throw new Error('sip.js: message not parsed');
  return message;
}

export const contestant = {
  id: 'sip.js',
  version: require('sip.js/package.json').version,
  role: 'peer',
  bodyEncoding: 'utf8',
  api: {
    parse: 'Core.Parser.parseMessage(utf8 string, logger)',
    build:
      'Core.constructOutgoingResponse(request, { statusCode, reasonPhrase, toTag, supported, extraHeaders, body }), UTF-8-encoded',
  },
  notApplicable: {
    stream: 'no byte-stream framer: its transport is WebSocket, one message per frame (RFC 7118)',
  },
  decode: parseBytes,
  readCore(message, sink) {
    if (message.statusCode !== undefined) {
      sink.type = 'response';
      sink.status = message.statusCode;
      sink.reason = message.reasonPhrase;
    } else {
      sink.type = 'request';
      sink.method = message.method;
      sink.uri = message.ruri;
    }
    sink.callId = message.callId;
    sink.body = message.body;
  },
  readRest(message, sink) {
    sink.seq = message.cseq;
    sink.cseqMethod = message.parseHeader('cseq').method;
    sink.branch = message.viaBranch;
    sink.toTag = message.toTag;
  },
  prepareRequest(bytes) {
    return parseBytes(bytes);
  },
  buildResponse(request, plan, toTag) {
    const { message } = Core.constructOutgoingResponse(request, {
      statusCode: plan.status,
      reasonPhrase: plan.reason,
      toTag,
      ...optionsFor(plan, request),
    });
    return Buffer.from(message, 'utf8');
  },
};

const OPTIONS_BY_PLAN = new WeakMap();

/**
 * Its ResponseOptions for a plan: supported and body are options; Contact, Allow and the other
 * headers go in extraHeaders. It leaves Record-Route to its InviteUserAgentServer, so a
 * dialog-creating 200 gets the request's Record-Route as extra headers too (RFC 3261 §12.1.1).
 */
function optionsFor(plan, request) {
  let options = OPTIONS_BY_PLAN.get(plan);
  if (options === undefined) {
    options = { extraHeaders: plan.headers.map(([name, value]) => `${name}: ${value}`) };
    if (plan.contact !== undefined) options.extraHeaders.push(`Contact: ${plan.contact}`);
    if (plan.allow !== undefined) options.extraHeaders.push(`Allow: ${plan.allow.join(', ')}`);
    if (plan.supported !== undefined) options.supported = plan.supported;
    if (plan.body !== undefined) {
      options.body = {
        contentDisposition: 'session',
        contentType: plan.contentType,
        content: plan.body,
      };
    }
    OPTIONS_BY_PLAN.set(plan, options);
  }
  if (plan.contact === undefined || request.method !== 'INVITE') return options;
  const routes = request.getHeaders('record-route');
  if (routes.length === 0) return options;
  return {
    ...options,
    extraHeaders: [...routes.map((route) => `Record-Route: ${route}`), ...options.extraHeaders],
  };
}
