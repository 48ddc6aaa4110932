// Builds/s of the response a UAS sends most: a 200 to INVITE with Contact, an SDP body and two
// extra headers, built and serialized, from one parsed INVITE (as a server answers one request).
// Pass a dist folder to compare two builds side by side in one run:
//
//   npm run build && node bench/transaction/build-invite-200.mjs [distA] [distB] ...
//
// Each build is timed in rounds that alternate between the builds; medians are printed.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..', '..');
const dists = process.argv.slice(2);
if (dists.length === 0) dists.push(join(root, 'dist'));

const INVITE =
  'INVITE sip:bob@biloxi.example.com SIP/2.0\r\n' +
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n' +
  'Max-Forwards: 70\r\n' +
  'To: Bob <sip:bob@biloxi.example.com>\r\n' +
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n' +
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n' +
  'CSeq: 314159 INVITE\r\n' +
  'Contact: <sip:alice@pc33.atlanta.example.com>\r\n' +
  'Content-Type: application/sdp\r\n' +
  'Content-Length: 0\r\n\r\n';
const SDP =
  'v=0\r\no=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\ns=-\r\nc=IN IP4 192.0.2.4\r\n' +
  't=0 0\r\nm=audio 3456 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
const OPTIONS = {
  contact: '<sip:bob@192.0.2.4>',
  body: SDP,
  contentType: 'application/sdp',
  headers: { Server: 'sipwire-bench', 'X-Call-Info': 'bench' },
};

const builds = [];
for (const dist of dists) {
  const lib = await import(pathToFileURL(join(dist, 'index.js')).href);
  const requests = Array.from({ length: 1000 }, (_, i) =>
    lib.parseMessage(INVITE.replace('z9hG4bK776asdhds', `z9hG4bK${i}x`)),
  );
  builds.push({ dist, lib, requests, rates: [] });
}

function round(build) {
  const { lib, requests } = build;
  const started = process.hrtime.bigint();
  let bytes = 0;
  for (let pass = 0; pass < 20; pass++) {
    for (const request of requests) {
      bytes += lib.serialize(lib.buildResponse(request, 200, OPTIONS).response).byteLength;
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rate: (20 * requests.length) / seconds, bytes };
}

for (let r = 0; r < 12; r++) {
  for (const build of builds) {
    const { rate } = round(build);
    if (r >= 2) build.rates.push(rate);
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const build of builds) {
  console.log(
    `${build.dist}: ${Math.round(median(build.rates) / 1000)}k builds/s (200 to INVITE, Contact + SDP + 2 headers)`,
  );
}
if (builds.length === 2) {
  console.log(`ratio: ${(median(builds[1].rates) / median(builds[0].rates)).toFixed(2)}×`);
}
