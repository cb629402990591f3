import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { auditToResult } from '../../src/audit.js';
import { compareHostResults } from '../../src/evaluation/evaluate-host.js';
import type { HostResult } from '../../src/evaluation/types.js';
import { renderHtml } from '../../src/report/html.js';
import type { AuditReport, ReporterContext } from '../../src/report/types.js';
import { loadRules } from '../../src/rules/load-rules.js';
import { fixture } from '../helpers/cli.js';
import { PLAIN_CTX } from '../helpers/results.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * The HTML report opened in a real browser (Debian's Chromium, driven by playwright-core): it renders,
 * sorts and filters, makes no request of any kind, logs no error, and hostile hostnames stay text.
 * CI installs /usr/bin/chromium (.ci/run); elsewhere the suite is skipped when it is missing.
 */
const CHROMIUM = '/usr/bin/chromium';
const run = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

const CTX: ReporterContext = PLAIN_CTX;

// Each payload would set window.__xss if it ever ran.
const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '</script><script>window.__xss=2</script>',
  '"><svg onload=window.__xss=3>',
  "<script>window.__xss=4</script>'",
  'ZZ-\u2028-<b onmouseover=window.__xss=5>hover</b>',
];
const HOSTILE_SITE = '<img src=y onerror=window.__xss=6>';

async function sampleReport(): Promise<AuditReport> {
  const rules = await loadRules([]);
  const input = fixture('sample-trust-inventory.csv');
  const out = await auditToResult({ inputs: [input], rules, asOf: '2026-11-25', warnDays: 90 });
  const hosts: HostResult[] = out.hosts.map((h) => {
    const { host: _host, ...rest } = h;
    return rest;
  });
  const template = hosts.find((h) => h.status === 'non-compliant')!;
  const hostile = PAYLOADS.map((name, i) => ({
    ...structuredClone(template),
    hostname: name,
    site: i === 0 ? HOSTILE_SITE : template.site,
    columns: { ...template.columns, Hostname: name, Department: PAYLOADS[(i + 1) % PAYLOADS.length] },
  }));
  const summary = { ...out.summary, hosts: out.summary.hosts + hostile.length, nonCompliant: out.summary.nonCompliant + hostile.length };
  return {
    tool: { name: 'patchaudit', version: '0.1.0' },
    asOf: out.asOf,
    inputs: ['fixtures/sample-trust-inventory.csv'],
    rules,
    summary,
    hosts: [...hosts, ...hostile].sort(compareHostResults),
    rejected: out.rejected,
    warnings: out.warnings,
    files: out.files,
    failOn: 'high',
  };
}

run('HTML report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let report: AuditReport;
  let url: string;
  const requests: string[] = [];
  const problems: string[] = [];

  const visibleRows = () => page.locator('#host-list details.host:not([hidden])');
  const names = () => page.$$eval('#host-list details.host:not([hidden]) .c-host .name', (els) => els.map((e) => e.textContent ?? ''));
  const risks = () => page.$$eval('#host-list details.host:not([hidden]) .risk-n', (els) => els.map((e) => Number(e.textContent)));
  const sites = () => page.$$eval('#host-list details.host:not([hidden]) .c-site', (els) => els.map((e) => (e.textContent ?? '').trim()));

  beforeAll(async () => {
    report = await sampleReport();
    const file = path.join(tempDir('patchaudit-html-'), 'report.html');
    writeFileSync(file, renderHtml(report, CTX));
    url = pathToFileURL(file).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  test('renders: title and summary cards with the audit numbers', async () => {
    const s = report.summary;
    expect(await page.title()).toBe('Patch compliance report – as of 2026-11-25');
    const card = (m: string) => page.locator(`[data-metric="${m}"] .value`).innerText();
    expect(await card('hosts')).toBe(String(s.hosts));
    expect(await card('compliant')).toBe(`${(Math.floor((1000 * s.compliant) / s.hosts) / 10).toFixed(1)}%`);
    expect(await card('non-compliant')).toBe(String(s.nonCompliant));
    expect(await card('unknown')).toBe(String(s.unknown));
    expect(await card('rejected')).toBe(String(s.rejectedRows));
    expect(await page.locator('svg.donut').count()).toBe(1);
    expect(await page.locator('svg.bars').count()).toBe(2);
    expect(await page.locator('#lifecycle tbody tr').count()).toBeGreaterThan(3);
    expect(await page.locator('#rejected tbody tr').count()).toBe(s.rejectedRows);
    await page.screenshot({ path: '/tmp/patchaudit-html.png' });
  });

  test('the list starts with the hosts that need attention, worst first', async () => {
    const attention = report.hosts.filter((h) => h.status !== 'compliant' || h.findings.some((f) => f.status === 'warn' || f.status === 'waived')).length;
    expect(await visibleRows().count()).toBe(attention);
    expect(await page.locator('#shown-count').innerText()).toBe(`${attention} of ${report.hosts.length} hosts`);
    const r = await risks();
    expect(r).toEqual([...r].sort((a, b) => b - a));
  });

  test('clicking the Host header sorts by hostname, clicking again reverses', async () => {
    const before = await names();
    const lower = (s: string) => s.toLowerCase();
    const asc = [...before].sort((a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0));
    await page.click('button[data-sort="hostname"]');
    const after = await names();
    expect(after).toEqual(asc);
    expect(after.slice(0, 5)).not.toEqual(before.slice(0, 5));
    expect(await page.getAttribute('[role="columnheader"].c-host', 'aria-sort')).toBe('ascending');
    await page.click('button[data-sort="hostname"]');
    expect((await names())[0]).toBe(asc[asc.length - 1]);
    expect(await page.getAttribute('[role="columnheader"].c-host', 'aria-sort')).toBe('descending');
  });

  test('clicking the Risk header sorts by risk, highest first, then lowest first', async () => {
    await page.click('button[data-sort="risk"]');
    const desc = await risks();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await page.click('button[data-sort="risk"]');
    const asc = await risks();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    expect(asc[0]).toBeLessThan(desc[0]);
  });

  test('filters: site, status, rule and text search reduce the rows', async () => {
    const all = await visibleRows().count();
    await page.selectOption('#f-site', { label: 'Northgate General' });
    const n = await visibleRows().count();
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(all);
    expect(new Set(await sites())).toEqual(new Set(['Northgate General']));
    expect(await page.locator('#shown-count').innerText()).toBe(`${n} of ${report.hosts.length} hosts`);

    await page.selectOption('#f-status', 'all');
    const expected = report.hosts.filter((h) => h.site === 'Northgate General').length;
    expect(await visibleRows().count()).toBe(expected);

    await page.selectOption('#f-rule', { label: 'CVE-2019-0708' });
    const failing = report.hosts.filter((h) => h.site === 'Northgate General' && h.findings.some((f) => f.ruleId === 'CVE-2019-0708' && ['fail', 'unknown', 'warn', 'waived'].includes(f.status))).length;
    expect(await visibleRows().count()).toBe(failing);

    await page.click('#reset');
    expect(await visibleRows().count()).toBe(all);
    await page.fill('#f-text', 'windows xp');
    const xp = await visibleRows().count();
    expect(xp).toBeGreaterThan(0);
    expect(xp).toBeLessThan(all);
    await page.fill('#f-text', 'no-such-host-anywhere');
    expect(await visibleRows().count()).toBe(0);
    expect(await page.locator('#no-match').isVisible()).toBe(true);
    await page.click('#reset');
  });

  test('a row expands to its evidence and remediation', async () => {
    const first = visibleRows().first();
    expect(await first.locator('table.findings').isVisible()).toBe(false);
    await first.locator('summary.hrow').click();
    expect(await first.getAttribute('open')).not.toBeNull();
    expect(await first.locator('table.findings').isVisible()).toBe(true);
    expect(await first.locator('table.findings tbody tr').count()).toBeGreaterThan(0);
    expect(await first.locator('.fix').first().innerText()).toMatch(/\w/);
    await first.locator('summary.hrow').click();
  });

  test('hostile hostnames are shown as text and never run', async () => {
    await page.fill('#f-text', '');
    await page.selectOption('#f-status', 'all');
    const shown = await page.$$eval('#host-list .c-host .name', (els) => els.map((e) => e.textContent ?? ''));
    for (const p of PAYLOADS.slice(0, 4)) expect(shown).toContain(p);
    // U+2028 is shown as a visible escape.
    expect(shown).toContain('ZZ-\\u2028-<b onmouseover=window.__xss=5>hover</b>');
    expect(await page.$$eval('#host-list .c-site', (els) => els.map((e) => (e.textContent ?? '').trim()))).toContain(HOSTILE_SITE);
    // Open everything (evidence, inventory columns) and hover the hostile rows.
    await page.click('#toggle-all');
    await page.$$eval('details.cols', (els) => els.forEach((e) => e.setAttribute('open', '')));
    await page.hover('#host-list details.host:last-child summary');
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('#host-list img, #host-list svg, #host-list script, #host-list b[onmouseover]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    await page.click('#toggle-all');
    await page.click('#reset');
  });

  test('no request leaves the page and nothing is logged', async () => {
    expect(requests).toEqual([url]);
    expect(problems).toEqual([]);
  });
});
