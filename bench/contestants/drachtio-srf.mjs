// drachtio-srf: its SipMessage class (exported as Srf.SipMessage), which parses the message
// text the drachtio server forwards. Header values stay strings until getParsedHeader().

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SipMessage } = require('drachtio-srf');

export const contestant = {
  id: 'drachtio-srf',
  version: require('drachtio-srf/package.json').version,
  role: 'peer',
  bodyEncoding: 'utf8',
  api: {
    parse:
      "new Srf.SipMessage(utf8 string) + get('call-id') / getParsedHeader('cseq' | 'via' | 'to')",
  },
  notApplicable: {
    stream:
      'no SIP byte-stream framer: SIP arrives from the drachtio server inside its own length-prefixed protocol',
    build:
      'no response construction in Node: res.send() passes code, reason and extra headers to the drachtio server, which builds the response',
  },
  decode(bytes) {
    return new SipMessage(bytes.toString('utf8'));
  },
  readCore(message, sink) {
    if (message.status !== undefined) {
      sink.type = 'response';
      sink.status = message.status;
      sink.reason = message.reason;
    } else {
      sink.type = 'request';
      sink.method = message.method;
      sink.uri = message.uri;
    }
    sink.callId = message.get('call-id');
    sink.body = message.body;
  },
  readRest(message, sink) {
    const cseq = message.getParsedHeader('cseq');
    sink.seq = cseq.seq;
    sink.cseqMethod = cseq.method;
    sink.branch = message.getParsedHeader('via')[0].params.branch;
    sink.toTag = message.getParsedHeader('to').params.tag;
  },
};
