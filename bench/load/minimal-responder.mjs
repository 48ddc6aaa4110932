// The "minimal Node responder" of the load bench: an upper bound for Node itself, not a SIP
// server. Header lines are found with indexOf, responses are built by string concatenation;
// no parser, no validation, no transaction or dialog state, no retransmission. It answers
// exactly what sipp's built-in uac scenario sends: INVITE → 100, 180, 200 (with SDP, as
// sipwire does), ACK → nothing, BYE and anything else → 200.
//
//   node bench/load/minimal-responder.mjs --port 5070 [--udp | --tcp]
//
// Bench only: never use it as an example of SIP handling.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '5070' },
    udp: { type: 'boolean', default: false },
    tcp: { type: 'boolean', default: false },
  },
});
const host = values.host;
const port = Number(values.port);
const both = !values.udp && !values.tcp;
const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n';

/** The same To tag for every retransmission of a call's INVITE: a hash of the Call-ID line. */
function tagOf(callId) {
  let hash = 5381;
  for (let index = 0; index < callId.length; index++) {
    hash = ((hash << 5) + hash + callId.charCodeAt(index)) | 0;
  }
  return (hash >>> 0).toString(36);
}

/** The value of the first header line starting with `name` (with its colon), or ''. */
function header(text, name) {
  const start = text.indexOf(`\r\n${name}`);
  if (start < 0) return '';
  const end = text.indexOf('\r\n', start + 2);
  return text.slice(start + 2, end);
}

/** Every Via line, in order (sipp sends one). */
function vias(text) {
  let out = '';
  let at = text.indexOf('\r\nVia:');
  while (at >= 0) {
    const end = text.indexOf('\r\n', at + 2);
    out += `${text.slice(at + 2, end)}\r\n`;
    at = text.indexOf('\r\nVia:', end);
  }
  return out;
}

/** The responses to one request, in order. */
function answer(text, transport) {
  const method = text.slice(0, text.indexOf(' '));
  if (method === 'ACK') return [];
  const to = header(text, 'To:');
  const common = `${vias(text)}${header(text, 'From:')}\r\n`;
  const callId = header(text, 'Call-ID:');
  const tail = `${callId}\r\n${header(text, 'CSeq:')}\r\n`;
  const contact = `Contact: <sip:minimal@${host}:${port};transport=${transport}>\r\n`;
  if (method !== 'INVITE') {
    return [`SIP/2.0 200 OK\r\n${common}${to}\r\n${tail}Content-Length: 0\r\n\r\n`];
  }
  const tagged = `${to};tag=m${tagOf(callId)}\r\n`;
  return [
    `SIP/2.0 100 Trying\r\n${common}${to}\r\n${tail}Content-Length: 0\r\n\r\n`,
    `SIP/2.0 180 Ringing\r\n${common}${tagged}${tail}${contact}Content-Length: 0\r\n\r\n`,
    `SIP/2.0 200 OK\r\n${common}${tagged}${tail}${contact}Content-Type: application/sdp\r\n` +
      `Content-Length: ${SDP.length}\r\n\r\n${SDP}`,
  ];
}

if (both || values.udp) {
  const udp = createSocket('udp4');
  udp.on('message', (bytes, remote) => {
    for (const message of answer(bytes.toString('latin1'), 'udp')) {
      udp.send(message, remote.port, remote.address);
    }
  });
  udp.bind(port, host);
}

if (both || values.tcp) {
  createServer((socket) => {
    let pending = '';
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      pending += chunk.toString('latin1');
      let out = '';
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) break;
        const lengthAt = pending.indexOf('\r\nContent-Length:', 0);
        const length =
          lengthAt >= 0 && lengthAt < end ? Number.parseInt(pending.slice(lengthAt + 17), 10) : 0;
        const total = end + 4 + length;
        if (pending.length < total) break;
        out += answer(pending.slice(0, total), 'tcp').join('');
        pending = pending.slice(total);
      }
      if (out !== '') socket.write(out, 'latin1');
    });
  }).listen(port, host);
}

console.log(`minimal responder listening on ${host}:${port}`);
process.on('SIGTERM', () => process.exit(0));
