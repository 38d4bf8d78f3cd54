// Browser test of the HTML report: node report.test.mjs PAGE.html DOC.json
// Opens the page in headless Chromium (no network: every request that is
// not the page itself fails the test), then checks that it rendered, that
// the highlighted runs cover exactly the JSON's fragments, and that
// clicking a fragment shows its technique. Prints "browser: N passed, N failed, 0 skipped".
import { chromium } from 'playwright-core';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [page_path, doc_path] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(doc_path, 'utf8'));
let passed = 0, failed = 0;
const check = (name, cond, detail) => {
  if (cond) passed++; else { failed++; console.error(`FAIL browser: ${name}${detail ? ': ' + detail : ''}`); }
};

const profile = mkdtempSync(join(tmpdir(), 'slant-chromium-'));
// a fresh --user-data-dir: playwright takes it as launchPersistentContext's first argument
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  const url = pathToFileURL(resolve(page_path)).href;
  const errors = [], requests = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
  await page.goto(url);
  await page.waitForSelector('.slant-article', { timeout: 5000 });
  check('page_has_no_script_errors', errors.length === 0, errors.join('; '));
  check('page_loads_nothing_else', requests.length === 0, requests.join(' '));
  check('page_shows_the_article_score', (await page.textContent('.slant-score-value')) === doc.score.toFixed(3));
  const text = await page.evaluate(() => document.querySelector('.slant-article').textContent);
  const tags = await page.evaluate(() => Array.from(document.querySelectorAll('.slant-tag')).map((t) => t.textContent).join(''));
  check('article_text_is_the_documents_text', text.length === doc.text.length + tags.length);

  // every fragment index appears on at least one highlighted run, and no other
  const shown = await page.evaluate(() => {
    const s = new Set();
    document.querySelectorAll('mark.slant-frag').forEach((m) => m.dataset.fragments.split(' ').forEach((k) => s.add(Number(k))));
    return Array.from(s).sort((a, b) => a - b);
  });
  const nonEmpty = doc.fragments.map((f, k) => (f.end > f.start ? k : -1)).filter((k) => k >= 0);
  check('highlighted_fragments_equal_the_json', JSON.stringify(shown) === JSON.stringify(nonEmpty),
        `${shown.length} shown, ${nonEmpty.length} in the JSON`);
  // the runs of each fragment spell its text
  const runs = await page.evaluate(() => Array.from(document.querySelectorAll('mark.slant-frag')).map((m) => [m.dataset.fragments, m.textContent]));
  const spelled = doc.fragments.every((f, k) => runs.filter(([ks]) => ks.split(' ').includes(String(k))).map(([, t]) => t).join('') === f.text);
  check('highlighted_runs_spell_the_fragment_texts', spelled);

  check('legend_lists_every_technique', (await page.locator('.slant-legend li').count()) === 14);
  check('chart_has_a_bar_per_technique_found', (await page.locator('.slant-chart .slant-bar').count()) === (doc.technique_counts || []).length);

  if (doc.fragments.length) {
    const k = doc.fragments.length - 1;
    await page.locator(`mark.slant-frag[data-fragments~="${k}"]`).first().click();
    const detail = await page.textContent('.slant-detail');
    const f = doc.fragments[k];
    check('clicking_a_fragment_shows_its_technique', f.technique ? detail.includes(f.technique.display) : true, detail.slice(0, 200));
    check('clicking_a_fragment_shows_why', detail.includes('Why'));
  }
} catch (e) {
  check('page_renders', false, String(e));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed, 0 skipped`);
process.exit(failed ? 1 : 0);
