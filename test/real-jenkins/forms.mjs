// Drives a real Jenkins' pages in headless Chromium, as an admin would: Manage Jenkins > System (fill the
// guli-pipeline section, Save, read it back) and the Snippet Generator (render each guli step's form, generate).
// usage: node forms.mjs JENKINS_URL JOB   (PLAYWRIGHT_DIR: where playwright-core is installed)
import { createRequire } from 'node:module';
const require = createRequire(process.env.PLAYWRIGHT_DIR + '/');
const { chromium } = require('playwright-core');

const [base, job] = process.argv.slice(2);
const fail = (msg) => { console.error('FAILED: ' + msg); process.exit(1); };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const page = await browser.newPage();

// 1. Manage Jenkins > System: our section, saved with the page's own crumb, read back.
const want = { registry: 'registry.example.com:5000', namespace: 'atguigumall-try', sonarUrl: 'http://sonar.example.com:9000',
  mavenSettings: 'mvn-settings.xml', baseImage: 'example/jre:17', approvalTimeoutMinutes: '45', approvers: 'alice,release-managers' };
await page.goto(base + 'manage/configure', { waitUntil: 'networkidle' });
if (!(await page.getByText('guli-pipeline', { exact: true }).count())) fail('no guli-pipeline section in Manage Jenkins > System');
for (const [k, v] of Object.entries(want)) await page.fill(`[name="_.${k}"]`, v);
await page.selectOption('[name="_.registryCredentialsId"]', 'guli-registry');
await page.selectOption('[name="_.gitCredentialsId"]', 'guli-git');
await Promise.all([page.waitForNavigation(), page.click('button[name="Submit"]')]);
await page.goto(base + 'manage/configure', { waitUntil: 'networkidle' });
const got = {};
for (const k of Object.keys(want)) got[k] = await page.inputValue(`[name="_.${k}"]`);
got.registryCredentialsId = await page.inputValue('[name="_.registryCredentialsId"]');
got.gitCredentialsId = await page.inputValue('[name="_.gitCredentialsId"]');
for (const [k, v] of Object.entries({ ...want, registryCredentialsId: 'guli-registry', gitCredentialsId: 'guli-git' })) {
  if (got[k] !== v) fail(`after Save, ${k} reads '${got[k]}', expected '${v}'`);
}
console.log('system configuration saved and read back: ' + JSON.stringify(got));

// An invalid value shows the engine's message next to the field (POST validation).
await page.fill('[name="_.namespace"]', 'Bad NS');
await page.locator('[name="_.namespace"]').press('Tab');
const err = page.locator('.error', { hasText: "namespace 'Bad NS' is not valid" });
await err.first().waitFor({ timeout: 10000 }).catch(() => fail('no validation message for a bad namespace'));
console.log('validation: ' + (await err.first().innerText()).trim());

// 2. Snippet Generator: every guli step renders its form and generates a call.
await page.goto(base + `job/${job}/pipeline-syntax/`, { waitUntil: 'networkidle' });
const steps = await page.$$eval('select option', (os) => os.map((o) => [o.value, o.textContent.trim()]));
for (const fn of ['guliRelease', 'guliBuild', 'guliImage', 'guliDeployK8s']) {
  const opt = steps.find(([, text]) => text.startsWith(fn + ':'));
  if (!opt) fail(`the Snippet Generator lists no ${fn}`);
  await page.selectOption('select.setting-input.dropdownList', opt[0]).catch(async () => page.selectOption('select', opt[0]));
  if (fn === 'guliRelease') {
    const v = page.locator('[name="_.projectVersion"]');
    await v.waitFor({ timeout: 10000 }).catch(() => fail('guliRelease form did not render'));
    await v.fill('v1.2.3');
  }
  await page.click('#generatePipelineScript, button:has-text("Generate Pipeline Script")');
  const out = page.locator('textarea#prototypeText, textarea[name="_.prototypeText"]');
  await page.waitForFunction((n) => [...document.querySelectorAll('textarea')].some((t) => t.value.startsWith(n)), fn, { timeout: 10000 })
    .catch(() => fail(`no generated snippet for ${fn}`));
  const snippet = await page.$$eval('textarea', (ts, n) => ts.map((t) => t.value).find((x) => x.startsWith(n)), fn);
  if (fn === 'guliRelease' && !snippet.includes("projectVersion: 'v1.2.3'")) fail('guliRelease snippet lacks the version: ' + snippet);
  console.log(`snippet generator: ${snippet}`);
}
await browser.close();
