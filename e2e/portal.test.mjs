// The portal's main path in a real browser (Debian's headless chromium, playwright-core), on
// the real binary: a GP practice runs a what-if, applies for `basiszorg`, the purchaser takes it
// into review, grants it and proposes a contract, the practice's non-signer cannot sign, the
// signer signs, both PDFs download; the signed contract is then in `contracts export` and in a
// claims check. Once on a fresh SQLite file (`zorginkoop demo`, with accessibility checks,
// keyboard check and screenshots) and once on a fresh PostgreSQL schema (`zorginkoop serve`).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startPortal, launchBrowser, newPage, login, axeProblems, screenshot, csrfOf, pdfText, zk,
  clickAndLoad, PASSWORD,
} from './lib.mjs';

const PROVIDER = 'medewerker@delinde.example';
const SIGNER = 'huisarts@delinde.example';
const PURCHASER = 'inkoper@zorgverzekeraar.example';

for (const backend of ['sqlite', 'postgres']) {
  const full = backend === 'sqlite'; // accessibility, keyboard and screenshots once
  describe(`hoofdpad in de browser (${backend})`, () => {
    let portal;
    let browser;
    let provider;
    let purchaser;
    let signer;
    let applicationId;
    let proposalId;
    const axe = {};

    // a page checked by axe (on the SQLite run) and kept as a screenshot
    async function look(page, name) {
      if (!full) return;
      await screenshot(page, name);
      axe[name] = await axeProblems(page);
    }

    let contractsBefore = [];

    before(async () => {
      portal = await startPortal(backend);
      browser = await launchBrowser();
      contractsBefore = exportedContracts(portal)
        .filter((r) => r.provider_agb === '01012345' && r.module === 'basiszorg');
    });

    after(async () => {
      const problems = [provider, purchaser, signer].flatMap((p) => p?.problems ?? []);
      await browser?.close();
      await portal?.stop();
      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing resources');
    });

    test('inloggen met alleen het toetsenbord (Tab en Enter)', async () => {
      provider = await newPage(browser, portal.url);
      await provider.goto('/login');
      await look(provider, 'login');
      // from the top of the page: Tab until the e-mail field has the focus
      let tabs = 0;
      while (tabs < 15) {
        await provider.keyboard.press('Tab');
        tabs += 1;
        if (await provider.evaluate(() => document.activeElement?.id === 'email')) break;
      }
      assert.equal(await provider.evaluate(() => document.activeElement?.id), 'email',
        'Tab reaches the e-mail field');
      await provider.keyboard.type(PROVIDER);
      await provider.keyboard.press('Tab');
      assert.equal(await provider.evaluate(() => document.activeElement?.id), 'wachtwoord',
        'the next Tab is the password');
      await provider.keyboard.type(PASSWORD);
      await provider.keyboard.press('Enter');
      await provider.waitForURL('**/dashboard');
      await assert.doesNotReject(provider.getByRole('heading', { level: 1 }).waitFor());
      await look(provider, 'dashboard');
    });

    test('een verkeerd wachtwoord geeft een melding', async () => {
      const other = await newPage(browser, portal.url);
      await other.goto('/login');
      await other.getByLabel('E-mailadres').fill(PROVIDER);
      await other.getByLabel('Wachtwoord').fill('niet-het-wachtwoord');
      await other.getByRole('button', { name: 'Inloggen' }).click();
      await other.getByRole('alert').waitFor();
      assert.match(await other.getByRole('alert').innerText(), /\S/);
      assert.match(new URL(other.url()).pathname, /^\/login/);
      await other.context().close();
    });

    test('een rekentool (wat-als)', async () => {
      await provider.goto('/rekentools');
      await look(provider, 'rekentools');
      const link = provider.locator('main a[href^="/rekentools/"]').first();
      await clickAndLoad(provider, link);
      // every number input gets a plausible figure; selects keep their first option
      const numbers = provider.locator('main form input[type="number"]');
      for (let i = 0; i < await numbers.count(); i += 1) await numbers.nth(i).fill('2350');
      await clickAndLoad(provider, provider.getByRole('button', { name: 'Berekenen' }));
      const main = await provider.locator('main').innerText();
      assert.doesNotMatch(main, /fout|ongeldig/i, main);
      assert.match(main, /\d/, 'a result with figures');
      await look(provider, 'rekentool-resultaat');
    });

    test('een weekrooster is een tabel met rijen, niet een JSON-veld', async () => {
      await provider.goto('/rekentools/oaw-hours');
      assert.match(await provider.title(), /OAW-spreekuren/);
      assert.equal(await provider.locator('main textarea').count(), 0, 'no JSON text area');
      await provider.getByLabel('ingeschreven patiënten').fill('3000');
      await provider.getByLabel('dag, rij 1').selectOption('maandag');
      await provider.getByLabel('begin (UU:MM), rij 1').fill('17:00');
      await provider.getByLabel('einde (UU:MM), rij 1').fill('19:00');
      await provider.getByLabel('aantal huisartsen tegelijk, rij 1').fill('2');
      await clickAndLoad(provider, provider.getByRole('button', { name: 'Berekenen' }));
      const result = await provider.locator('#uitkomst').innerText();
      assert.doesNotMatch(result, /fout|ongeldig/i, result);
      // 2 hours with 2 GPs count as 4; the minimum for 3,000 patients is 2,5 hours
      assert.match(result, /4/, result);
      assert.match(result, /2,5/, result);
      // the rows filled in stay, with two empty rows more
      assert.equal(await provider.getByLabel('begin (UU:MM), rij 1').inputValue(), '17:00');
      assert.equal(await provider.locator('main tbody tr:has(select)').count(), 3);
      await look(provider, 'rekentool-rooster');
    });

    test('de catalogus toont basiszorg met een beslissing en de knop Aanvragen', async () => {
      await provider.goto('/catalogus');
      const form = provider.locator('form:has(input[name="module"][value="basiszorg"])');
      await form.waitFor();
      await look(provider, 'catalogus');
      if (full) {
        await provider.setViewportSize({ width: 390, height: 844 });
        await screenshot(provider, 'catalogus-telefoon');
        await screenshot(provider, 'catalogus-telefoon-scherm', { fullPage: false });
        const overflow = await provider.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 1, `the catalogue scrolls sideways on a phone by ${overflow}px`);
        await provider.setViewportSize({ width: 1280, height: 800 });
      }
      // every decision links to its passage
      assert.ok(await provider.locator('main a[href^="/bron/"]').count() > 0, 'citations link to /bron/');
      // the explanation step by step is loaded when opened (htmx), every step with its citation
      const card = provider.locator('section.module', { has: form });
      await card.locator('details.explanation summary').click();
      const steps = card.locator('details.explanation .uitleg ol.trace > li');
      await steps.first().waitFor();
      assert.equal(await steps.count(), 3, 'basiszorg: three steps');
      assert.equal(await card.locator('.uitleg figure.citation a[href^="/bron/"]').count(), 3,
        'every step links to its passage');
      await clickAndLoad(provider, form.getByRole('button', { name: 'Aanvragen' }));
      assert.match(new URL(provider.url()).pathname, /^\/aanvragen\/\d+$/);
      applicationId = Number(new URL(provider.url()).pathname.split('/')[2]);
    });

    test('de aanvraag: twee vragen Ja, Opslaan, Indienen', async () => {
      const decision = provider.locator('#beslissing');
      assert.equal(await decision.getAttribute('aria-live'), 'polite');
      assert.match(await decision.innerText(), /informatie nodig/i, 'before the answers: information needed');
      await look(provider, 'aanvraag');
      const yes = provider.getByRole('radio', { name: 'Ja', exact: true });
      assert.equal(await yes.count(), 2, 'basiszorg asks two yes/no questions');
      for (let i = 0; i < 2; i += 1) await yes.nth(i).check();
      // htmx posts each change and swaps in the decision: no reload needed
      await provider.locator('#beslissing', { hasText: 'komt in aanmerking' }).waitFor();
      await clickAndLoad(provider, provider.getByRole('button', { name: 'Opslaan' }));
      assert.equal(new URL(provider.url()).pathname, `/aanvragen/${applicationId}`);
      // the answers survive a new visit (drafts survive a closed browser)
      await provider.goto(`/aanvragen/${applicationId}`);
      assert.equal(await provider.getByRole('radio', { name: 'Ja', exact: true, checked: true }).count(), 2,
        'the saved answers are shown again');
      await look(provider, 'aanvraag-beantwoord');
      await clickAndLoad(provider, provider.getByRole('button', { name: 'Indienen' }));
      await provider.goto(`/aanvragen/${applicationId}`);
      assert.match(await provider.locator('main').innerText(), /ingediend/i);
      assert.equal(await provider.getByRole('button', { name: 'Indienen' }).count(), 0,
        'a submitted application cannot be submitted again');
    });

    test('de inkoper neemt de aanvraag in behandeling, kent toe en stelt een contract voor', async () => {
      purchaser = await newPage(browser, portal.url);
      await login(purchaser, PURCHASER);
      await purchaser.goto('/inkoop');
      await look(purchaser, 'inkoop-wachtrij');
      await clickAndLoad(purchaser, purchaser.locator(`a[href="/inkoop/aanvragen/${applicationId}"]`).first());
      await look(purchaser, 'inkoop-beoordeling');
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'In behandeling nemen' }));
      await purchaser.goto(`/inkoop/aanvragen/${applicationId}`);
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Toekennen' }));
      await purchaser.goto(`/inkoop/aanvragen/${applicationId}`);
      await clickAndLoad(purchaser, purchaser.getByRole('link', { name: 'Contract voorstellen' }));
      assert.match(new URL(purchaser.url()).pathname, /\/voorstel$/);
      await look(purchaser, 'inkoop-voorstel');
      const start = purchaser.getByLabel('Startdatum');
      if (!(await start.inputValue())) await start.fill('2022-01-01');
      const end = purchaser.getByLabel('Einddatum');
      if (!(await end.inputValue())) await end.fill('2023-12-31');
      // tariffs: the policy values are prefilled or shown; fill an empty one with a figure
      const inputs = purchaser.locator('main form input[type="text"], main form input[type="number"]');
      for (let i = 0; i < await inputs.count(); i += 1) {
        const input = inputs.nth(i);
        const name = await input.getAttribute('name');
        if (/plafond/i.test(name ?? '')) continue;
        if (!(await input.inputValue())) await input.fill('10,00');
      }
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Voorstel versturen' }));
      assert.match(new URL(purchaser.url()).pathname, /^\/voorstellen\/\d+$/, await purchaser.locator('main').innerText());
      proposalId = Number(new URL(purchaser.url()).pathname.split('/')[2]);
      await look(purchaser, 'voorstel-inkoper');
    });

    test('een medewerker zonder tekenbevoegdheid kan niet ondertekenen', async () => {
      await provider.goto(`/voorstellen/${proposalId}`);
      const main = provider.locator('main');
      await main.getByText('Alleen een tekenbevoegde kan dit voorstel ondertekenen of weigeren.').waitFor();
      assert.equal(await provider.getByRole('button', { name: 'Ondertekenen' }).count(), 0);
      await look(provider, 'voorstel-medewerker');
      // and the server refuses it too
      const csrf = await csrfOf(provider);
      const res = await provider.request.post(`/voorstellen/${proposalId}/ondertekenen`, {
        form: { csrf, text_sha256: '0'.repeat(64) },
        maxRedirects: 0,
      });
      assert.equal(res.status(), 403, 'a non-signer’s signature is refused');
    });

    test('de tekenbevoegde ondertekent; samenvatting en ontvangstbewijs als PDF', async () => {
      signer = await newPage(browser, portal.url);
      await login(signer, SIGNER);
      await signer.goto(`/voorstellen/${proposalId}`);
      await look(signer, 'voorstel-tekenbevoegde');
      const signedSha = await signer.locator(`form[action="/voorstellen/${proposalId}/ondertekenen"] input[name="text_sha256"]`).getAttribute('value');
      assert.match(signedSha, /^[0-9a-f]{64}$/);
      await clickAndLoad(signer, signer.getByRole('button', { name: 'Ondertekenen' }));
      await signer.goto(`/voorstellen/${proposalId}`);
      const receipt = signer.getByRole('link', { name: 'Ontvangstbewijs (PDF)' });
      await receipt.waitFor();
      await look(signer, 'voorstel-ondertekend');

      const summaryHref = await signer.getByRole('link', { name: 'Samenvatting (PDF)' }).getAttribute('href');
      assert.equal(summaryHref, `/voorstellen/${proposalId}/samenvatting.pdf`);
      const summary = await signer.request.get(summaryHref);
      assert.equal(summary.status(), 200);
      const summaryBytes = await summary.body();
      assert.equal(summaryBytes.subarray(0, 5).toString('latin1'), '%PDF-');

      const receiptHref = await receipt.getAttribute('href');
      assert.equal(receiptHref, `/voorstellen/${proposalId}/ontvangstbewijs.pdf`);
      const res = await signer.request.get(receiptHref);
      assert.equal(res.status(), 200);
      const bytes = await res.body();
      assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
      const text = pdfText(bytes);
      if (text !== null) {
        assert.match(text, /Ontvangstbewijs/);
        assert.ok(text.includes(signedSha), 'the receipt names the SHA-256 of the text signed');
        assert.match(text, /Hanna de Linde/, 'the receipt names the signer');
      }
      if (full) {
        mkdirSync(join(import.meta.dirname ?? '.', 'artifacts'), { recursive: true });
        writeFileSync(join(import.meta.dirname ?? '.', 'artifacts', 'ontvangstbewijs.pdf'), bytes);
        writeFileSync(join(import.meta.dirname ?? '.', 'artifacts', 'samenvatting.pdf'), summaryBytes);
      }
      // the provider's contract list shows it
      await provider.goto('/contracten');
      await provider.locator(`a[href="/voorstellen/${proposalId}"]`).first().waitFor();
      await look(provider, 'contracten');
    });

    test('het getekende contract staat in contracts export en telt in een claimscontrole', async () => {
      const ours = exportedContracts(portal).filter((r) => r.provider_agb === '01012345' && r.module === 'basiszorg');
      assert.equal(ours.length, 1, 'one basiszorg contract of AGB 01012345 after signing');
      assert.equal(contractsBefore.length, 0, 'and none before');
      const c = ours[0];
      // one claim line of the practice for basiszorg (prestatie 13100) on the contract's first
      // day, checked with and without the exported contracts
      const tariff = c.tariff_cents || '1000';
      const granted = claimsCheck(portal.dir, 'met', exportedCsv(portal), c.start, tariff);
      assert.equal(granted.decision, 'granted', JSON.stringify(granted));
      assert.equal(granted.granted_cents, tariff);
      const header = exportedCsv(portal).split('\n')[0];
      const refused = claimsCheck(portal.dir, 'zonder', `${header}\n`, c.start, tariff);
      assert.equal(refused.decision, 'rejected', JSON.stringify(refused));
      assert.match(refused.reason_codes, /NO-CONTRACT/);
    });

    test('de afrekening wijkverpleging 2021: regel voor regel, met spiegelinformatie en als xlsx', async () => {
      const nurse = await newPage(browser, portal.url);
      await login(nurse, 'planner@dewijk.example');
      await nurse.goto('/afrekeningen');
      const link = nurse.getByRole('link', { name: /Thuiszorg De Wijk/ });
      await clickAndLoad(nurse, link);
      await nurse.getByRole('heading', { level: 1, name: /Afrekening wijkverpleging 2021/ }).waitFor();
      // every step cites its passage, with a link to it
      const steps = await nurse.locator('ol.statement > li').count();
      const cited = await nurse.locator('ol.statement > li figure.citation a').count();
      assert.ok(steps >= 5, `${steps} steps`);
      assert.equal(cited, steps, 'each step links to its passage');
      // the mirror information: charts with an accessible name, the others unnamed
      const charts = nurse.getByRole('img');
      assert.ok(await charts.count() >= 1, 'a mirror chart');
      // the figures table is in a closed <details>, the chart's labels in SVG titles: textContent
      const body = await nurse.locator('main').textContent();
      assert.match(body, /aanbieder 1/);
      assert.doesNotMatch(body, /75100011/);
      await look(nurse, 'afrekening');
      const href = await nurse.getByRole('link', { name: /Excel/ }).getAttribute('href');
      const xlsx = await nurse.request.get(href);
      assert.equal(xlsx.status(), 200);
      assert.equal((await xlsx.body()).subarray(0, 2).toString('latin1'), 'PK');
      assert.deepEqual(nurse.problems, [], 'no script errors, CSP violations or missing resources');
      await nurse.close();
    });

    // the same pages on both backends: checked once
    if (full) test('axe-core: geen ernstige of kritieke problemen op de hoofdpagina’s', () => {
      const pages = Object.keys(axe);
      for (const must of ['login', 'dashboard', 'catalogus', 'aanvraag', 'inkoop-wachtrij',
        'inkoop-beoordeling', 'inkoop-voorstel', 'voorstel-tekenbevoegde', 'afrekening']) {
        assert.ok(pages.includes(must), `axe ran on ${must}`);
      }
      const problems = Object.entries(axe).flatMap(([name, list]) => list.map((l) => `${name}: ${l}`));
      assert.deepEqual(problems, []);
    });
  });
}

/** `zorginkoop contracts export` of the portal's database (SQLite file or PostgreSQL URL). */
function exportedCsv(portal) {
  const out = join(portal.dir, 'contracts.csv');
  zk(['contracts', 'export', '--db', portal.dbPath ?? portal.pgUrl, '--out', out]);
  return readFileSync(out, 'utf8');
}

/** The exported contracts as objects by column name. */
function exportedContracts(portal) {
  const [head, ...rows] = exportedCsv(portal).trim().split('\n');
  const cols = head.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

/** `zorginkoop claims check` of one CSV claim line of De Linde for prestatie 13100 on `date`
 * with `contractsCsv` as the contracts; returns the line's row of results.csv. */
function claimsCheck(dir, name, contractsCsv, date, tariffCents) {
  const base = join(dir, `claims-${name}`);
  const context = join(base, 'context');
  mkdirSync(context, { recursive: true });
  writeFileSync(join(context, 'contracts.csv'), contractsCsv);
  writeFileSync(join(context, 'chains.csv'), 'bsn,chain,from,to\n');
  writeFileSync(join(context, 'insured.csv'),
    'bsn,uzovi,birth_date,postcode,from,to\n123456782,3311,1970-01-01,3511,2000-01-01,\n');
  const claims = join(base, 'claims.csv');
  writeFileSync(claims,
    'provider_agb,bsn,uzovi,prestatie,start_date,end_date,count,tariff_cents,amount_cents,reference\n'
    + `01012345,123456782,3311,13100,${date},${date},1,${tariffCents},${tariffCents},e2e\n`);
  // checked a month after the service date (within every claim window)
  const checkedOn = new Date(Date.parse(`${date}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  zk(['claims', 'check', claims, '--context', context, '--out', join(base, 'out'), '--no-history',
    '--quiet', '--date', checkedOn]);
  const [head, row] = readFileSync(join(base, 'out', 'results.csv'), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return Object.fromEntries(row.split(',').map((v, i) => [cols[i], v]));
}
