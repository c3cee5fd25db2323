// Shared helpers of the browser tests: start the real `zorginkoop` binary on a fresh database
// (SQLite file or PostgreSQL schema), launch Debian's chromium through playwright-core, log in,
// run axe-core, take screenshots.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = process.env.ZORGINKOOP_ROOT ?? resolve(here, '..');
export const BIN = process.env.ZORGINKOOP_BIN ?? join(ROOT, 'target', 'debug', 'zorginkoop');
export const ARTIFACTS = join(here, 'artifacts');
export const PASSWORD = 'demo-wachtwoord';
export const PG_BASE = process.env.ZORGINKOOP_TEST_POSTGRES ?? 'postgres://root@127.0.0.1:5432/test';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Runs the binary with `args` to completion; returns stdout (throws on a non-zero exit). */
export function zk(args, opts = {}) {
  return execFileSync(BIN, args, { encoding: 'utf8', cwd: opts.cwd ?? tmpdir(), ...opts });
}

/**
 * Starts the portal and waits for its line `zorginkoop-portaal op http://127.0.0.1:PORT/`.
 * backend 'sqlite': `zorginkoop demo --db <tmp>/demo.db --port 0` (fresh file, demo data, the
 * demo date). backend 'postgres': `zorginkoop serve` on a fresh schema with `--demo-data`.
 * Returns { url, dbPath?, pgUrl?, dir, stop() }.
 */
export async function startPortal(backend) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run cargo build first`);
  const dir = mkdtempSync(join(tmpdir(), 'zk-e2e-'));
  let args;
  let schema = null;
  let pgUrl = null;
  let dbPath = null;
  if (backend === 'sqlite') {
    dbPath = join(dir, 'demo.db');
    args = ['demo', '--db', dbPath, '--port', '0'];
  } else {
    schema = `zk_e2e_${process.pid}_${Date.now()}`;
    psql(`CREATE SCHEMA ${schema}`);
    const sep = PG_BASE.includes('?') ? '&' : '?';
    pgUrl = `${PG_BASE}${sep}options=-c%20search_path%3D${schema}`;
    args = ['serve', '--database-url', pgUrl, '--demo-data', '--today', '2021-11-01', '--demo-days', '--port', '0'];
  }
  // run in an empty folder: the binary's built-in policies, as for an installed binary
  const child = spawn(BIN, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address after 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/zorginkoop-portaal op (http:\/\/[^\s/]+\/)/);
      if (m) { clearTimeout(timer); resolveUrl(m[1].replace(/\/$/, '')); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${out}\n${err}`)); });
  });
  child.stdout.resume();
  return {
    url,
    dbPath,
    pgUrl,
    dir,
    child,
    output: () => out + err,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (schema) psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function psql(sql) {
  return execFileSync('psql', [PG_BASE, '-v', 'ON_ERROR_STOP=1', '-Atqc', sql], { encoding: 'utf8' });
}

/** Debian's chromium, headless, with a fresh profile (playwright makes one per launch). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

/**
 * A new browser context (own cookies) with a page that records what must not happen: console
 * errors (a CSP violation shows up there), failed requests and uncaught page errors.
 */
export async function newPage(browser, base, opts = {}) {
  const context = await browser.newContext({ baseURL: base, locale: 'nl-NL', ...opts });
  const page = await context.newPage();
  page.problems = [];
  // a page's own status shows in the tests; here: errors of scripts, styles, images (a CSP
  // violation is a console error), and uncaught script errors
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: the server responded/.test(m.text())) {
      page.problems.push(`console on ${page.url()}: ${m.text()}`);
    }
  });
  page.on('response', (r) => {
    const kind = r.request().resourceType();
    if (r.status() >= 400 && !['document', 'fetch', 'xhr'].includes(kind)) {
      page.problems.push(`${kind} ${r.url()}: ${r.status()}`);
    }
  });
  page.on('pageerror', (e) => page.problems.push(`page error on ${page.url()}: ${e.message}`));
  page.setDefaultTimeout(15_000);
  return page;
}

/** Logs in through the form (mouse-free is checked separately). */
export async function login(page, email) {
  await page.goto('/login');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

/**
 * axe-core on the page as it is now; returns the serious and critical violations as readable
 * lines. The portal's CSP forbids inline scripts, so axe goes in through the DevTools protocol
 * (page.evaluate), which the CSP does not govern.
 */
export async function axeProblems(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} [${v.nodes.join(' | ')}]`);
}

/** A screenshot (the whole page, or what the window shows) into e2e/artifacts/NAME.png. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage });
}

/** Clicks (a submit button, a link) and waits until the page it leads to has loaded. */
export async function clickAndLoad(page, locator) {
  const navigated = page.waitForNavigation({ waitUntil: 'load' });
  await locator.click();
  await navigated;
}

/** The session's CSRF token: every logged-in page carries it (the logout form). */
export async function csrfOf(page) {
  return page.locator('input[name="csrf"]').first().getAttribute('value');
}

/** Text of a PDF (poppler's pdftotext), or null when pdftotext is not installed. */
export function pdfText(bytes) {
  try {
    return execFileSync('pdftotext', ['-layout', '-', '-'], { input: bytes, encoding: 'utf8' });
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}
