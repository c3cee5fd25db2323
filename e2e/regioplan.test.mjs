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

    // the common path for one application: the RO answers, submits; the purchaser grants and
    // proposes; the RO's signatory signs. Returns the signed proposal's page text.
    async function applyGrantSign(id, answers, name) {
      await ro.goto(`/aanvragen/${id}`);
      const yes = ro.locator('main form input[type="radio"][value="ja"]');
      for (let i = 0; i < await yes.count(); i += 1) await yes.nth(i).check();
      for (const [fact, value] of Object.entries(answers)) {
        const input = ro.locator(`main form [name="${fact}"]`);
        if (await input.count() === 0) continue;
        if (await input.first().getAttribute('type') === 'radio') {
          await ro.locator(`main form input[name="${fact}"][value="${value}"]`).check();
        } else {
          await input.first().fill(value);
        }
      }
      await clickAndLoad(ro, ro.getByRole('button', { name: 'Opslaan' }));
      await look(ro, `${name}-aanvraag`);
      await clickAndLoad(ro, ro.getByRole('button', { name: 'Indienen' }));
      await ro.goto(`/aanvragen/${id}`);
      assert.match(await ro.locator('main').innerText(), /ingediend/i);
      await purchaser.goto(`/inkoop/aanvragen/${id}`);
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'In behandeling nemen' }));
      await purchaser.goto(`/inkoop/aanvragen/${id}`);
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Toekennen' }));
      await purchaser.goto(`/inkoop/aanvragen/${id}`);
      await clickAndLoad(purchaser, purchaser.getByRole('link', { name: 'Contract voorstellen' }));
      const start = purchaser.getByLabel('Startdatum');
      if (!(await start.inputValue())) await start.fill('2026-01-01');
      const end = purchaser.getByLabel('Einddatum');
      if (!(await end.inputValue())) await end.fill('2027-12-31');
      const inputs = purchaser.locator('main form input[type="text"], main form input[type="number"]');
      for (let i = 0; i < await inputs.count(); i += 1) {
        const input = inputs.nth(i);
        if (/plafond/i.test((await input.getAttribute('name')) ?? '')) continue;
        if (!(await input.inputValue())) await input.fill('10,00');
      }
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Voorstel versturen' }));
      assert.match(new URL(purchaser.url()).pathname, /^\/voorstellen\/\d+$/, await purchaser.locator('main').innerText());
      const proposalId = Number(new URL(purchaser.url()).pathname.split('/')[2]);
      await signer.goto(`/voorstellen/${proposalId}`);
      await clickAndLoad(signer, signer.getByRole('button', { name: 'Ondertekenen' }));
      await signer.goto(`/voorstellen/${proposalId}`);
      await signer.getByRole('link', { name: 'Ontvangstbewijs (PDF)' }).waitFor();
      await look(signer, `${name}-getekend`);
      return signer.locator('main').innerText();
    }

    test('de O&I-overeenkomst met de antwoorden uit het plan: aanvragen, toekennen, ondertekenen', async () => {
      signer = await newPage(browser, portal.url);
      await login(signer, RO_SIGNER);
      // the plan's answers are in the application already
      await ro.goto(`/aanvragen/${applicationId}`);
      assert.equal(await ro.locator('input[name="regional_plan_topics"]:checked').count(), 9,
        'the nine topics of bijlage 1 come from the approved plan');
      const text = await applyGrantSign(applicationId, {
        inhabitants: '450000', gp_share: '0,9', inhabitant_share: '0,9', other_ro_contracted_in_city: 'nee',
      }, 'regioplan-oi');
      assert.match(text, /Organisatie/);
    });

    test('daarna een module voor de praktijken: chronische zorg', async () => {
      await ro.goto('/catalogus?beleid=oi-2026-2027');
      const form = ro.locator('form:has(input[name="module"][value="chronic-care"])');
      assert.equal(await form.count(), 1, await ro.locator('main').innerText());
      await clickAndLoad(ro, form.getByRole('button', { name: 'Aanvragen' }));
      const id = Number(new URL(ro.url()).pathname.split('/')[2]);
      assert.ok(id > 0);
      const text = await applyGrantSign(id, {}, 'regioplan-ketenzorg');
      assert.match(text, /Chronische zorg/);
    });
  });
}
