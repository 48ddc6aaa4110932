// SIP over TCP: the byte stream is framed into messages by Content-Length (RFC 3261 §18.3),
// whatever the TCP segments look like. Each connection pipes into the Node stream adapter.
// Run: npm run build && node examples/tcp-framing.js [port]   (port 0 picks a free one)
import { createServer } from 'node:net';
import { buildResponse, serialize } from 'sipwire/message';
import { createParserTransform } from 'sipwire/node';
import { ParseError } from 'sipwire/parse';

const server = createServer((socket) => {
  const messages = createParserTransform({
    // RFC 5626 §3.5.1: answer a CRLFCRLF ping with a CRLF pong.
    onKeepAlive: (kind) => {
      if (kind === 'ping') socket.write('\r\n');
    },
  });
  socket.pipe(messages);
  socket.on('error', (error) => console.log(`connection error: ${error.message}`));

  messages.on('data', (message) => {
    if (message.type !== 'request' || message.method === 'ACK') return;
    const code = message.method === 'OPTIONS' ? 200 : 486;
    const { response } = buildResponse(message, code);
    socket.write(serialize(response));
    console.log(`${message.method} at byte ${message.offset} -> ${code}`);
  });

  // A framing error poisons the rest of the stream: report it and close the connection.
  messages.on('error', (error) => {
    const why =
      error instanceof ParseError ? `${error.code} at byte ${error.offset}` : error.message;
    console.log(`closing: ${why}`);
    socket.destroy();
  });
});

server.listen(Number(process.argv[2] ?? 5060), '127.0.0.1', () => {
  const { address, port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`listening on tcp ${address}:${port}`);
});
