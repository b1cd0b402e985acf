import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvLine } from '../../scripts/lib/csv';

test('CSV cells are quoted when they hold a comma, a quote, a line feed or a carriage return', () => {
  assert.equal(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', 'cr\rhere', null, 7]), 'a,"b,c","say ""hi""","two\nlines","cr\rhere",,7\n');
});

test('a text cell a spreadsheet would run as a formula is neutralised; plain numbers, negative amounts included, are not', () => {
  assert.equal(
    csvLine(['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tx', '-25.00', '-7', '25.00']),
    `"'=HYPERLINK(""http://x"")",'+1+1,'-2+3,'@SUM(A1),'\tx,-25.00,-7,25.00\n`,
  );
});
