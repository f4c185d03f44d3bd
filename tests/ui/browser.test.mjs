// The UI in a real browser: Debian's Chromium (never a downloaded one), headless, driven by
// playwright-core against the `ui_fixture` registry (this repository's modules, a second vpc
// release, the first one deprecated, anonymous read off). Fails on any console error.
//
//   UI_FIXTURE=target/debug/examples/ui_fixture node --test tests/ui/browser.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fixtureBin = process.env.UI_FIXTURE ?? join(repo, 'target/debug/examples/ui_fixture');
const artifacts = process.env.UI_ARTIFACTS ?? join(repo, 'target/ui-artifacts');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Playwright adds --headless; these keep Chromium off the network and quiet.
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let fixture, fixtureInfo, context, profile, data;
const consoleErrors = [];

function startFixture() {
  data = mkdtempSync(join(tmpdir(), 'modreg-ui-data-'));
  fixture = spawn(fixtureBin, [join(repo, 'modules'), data], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    fixture.once('error', fail);
    fixture.once('exit', (code) => fail(new Error(`ui_fixture exited with ${code} before it was ready`)));
    createInterface({ input: fixture.stdout }).once('line', (line) => ok(JSON.parse(line)));
  });
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  fixtureInfo = await startFixture();
  profile = mkdtempSync(join(tmpdir(), 'modreg-ui-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: CHROMIUM_FLAGS,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: fixtureInfo.base });
  context.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(`${m.location().url}: ${m.text()}`); });
  context.on('weberror', (e) => consoleErrors.push(`page error: ${e.error().message}`));
});

after(async () => {
  await context?.close();
  fixture?.kill('SIGTERM');
  for (const dir of [profile, data]) if (dir) rmSync(dir, { recursive: true, force: true });
});

test('a reader logs in, searches, opens a module, copies its usage and switches versions', async () => {
  const { base, token, deprecated, latest } = fixtureInfo;
  const page = context.pages()[0] ?? await context.newPage();

  // Anonymous read is off: the home page sends the browser to the login form.
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/ui\/login\?next=%2Fui%2F$/);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/ui/`);
  const [cookie] = (await context.cookies(`${base}/ui/`)).filter((c) => c.name === 'modreg_session');
  assert.ok(cookie, 'the login set the session cookie');
  assert.deepEqual([cookie.httpOnly, cookie.secure, cookie.sameSite, cookie.path], [true, true, 'Strict', '/ui']);

  // Home: every module of modules/*, with its latest version.
  const cards = page.locator('li.module-card');
  assert.ok(await cards.count() >= 10, `expected this repository's modules, got ${await cards.count()}`);
  await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });

  // Search as you type: the results change and the URL follows, without submitting.
  await page.getByLabel('Search').pressSequentially('vpc', { delay: 30 });
  await page.waitForURL(`${base}/ui/?q=vpc`);
  await page.locator('#results-count', { hasText: /^1 module$/ }).waitFor();
  assert.equal(await cards.count(), 1);

  // The module page: README, interface, usage.
  await cards.getByRole('link').click();
  await page.waitForURL(`${base}/ui/platform/vpc/aws`);
  assert.equal(await page.locator('h1 .version').innerText(), latest);
  assert.ok(await page.locator('.readme h1, .readme h2').count() > 0, 'the README is rendered');
  assert.ok(await page.locator('table.inputs tbody tr').count() > 5, 'the inputs table is filled');
  assert.ok(await page.locator('table.outputs tbody tr').count() > 0);
  assert.match(await page.locator('#provenance').innerText(), /vpc\/v\d+\.\d+\.0/);

  // Copy the usage snippet: the clipboard holds exactly the block shown.
  const snippet = await page.locator('#usage-code').innerText();
  assert.match(snippet, new RegExp(`source  = "${new URL(base).host}/platform/vpc/aws"`));
  assert.match(snippet, /version = "~> \d+\.\d+"/);
  await page.getByRole('button', { name: 'Copy' }).first().click();
  await page.locator('#usage-status', { hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet.endsWith('\n') ? snippet : `${snippet}\n`);
  await page.screenshot({ path: join(artifacts, 'module.png') });
  await page.screenshot({ path: join(artifacts, 'module-full.png'), fullPage: true });

  // Switch to the older, deprecated version from the version list.
  await page.locator('#versions').getByRole('link', { name: deprecated, exact: true }).click();
  await page.waitForURL(`${base}/ui/platform/vpc/aws/${deprecated}`);
  assert.equal(await page.locator('h1 .badge.deprecated').innerText(), 'deprecated');
  assert.match(await page.locator('.notice.deprecated').innerText(), /flow logs were off by default/);
  assert.match(await page.locator('.notice.deprecated').innerText(), new RegExp(`Use ${latest.replaceAll('.', '\\.')} instead`));
  await page.screenshot({ path: join(artifacts, 'module-deprecated.png') });

  // Changes between the two versions.
  await page.locator('#versions a.compare').first().click();
  await page.waitForURL(new RegExp(`/ui/platform/vpc/aws/diff\\?from=${deprecated}&to=${latest}$`));
  assert.match(await page.locator('#verdict').innerText(), /0 breaking/);

  // Logging out ends the session: the next page asks for a token again.
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(/\/ui\/login\?next=%2Fui%2F$/);

  assert.deepEqual(consoleErrors, [], 'no console errors');
});

test('without JavaScript the pages still work, with the API token as a bearer header', async () => {
  const { base, token } = fixtureInfo;
  // A second browser (Playwright gives it a fresh temporary profile) with script turned off.
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_FLAGS });
  try {
    const noJs = await browser.newContext({
      javaScriptEnabled: false,
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    });
    const page = await noJs.newPage();
    await page.goto(`${base}/ui/`);
    await page.getByLabel('Search').fill('kms');
    await page.getByLabel('Search').press('Enter');
    await page.waitForURL(`${base}/ui/?q=kms&namespace=&system=`);
    assert.ok(await page.locator('li.module-card').count() >= 1);
    await page.locator('li.module-card').getByRole('link', { name: /kms$/ }).click();
    await page.waitForURL(`${base}/ui/platform/kms/aws`);
    assert.match(await page.locator('#usage-code').innerText(), /platform\/kms\/aws/);
    assert.equal(await page.locator('button.copy').first().isHidden(), true, 'no copy button without script');
  } finally {
    await browser.close();
  }
});
