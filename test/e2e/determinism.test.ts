import { fixture, runCli } from '../helpers/cli.js';

/** Same inputs and --as-of → byte-identical output in every format (no wall-clock time unless --timestamp). */
const FORMATS = ['table', 'json', 'ndjson', 'csv', 'markdown', 'sarif', 'junit', 'html'];

test.each(FORMATS)('%s is byte-identical across runs', (format) => {
  const args = ['audit', fixture('sample-trust-inventory.csv'), fixture('exports', 'get-hotfix.csv'), '--format', format, '--as-of', '2026-11-25', '--timeline'];
  const a = runCli(args);
  const b = runCli(args);
  expect(a.code).toBe(1);
  expect(a.stdout.length).toBeGreaterThan(100);
  expect(b.stdout).toBe(a.stdout);
});

test('--timestamp adds the generation time (and only then do runs differ)', () => {
  const r = runCli(['audit', fixture('sample-trust-inventory.csv'), '--format', 'json', '--as-of', '2026-11-25', '--timestamp']);
  expect(JSON.parse(r.stdout).generatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
});
