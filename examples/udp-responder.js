// A stateless SIP responder on UDP: OPTIONS gets 200 OK, every other request 501.
// Run: npm run build && node examples/udp-responder.js [port]   (port 0 picks a free one)
import { createSocket } from 'node:dgram';
import { buildResponse, serialize } from 'sipwire/message';
import { ParseError, parseDatagram } from 'sipwire/parse';

const socket = createSocket('udp4');

socket.on('message', (datagram, peer) => {
  let request;
  try {
    request = parseDatagram(datagram); // one datagram is one message (RFC 3261 §18.3)
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    console.log(`dropped ${peer.address}:${peer.port}: ${error.code} at byte ${error.offset}`);
    return;
  }
  // RFC 3261 §17.1.1.3: an ACK is never answered.
  if (request.type !== 'request' || request.method === 'ACK') return;
  const code = request.method === 'OPTIONS' ? 200 : 501;
  const { response } = buildResponse(request, code, code === 200 ? { allow: ['OPTIONS'] } : {});
  socket.send(serialize(response), peer.port, peer.address);
  console.log(`${request.method} from ${peer.address}:${peer.port} -> ${code}`);
});

socket.bind(Number(process.argv[2] ?? 5060), '127.0.0.1', () => {
  const { address, port } = socket.address();
  console.log(`listening on udp ${address}:${port}`);
});
