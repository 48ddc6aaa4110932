// `sip` (the Node SIP stack, npm "sip"): parse(), makeStreamParser(), makeResponse() and
// stringify(). Its transports decode socket bytes as 'binary' (latin1) strings and encode
// output the same way, so this adapter does the same.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const sip = require('sip');

function readCore(message, sink) {
  if (message.status !== undefined) {
    sink.type = 'response';
    sink.status = message.status;
    sink.reason = message.reason;
  } else {
    sink.type = 'request';
    sink.method = message.method;
    sink.uri = message.uri;
  }
  sink.callId = message.headers['call-id'];
  sink.body = message.content;
}

function readRest(message, sink) {
  const headers = message.headers;
  sink.seq = headers.cseq.seq;
  sink.cseqMethod = headers.cseq.method;
  sink.branch = headers.via[0].params.branch;
  sink.toTag = headers.to.params.tag;
}

export const contestant = {
  id: 'sip',
  version: require('sip/package.json').version,
  role: 'peer',
  bodyEncoding: 'latin1',
  api: {
    parse: 'sip.parse(buffer)',
    stream: 'sip.makeStreamParser(onMessage), fed latin1 strings as its TCP transport does',
    build:
      'sip.makeResponse(request, code, reason), plan headers set on it, + sip.stringify(), latin1-encoded',
  },
  notApplicable: {},
  decode(bytes) {
    return sip.parse(bytes);
  },
  readCore,
  readRest,
  createStream(onMessage) {
    const feed = sip.makeStreamParser(onMessage);
    return {
      push(chunk) {
        feed(chunk.toString('latin1'));
      },
      end() {},
    };
  },
  prepareRequest(bytes) {
    return sip.parse(bytes);
  },
  buildResponse(request, plan, toTag) {
    const response = sip.makeResponse(request, plan.status, plan.reason);
    const to = request.headers.to;
    // makeResponse shares the request's To object; a tagged copy keeps the request intact.
    if (plan.status > 100 && to.params.tag === undefined) {
      response.headers.to = { name: to.name, uri: to.uri, params: { ...to.params, tag: toTag } };
    }
    addPlan(response, plan, request);
    return Buffer.from(sip.stringify(response), 'latin1');
  },
};

/**
 * The plan's content as the headers object sip.stringify writes: header values as strings, the body as `content`. makeResponse copies no Record-Route, so a
 * dialog-creating 200 gets the request's (RFC 3261 §12.1.1).
 */
function addPlan(response, plan, request) {
  const headers = response.headers;
  for (const [name, value] of plan.headers) headers[name.toLowerCase()] = value;
  if (plan.contact !== undefined) {
    headers.contact = plan.contact;
    const routes = request.headers['record-route'];
    if (routes !== undefined) {
      // sip.parse leaves a Record-Route it could not read (an IPv6 host) without a uri, which
      // sip.stringify cannot write: that response is not built
      if (routes.some((route) => route.uri === undefined)) {
        throw new Error('sip: a Record-Route of the request did not parse');
      }
      headers['record-route'] = routes;
    }
  }
  if (plan.allow !== undefined) headers.allow = plan.allow.join(', ');
  if (plan.supported !== undefined) headers.supported = plan.supported.join(', ');
  if (plan.body !== undefined) {
    headers['content-type'] = plan.contentType;
    response.content = plan.body;
  }
}
