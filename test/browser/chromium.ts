/**
 * Headless Debian Chromium for the browser tests, and a tiny static server on 127.0.0.1 that
 * serves the browser-safe part of dist/ (never dist/node or dist/cli).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { IN_CI, REPO_ROOT } from '../package/harness.js';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. Under CI=true, never skip. */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `${CHROMIUM_PATH} is absent (apt-get install -y chromium): browser tests skipped`;
  if (IN_CI) return undefined; // under CI the launch fails loudly instead
  console.warn(reason);
  return reason;
}

/** A running browser with its own profile folder. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh user-data-dir and no network chatter of its own.
 * @returns the browser context; close() also removes the profile
 */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'sipwire-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Pages and handlers of a test server; paths start with `/`. */
export type Routes = Readonly<Record<string, string>>;

/** A static server on 127.0.0.1 (port 0) plus what it was asked for. */
export interface StaticServer {
  readonly server: Server;
  readonly origin: string;
  /** Every path requested, in order. */
  readonly requested: string[];
  /** Paths answered 404. */
  readonly missing: string[];
  close(): Promise<void>;
}

/** The parts of dist/ a browser may load: the core, never the Node adapter or the CLI. */
const BROWSER_DIST =
  /^\/dist\/(index\.js|errors\.js|(codes|message|parse|transaction|digest)\/[\w/.-]+\.js(\.map)?)$/;

/**
 * Serves `routes` (HTML pages) and the browser-safe JavaScript of dist/ under `/dist/`.
 * @param routes - path → HTML
 * @param handle - optional extra handler; return true when it answered
 * @returns the listening server
 */
export async function serveStatic(
  routes: Routes,
  handle?: (request: IncomingMessage, response: ServerResponse) => boolean,
): Promise<StaticServer> {
  const requested: string[] = [];
  const missing: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    requested.push(path);
    if (handle?.(request, response) === true) return;
    if (path === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    const page = routes[path];
    if (page !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page);
      return;
    }
    const file = normalize(join(REPO_ROOT, path));
    if (BROWSER_DIST.test(path) && file.startsWith(join(REPO_ROOT, 'dist')) && isFile(file)) {
      const type = path.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8';
      response.writeHead(200, { 'content-type': type });
      response.end(readFileSync(file));
      return;
    }
    missing.push(path);
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    requested,
    missing,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** An import map so page code imports `sipwire/…` by name, as bundled user code would. */
export const IMPORT_MAP: string = `<script type="importmap">${JSON.stringify({
  imports: {
    sipwire: '/dist/index.js',
    'sipwire/codes': '/dist/codes/index.js',
    'sipwire/message': '/dist/message/index.js',
    'sipwire/parse': '/dist/parse/index.js',
    'sipwire/transaction': '/dist/transaction/index.js',
    'sipwire/digest': '/dist/digest/index.js',
  },
})}</script>`;
