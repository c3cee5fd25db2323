// Labs and thrombosis in a real browser (document 003, diagnostics and thrombosis 2020), on the
// real binary with the demo's own day per organisation (the lab and the thrombosis service on
// 1 October 2019): the lab sees both contracts side by side on the figures of its settlement
// statement (the demo records one), compares them on entered figures too, chooses the preferred
// contract; the purchaser grants it from the queue and proposes it with the ceiling; the lab's
// signer signs. The thrombosis service computes its ceiling per product and applies; the
// purchaser grants and proposes it with that ceiling. Screenshots in e2e/artifacts/
// (labs-*.png), axe on the main pages.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startPortal, launchBrowser, newPage, login, axeProblems, screenshot, clickAndLoad,
} from './lib.mjs';

const LAB = 'analist@labmidden.example';
const LAB_SIGNER = 'directeur@labmidden.example';
const THROMBOSIS = 'medewerker@trombose.example';
const THROMBOSIS_SIGNER = 'directeur@trombose.example';
const PURCHASER = 'inkoper@zorgverzekeraar.example';

for (const backend of ['sqlite', 'postgres']) {
  const full = backend === 'sqlite';
  describe(`labs en trombose in de browser (${backend})`, () => {
    let portal;
    let browser;
    let lab;
    let purchaser;
    let signer;
    let service;
    let labRequest;
    let serviceRequest;
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
      const problems = [lab, purchaser, signer, service].flatMap((p) => p?.problems ?? []);
      await browser?.close();
      await portal?.stop();
      assert.deepEqual(problems, [], 'no script errors, CSP violations or missing resources');
      if (full) {
        for (const [name, found] of Object.entries(axe)) assert.deepEqual(found, [], `axe on ${name}`);
      }
    });

    test('het laboratorium vergelijkt beide overeenkomsten en kiest de voorkeursovereenkomst', async () => {
      lab = await newPage(browser, portal.url);
      await login(lab, LAB);
      await lab.goto('/labs');
      assert.match(await lab.locator('.banner').innerText(), /1 oktober 2019/, 'the lab\'s own demo day');
      // from the demo's settlement statement: ceiling 1,200,000, production 1,296,000; the
      // excess of 96,000 (8 % of the ceiling, tier 1) paid at 75 %: 72,000; total 1,272,000
      const cmp = await lab.locator('#vergelijking').locator('..').innerText();
      assert.match(cmp, /uit de declaraties/);
      assert.match(cmp, /€ 1\.200\.000,00/);
      assert.match(cmp, /€ 96\.000,00/);
      const regular = await lab.locator('[data-module="lab-regular"]').innerText();
      const preferred = await lab.locator('[data-module="lab-preferred"]').innerText();
      assert.match(regular, /Totaal betaald: € 1\.200\.000,00/);
      assert.match(regular, /1 jaar/);
      assert.match(preferred, /Totaal betaald: € 1\.272\.000,00/);
      assert.match(preferred, /2 jaar/);
      assert.match(preferred, /€ 72\.000,00/);
      assert.match(preferred, /2,5 %/);
      await look(lab, 'labs-vergelijking-declaraties');

      // the same on entered figures, marked as entered; orders per patient +3 %: not paid
      await lab.locator('#bron-ingevoerd').check();
      await lab.getByLabel('Volume product 1').fill('300000');
      await lab.getByLabel('Prijs product 1').fill('3,00');
      await lab.getByLabel('Volume product 2').fill('50000');
      await lab.getByLabel('Prijs product 2').fill('6,00');
      await lab.locator('#productie').fill('1296000');
      for (const [id, v] of [['patienten-2018', '10000'], ['orders-2018', '20000'], ['analyses-2018', '100000'],
        ['patienten', '10000'], ['orders', '20600'], ['analyses', '103000']]) {
        await lab.locator(`#${id}`).fill(v);
      }
      await clickAndLoad(lab, lab.getByRole('button', { name: 'Vergelijken' }));
      const entered = await lab.locator('#vergelijking').locator('..').innerText();
      assert.match(entered, /ingevoerd door het laboratorium/);
      assert.match(entered, /300\.000 × € 3,00 = € 900\.000,00/);
      assert.match(await lab.locator('[data-module="lab-preferred"]').innerText(), /voldoet niet/);
      assert.match(await lab.locator('[data-module="lab-preferred"]').innerText(), /Totaal betaald: € 1\.200\.000,00/);
      await screenshot(lab, `labs-vergelijking-ingevoerd-${backend}`);

      // choose the preferred contract on the statement's figures
      await lab.locator('#bron-declaraties').check();
      await lab.locator('#keuze-voorkeur').check();
      for (const fact of ['meets_contract_conditions', 'cckl_certified', 'accepts_reference_prices',
        'accepts_market_prices', 'consents_to_price_publication']) {
        await lab.locator(`#f-${fact}-ja`).check();
      }
      await lab.locator('#f-iso_certified-nee').check();
      await lab.locator('#f-is_new_provider-nee').check();
      await lab.locator('#f-mirror_reports_per_year').fill('2');
      await clickAndLoad(lab, lab.getByRole('button', { name: 'Kiezen en aanvragen' }));
      assert.match(lab.url(), /\/labs\/verzoeken\/\d+$/, await lab.locator('main').innerText());
      labRequest = lab.url().split('/').pop();
      const detail = await lab.locator('main').innerText();
      assert.match(detail, /Voorkeursovereenkomst eerstelijnsdiagnostiek/);
      assert.match(detail, /ingediend/);
      await look(lab, 'labs-keuze-ingediend');
    });

    test('de zorginkoper kent de keuze toe en stelt het contract voor met het plafond', async () => {
      purchaser = await newPage(browser, portal.url);
      await login(purchaser, PURCHASER);
      await purchaser.goto('/inkoop/labs');
      await look(purchaser, 'labs-werkvoorraad');
      await purchaser.locator('#status').selectOption('submitted');
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Filter' }));
      await clickAndLoad(purchaser, purchaser.locator(`a[href="/inkoop/labs/${labRequest}"]`));
      const page = await purchaser.locator('main').innerText();
      assert.match(page, /€ 1\.272\.000,00/);
      assert.match(page, /Beslissing van de engine/);
      assert.match(page, /lees de passage/);
      await look(purchaser, 'labs-beslissing');
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Toekennen' }));
      assert.match(await purchaser.locator('main').innerText(), /omzetplafond € 1\.200\.000,00/);
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Voorstel doen' }));
      assert.match(await purchaser.locator('main').innerText(), /voorstel, wacht op ondertekening/);
    });

    test('de tekenbevoegde van het laboratorium ondertekent', async () => {
      signer = await newPage(browser, portal.url);
      await login(signer, LAB_SIGNER);
      await signer.goto(`/labs/verzoeken/${labRequest}`);
      await clickAndLoad(signer, signer.getByRole('link', { name: 'Naar het voorstel' }));
      const proposal = await signer.locator('main').innerText();
      assert.match(proposal, /Omzetplafond: € 1\.200\.000,00/);
      assert.match(proposal, /2021-12-31/);
      await clickAndLoad(signer, signer.getByRole('button', { name: 'Ondertekenen' }));
      await signer.goto(`/labs/verzoeken/${labRequest}`);
      assert.match(await signer.locator('main').innerText(), /geaccepteerd/);
      await screenshot(signer, `labs-ondertekend-${backend}`);
    });

    test('de trombosedienst krijgt de overeenkomst met het omzetplafond', async () => {
      service = await newPage(browser, portal.url);
      await login(service, THROMBOSIS);
      await service.goto('/labs');
      await service.getByLabel('Volume product 1').fill('9000');
      await service.getByLabel('Prijs product 1').fill('44,44');
      await service.getByLabel('Volume product 2').fill('100');
      await service.getByLabel('Prijs product 2').fill('0,40');
      await clickAndLoad(service, service.getByRole('button', { name: 'Plafond berekenen' }));
      // 9,000 × € 44.44 = € 399,960 + 100 × € 0.40 = € 40: € 400,000
      const ceiling = await service.locator('#plafond').locator('..').innerText();
      assert.match(ceiling, /9\.000 × € 44,44 = € 399\.960,00/);
      assert.match(ceiling, /Omzetplafond: € 400\.000,00/);
      // the passage is in the (closed) source of each line
      assert.match(await service.locator('#plafond').locator('..').textContent(), /volume- en prijsafspraken per product/);
      await look(service, 'labs-trombose-plafond');
      await service.locator('#f-meets_contract_conditions-ja').check();
      await service.locator('#f-is_new_provider-nee').check();
      await clickAndLoad(service, service.getByRole('button', { name: 'Overeenkomst aanvragen' }));
      assert.match(service.url(), /\/labs\/verzoeken\/\d+$/, await service.locator('main').innerText());
      serviceRequest = service.url().split('/').pop();

      await purchaser.goto(`/inkoop/labs/${serviceRequest}`);
      assert.match(await purchaser.locator('main').innerText(), /€ 400\.000,00/);
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Toekennen' }));
      await clickAndLoad(purchaser, purchaser.getByRole('button', { name: 'Voorstel doen' }));

      const serviceSigner = await newPage(browser, portal.url);
      await login(serviceSigner, THROMBOSIS_SIGNER);
      await serviceSigner.goto(`/labs/verzoeken/${serviceRequest}`);
      await clickAndLoad(serviceSigner, serviceSigner.getByRole('link', { name: 'Naar het voorstel' }));
      const proposal = await serviceSigner.locator('main').innerText();
      assert.match(proposal, /Omzetplafond: € 400\.000,00/);
      assert.match(proposal, /2020-12-31/, 'one year');
      await clickAndLoad(serviceSigner, serviceSigner.getByRole('button', { name: 'Ondertekenen' }));
      await serviceSigner.goto(`/labs/verzoeken/${serviceRequest}`);
      assert.match(await serviceSigner.locator('main').innerText(), /geaccepteerd/);
      await screenshot(serviceSigner, `labs-trombose-ondertekend-${backend}`);
      assert.deepEqual(serviceSigner.problems, []);
    });
  });
}
