import { startPortal, launchBrowser, newPage, login } from './lib.mjs';
const portal = await startPortal('sqlite');
const browser = await launchBrowser();
try {
  const p = await newPage(browser, portal.url);
  await login(p, 'medewerker@delinde.example');
  for (const [path, name, w, h] of [['/catalogus','cat-desk',1280,1400],['/catalogus','cat-phone',390,1400],['/dashboard','dash-phone',390,1600],['/rekentools/poh-ggz-hours','calc',1280,1200]]) {
    await p.setViewportSize({ width: w, height: h });
    await p.goto(path);
    await p.screenshot({ path: `/tmp/${name}.png` });
  }
} finally { await browser.close(); await portal.stop(); }
