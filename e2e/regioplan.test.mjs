// The regio-organisatie's own process in a real browser (document 002, O&I 2026-2027), on the
// real binary with the demo's own day per organisation (the RO on 2 June 2025): the RO writes and
// submits its regioplan, the purchaser gives feedback within the term, the RO resubmits, the
// purchaser approves; the O&I application carries the plan's answers, is granted, proposed and
// signed by the RO's signatory; then a chronic-care module. Screenshots in e2e/artifacts/
// (regioplan-*.png), axe on the RO's and the purchaser's plan pages.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPortal, launchBrowser, newPage, login, axeProblems, screenshot, clickAndLoad,
} from './lib.mjs';

const RO = 'medewerker@ro-utrecht.example';
const RO_SIGNER = 'bestuurder@ro-utrecht.example';
const PURCHASER = 'inkoper@zorgverzekeraar.example';

const TOPICS = ['mission', 'oi_levels', 'accessibility', 'digitalisation', 'chronic_care',
  'frail_elderly', 'resv', 'mtvp', 'gp_policy_modules', 'gli'];

for (const backend of ['sqlite', 'postgres']) {
  const full = backend === 'sqlite';
  describe(`regioplan in de browser (${backend})`, () => {
    let portal;
    let browser;
    let ro;
    let purchaser;
    let signer;
    let planId;
    let applicationId;
    const axe = {};

    async function look(page, name) {
      if (!full) return;
      await screenshot(page, name);
      axe[name] = await axeProblems(page);
    }

    before(async () => {
      portal = await startPortal(backend);
      browser = await launchBrowser();
    });

    after(async () => {
      const problems = [ro, purchaser, signer].flatMap((p) => p?.problems ?? []);
      await browser?.close();
      await portal?.stop();
      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing resources');
      if (full) {
        for (const [name, found] of Object.entries(axe)) assert.deepEqual(found, [], `axe on ${name}`);
      }
    });

    async function fillPlan(page, withPharmacists) {
      for (const t of TOPICS) {
        await page.locator(`textarea[name="onderwerp.${t}"]`).fill(`Onze aanpak (${t}) voor de regio Utrecht.`);
      }
      const rows = [['district_nurses', 'Thuiszorg Utrecht'], ['physiotherapists', 'Fysio Utrecht']];
      if (withPharmacists) rows.push(['pharmacists', 'Apothekers Utrecht']);
      for (const [i, [d, who]] of rows.entries()) {
        await page.getByLabel(`Discipline, rij ${i + 1}`, { exact: true }).selectOption(d);
        await page.getByLabel(`Wie, rij ${i + 1}`, { exact: true }).fill(who);
        await page.getByLabel(`Inbreng, rij ${i + 1}`, { exact: true }).fill('lid van de regiotafel');
      }
      const yesNo = page.locator('select[name^="is."]');
      for (let i = 0; i < await yesNo.count(); i += 1) await yesNo.nth(i).selectOption('ja');
      await page.getByLabel('Aantal ingeschreven verzekerden bij de aangesloten huisartsen').fill('100.000');
      await page.getByLabel('Soort kosten, regel 1', { exact: true }).selectOption('personnel');
      await page.getByLabel('Omschrijving, regel 1', { exact: true }).fill('Programmamanagement');
      await page.getByLabel('Bedrag 2026, regel 1', { exact: true }).fill('1.000.000,00');
      await page.getByLabel('Bedrag 2027, regel 1', { exact: true }).fill('1.030.000,00');
    }

    test('de regio-organisatie stelt het regioplan op en dient het in', async () => {
      ro = await newPage(browser, portal.url);
      await login(ro, RO);
      await ro.goto('/regioplan');
      assert.match(await ro.locator('.banner').innerText(), /2 juni 2025/, 'the RO\'s own demo day');
      await clickAndLoad(ro, ro.getByRole('button', { name: 'Regioplan opstellen' }));
      await fillPlan(ro, false);
      await clickAndLoad(ro, ro.getByRole('button', { name: 'Opslaan', exact: true }));
      const check = await ro.locator('#controle').locator('..').innerText();
      assert.match(check, /Apothekers/, 'the check names the missing discipline');
      assert.match(check, /€ 1\.200\.000,00/, 'the region maximum of 2026 beside the budget');
      await look(ro, 'regioplan-concept');
      await clickAndLoad(ro, ro.getByRole('button', { name: 'Opslaan en indienen' }));
      const main = await ro.locator('main').innerText();
      assert.match(main, /Ronde 1/);
      assert.match(main, /21 dagen over/);
      assert.match(main, /23 juni 2025/);
      planId = await ro.evaluate(() => fetch('/api/v1/regioplannen').then((r) => r.json()).then((l) => l[0].plan.id));
      assert.ok(planId > 0);
      await look(ro, 'regioplan-ingediend');
    });

    test('de inkoper geeft binnen de termijn feedback op het netwerk', async () => {
      purchaser = await newPage(browser, portal.url);
      await login(purchaser, PURCHASER);
      await purchaser.goto('/inkoop/regioplannen');
      assert.match(await purchaser.locator('main').innerText(), /21 dagen over/);
      await look(purchaser, 'regioplan-werkvoorraad');
      await clickAndLoad(purchaser, purchaser.getByRole('link', { name: 'Regio-organisatie Utrecht Stad' }));
      await look(purchaser, 'regioplan-beoordeling');
      const fieldsets = purchaser.locator('form[action$="/reactie"] fieldset');
      for (let i = 0; i < await fieldsets.count(); i += 1) {
        const fs = fieldsets.nth(i);
        const legend = await fs.locator('legend').innerText();
        if (/netwerk/i.test(legend)) {
          await fs.getByRole('radio', { name: 'Feedback' }).check();
          await fs.getByRole('textbox').fill('Betrek ook de apothekers.');
        } else {
          await fs.getByRole('radio', { name: 'Goed' }).check();
        }
      }
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Reactie versturen' }));
      assert.match(await purchaser.locator('main').innerText(), /teruggegeven met feedback/);
    });

    test('de regio-organisatie past het plan aan en dient opnieuw in; de inkoper keurt goed', async () => {
      await ro.goto('/regioplan');
      assert.match(await ro.locator('main').innerText(), /Betrek ook de apothekers\./);
      await ro.getByLabel('Discipline, rij 3', { exact: true }).selectOption('pharmacists');
      await ro.getByLabel('Wie, rij 3', { exact: true }).fill('Apothekers Utrecht');
      await clickAndLoad(ro, ro.getByRole('button', { name: 'Opslaan en indienen' }));
      assert.match(await ro.locator('main').innerText(), /Ronde 2/);
      await purchaser.goto(`/inkoop/regioplannen/${planId}`);
      const goed = purchaser.getByRole('radio', { name: 'Goed' });
      for (let i = 0; i < await goed.count(); i += 1) await goed.nth(i).check();
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Reactie versturen' }));
      assert.match(await purchaser.locator('main').innerText(), /goedgekeurd/);
      await ro.goto('/regioplan');
      assert.match(await ro.locator('main').innerText(), /Uw regioplan is goedgekeurd/);
      await look(ro, 'regioplan-goedgekeurd');
      await clickAndLoad(ro, ro.getByRole('link', { name: 'Naar de aanvraag O&I-overeenkomst' }));
      applicationId = Number(new URL(ro.url()).pathname.split('/')[2]);
      assert.ok(applicationId > 0);
    });

    test('de O&I-overeenkomst: aanvragen, toekennen, voorstellen, ondertekenen', async () => {
      // the remaining questions of the O&I contract: yes to every yes/no question, figures
      const yes = ro.getByRole('radio', { name: 'Ja', exact: true });
      for (let i = 0; i < await yes.count(); i += 1) await yes.nth(i).check();
      const numbers = { inhabitants: '450000', gp_share: '0,9', inhabitant_share: '0,9' };
      for (const [name, value] of Object.entries(numbers)) {
        const input = ro.locator(`input[name="${name}"]`);
        if (await input.count()) await input.fill(value);
      }
      const no = ro.locator('input[type="radio"][name="other_ro_contracted_in_city"][value="nee"]');
      if (await no.count()) await no.check();
      await clickAndLoad(ro, ro.getByRole('button', { name: 'Opslaan' }));
      await look(ro, 'regioplan-oi-aanvraag');
      await clickAndLoad(ro, ro.getByRole('button', { name: 'Indienen' }));
      assert.match(await ro.locator('main').innerText(), /ingediend/i);
      await purchaser.goto(`/inkoop/aanvragen/${applicationId}`);
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'In behandeling nemen' }));
      await purchaser.goto(`/inkoop/aanvragen/${applicationId}`);
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Toekennen' }));
      await purchaser.goto(`/inkoop/aanvragen/${applicationId}`);
      await clickAndLoad(purchaser, purchaser.getByRole('link', { name: 'Contract voorstellen' }));
      const inputs = purchaser.locator('main form input[type="text"]');
      for (let i = 0; i < await inputs.count(); i += 1) {
        if (!(await inputs.nth(i).inputValue())) await inputs.nth(i).fill('10,00');
      }
      const start = purchaser.getByLabel('Startdatum');
      if (!(await start.inputValue())) await start.fill('2026-01-01');
      const end = purchaser.getByLabel('Einddatum');
      if (!(await end.inputValue())) await end.fill('2027-12-31');
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: /voorstellen/i }));
      signer = await newPage(browser, portal.url);
      await login(signer, RO_SIGNER);
      await signer.goto('/contracten');
      await clickAndLoad(signer, signer.locator('main a[href^="/contracten/"]').first());
      const confirm = signer.getByRole('checkbox');
      if (await confirm.count()) await confirm.first().check();
      await clickAndLoad(signer, signer.getByRole('button', { name: /ondertekenen|accepteren/i }));
      assert.match(await signer.locator('main').innerText(), /ondertekend|geaccepteerd|getekend/i);
      await look(signer, 'regioplan-oi-getekend');
    });
  });
}
