/**
 * examples/websocket: the page and the echo server, run in headless Chromium. The page sends an
 * OPTIONS as a text frame, answers the echoed request with a 200 sent as a binary frame, and
 * validates the echoed response against its request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumMissing, launchChromium } from '../browser/chromium.js';
import { ensureBuilt } from '../package/harness.js';
import { type RunningExample, startExample } from './process.js';

const skipReason = chromiumMissing();

describe.skipIf(skipReason !== undefined)('examples/websocket in headless Chromium', () => {
  let example: RunningExample;
  let browser: Browser;
  let result: Record<string, unknown>;
  let log: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    example = await startExample(
      'websocket/server.js',
      ['0'],
      /^open (http:\/\/127\.0\.0\.1:\d+\/)$/,
    );
    browser = await launchChromium();
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(example.ready[1] ?? '');
    await page.waitForSelector('body[data-result]', { timeout: 15_000 });
    result = JSON.parse((await page.getAttribute('body', 'data-result')) ?? '{}') as Record<
      string,
      unknown
    >;
    log = (await page.locator('#log').textContent()) ?? '';
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await example?.stop();
  });

  it('negotiates the sip subprotocol and round-trips a request and its response', () => {
    expect(pageErrors).toEqual([]);
    expect(result).toEqual({
      protocol: 'sip',
      received: ['OPTIONS via WS', '200 OK'],
      broken: [],
      toTag: 'ws1',
    });
    expect(log.split('\n').slice(0, 2)).toEqual([
      'got OPTIONS sip:echo@127.0.0.1 over WS',
      'got 200 OK',
    ]);
    expect(log).not.toMatch(/^MUST /m);
  });

  it('echoed one text message and one binary message', async () => {
    await example.waitFor(/^echo binary/);
    expect(example.lines.filter((line) => line.startsWith('echo '))).toEqual([
      expect.stringMatching(/^echo text message, \d+ bytes$/),
      expect.stringMatching(/^echo binary message, \d+ bytes$/),
    ]);
  });
});
