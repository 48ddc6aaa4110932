// SIP over WebSocket (RFC 7118) without a WebSocket package: a tiny server on node:http that
// serves the page and the browser-safe part of dist/, and echoes every WebSocket message.
// Run: npm run build && node examples/websocket/server.js [port], then open the printed URL.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const here = new URL('./', import.meta.url);
const FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/client.js': ['client.js', 'text/javascript; charset=utf-8'],
};
// Only the core goes to the browser: never dist/node or dist/cli.
const CORE = /^\/dist\/(index|errors|(codes|message|parse)\/[\w/-]+)\.js$/;

const server = createServer(async (request, response) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  const [file, type] = FILES[path] ?? (CORE.test(path) ? [`../..${path}`, 'text/javascript'] : []);
  if (file === undefined) return response.writeHead(404).end();
  response.writeHead(200, { 'content-type': type }).end(await readFile(new URL(file, here)));
});

// RFC 6455 §4.2.2: the accept key proves the server read this handshake.
server.on('upgrade', (request, socket) => {
  const key = request.headers['sec-websocket-key'];
  const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(/\s*,\s*/);
  // RFC 7118 §4.1: the client offers the "sip" subprotocol and the server must select it.
  if (key === undefined || !protocols.includes('sip'))
    return socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  const accept = createHash('sha1')
    .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  socket.write(
    'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: sip\r\n\r\n`,
  );
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (let frame = readFrame(pending); frame !== undefined; frame = readFrame(pending)) {
      pending = pending.subarray(frame.size);
      if (frame.opcode === 0x8) return socket.end(encodeFrame(0x8, frame.payload)); // close
      if (frame.opcode === 0x9) socket.write(encodeFrame(0xa, frame.payload)); // ping → pong
      if (frame.opcode === 0x1 || frame.opcode === 0x2) {
        console.log(
          `echo ${frame.opcode === 0x1 ? 'text' : 'binary'} message, ${frame.payload.length} bytes`,
        );
        socket.write(encodeFrame(frame.opcode, frame.payload));
      }
    }
  });
  socket.on('error', () => socket.destroy());
});

/**
 * One whole frame from the front of `bytes` (RFC 6455 §5.2), or undefined when more is needed.
 * Fragmented messages (§5.4) are not reassembled: a browser sends a SIP message in one frame.
 */
function readFrame(bytes) {
  if (bytes.length < 2) return undefined;
  let length = bytes[1] & 0x7f;
  let offset = 2;
  if (length === 126) [length, offset] = bytes.length < 4 ? [-1, 0] : [bytes.readUInt16BE(2), 4];
  else if (length === 127)
    [length, offset] = bytes.length < 10 ? [-1, 0] : [Number(bytes.readBigUInt64BE(2)), 10];
  const masked = (bytes[1] & 0x80) !== 0; // RFC 6455 §5.3: every client frame is masked
  if (length < 0 || bytes.length < offset + (masked ? 4 : 0) + length) return undefined;
  const mask = masked ? bytes.subarray(offset, offset + 4) : undefined;
  const start = offset + (masked ? 4 : 0);
  const payload = Buffer.from(bytes.subarray(start, start + length));
  if (mask !== undefined) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
  return { opcode: bytes[0] & 0x0f, payload, size: start + length };
}

/** An unfragmented, unmasked server frame (RFC 6455 §5.2). */
function encodeFrame(opcode, payload) {
  const size = payload.length;
  const extra = size < 126 ? 0 : size < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + extra);
  head[0] = 0x80 | opcode; // FIN: the whole message is in this frame
  head[1] = extra === 0 ? size : extra === 2 ? 126 : 127;
  if (extra === 2) head.writeUInt16BE(size, 2);
  if (extra === 8) head.writeBigUInt64BE(BigInt(size), 2);
  return Buffer.concat([head, payload]);
}

server.listen(Number(process.argv[2] ?? 8080), '127.0.0.1', () => {
  const { address, port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`open http://${address}:${port}/`);
});
