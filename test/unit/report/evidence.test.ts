import { evidenceLine } from '../../../src/report/evidence.js';
import { xmlSafe } from '../../../src/report/sanitize.js';

describe('evidenceLine', () => {
  test('joins items with "; " and drops a full stop before a separator only', () => {
    expect(evidenceLine(['KB4012212 installed 2023-01-10.', 'was fail; waived until 2027-01-01'])).toBe('KB4012212 installed 2023-01-10; was fail; waived until 2027-01-01');
    expect(evidenceLine(['no hotfix list.'])).toBe('no hotfix list.');
    expect(evidenceLine(['version unknown...', 'x'])).toBe('version unknown...; x');
    expect(evidenceLine([])).toBe('');
  });
});

describe('xmlSafe', () => {
  test('characters XML cannot carry are shown as escapes of their own width', () => {
    expect(xmlSafe('a\x01b\ufffec')).toBe('a\\x01b\\ufffec');
  });
});
