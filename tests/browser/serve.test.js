// Browser test of `slant serve`'s page: start the server on a free port,
// open GET / in headless Debian chromium, paste an article, click Analyze,
// and see highlighted fragments, the legend and the chart drawn by
// web/report.js without a reload; then an API error shown under the button.
// Run: (cd tests/browser && npm install && node serve.test.js); needs
// build/slant and /usr/bin/chromium. Prints "N passed, N failed, N skipped".
// An ES module, as package.json says ("type": "module").
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const slant = path.resolve(root, process.env.BUILD || 'build', 'slant');
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
let passed = 0, failed = 0, skipped = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else { failed++; console.error('FAIL browser: ' + name + (detail ? ': ' + detail : '')); }
}
function done() {
  console.log('browser serve: ' + passed + ' passed, ' + failed + ' failed, ' + skipped + ' skipped');
  process.exit(failed ? 1 : 0);
}

async function startServer() {
  const srv = spawn(slant, ['serve', '--port', '0', '--threads', '2',
                            '--model', path.join(root, 'models', 'default.slant')],
                    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no listening line: ' + log)), 10000);
    srv.stderr.on('data', (d) => {
      log += d;
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    srv.on('exit', (code) => reject(new Error('slant serve exited ' + code + ': ' + log)));
  });
  return { srv, port, log: () => log };
}

async function main() {
  let chromiumLib;
  try { chromiumLib = (await import('playwright-core')).chromium; } catch (e) {
    skipped++; console.error('SKIP browser: playwright-core is not installed (npm install)'); return done();
  }
  if (!fs.existsSync(chromium) || !fs.existsSync(slant)) {
    skipped++; console.error('SKIP browser: ' + chromium + ' or ' + slant + ' is missing'); return done();
  }
  const { srv, port } = await startServer();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'slant-chromium-'));
  let browser = null;
  try {
    // a fresh profile: playwright passes it as --user-data-dir
    browser = await chromiumLib.launchPersistentContext(profile, {
      executablePath: chromium,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = browser.pages()[0] || await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    let navigations = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
    await page.goto('http://127.0.0.1:' + port + '/');
    check('page_has_a_title', /slant/.test(await page.title()));

    const article = fs.readFileSync(path.join(root, 'examples', 'harbor-bill.txt'), 'utf8');
    await page.fill('#title', 'Harbor bill');
    await page.fill('#text', article);
    await page.click('#analyze');
    await page.waitForSelector('#result mark.slant-frag', { timeout: 15000 });
    const marks = await page.$$eval('#result mark.slant-frag', (ms) => ms.length);
    check('analyze_highlights_fragments', marks > 0, marks + ' marks');
    const shown = await page.$eval('#result', (el) => el.textContent);
    check('article_text_is_shown', shown.includes(article.split('\n')[0].slice(0, 40)));
    check('title_is_used_as_the_id', shown.includes('Harbor bill'));
    check('legend_has_definitions', await page.$$eval('#result .slant-legend li', (l) => l.length) >= 14);
    check('chart_is_drawn', await page.$$eval('#result .slant-bar', (b) => b.length) > 0);
    check('status_counts_fragments', /fragment/.test(await page.textContent('#status')));
    check('no_reload', navigations === 1, navigations + ' navigations');

    // a fragment click fills the detail panel
    await page.click('#result mark.slant-frag');
    check('detail_panel_fills_on_click', (await page.textContent('#result .slant-detail')).length > 0);

    // an empty article is refused in the page, a server error is shown
    await page.fill('#text', '   ');
    await page.click('#analyze');
    check('empty_article_is_refused', /Paste an article/.test(await page.textContent('#status')));
    check('no_page_errors', pageErrors.length === 0, pageErrors.join('; '));
  } catch (e) {
    check('browser_run', false, String(e && e.stack || e));
  } finally {
    if (browser) await browser.close();
    srv.kill('SIGTERM');
    await new Promise((r) => srv.on('exit', r));
    fs.rmSync(profile, { recursive: true, force: true });
  }
  done();
}

main().catch((e) => { check('main', false, String(e && e.stack || e)); done(); });
