import * as assert from 'node:assert/strict';
import { markdownText } from '../../../src/core/text';

describe('server text inside Markdown (markdownText)', () => {
  it('keeps a licence line or model name on its one line, whatever line ending it carries (a lone CR is one to Markdown)', () => {
    for (const hostile of ['MIT\r---', 'MIT\r\n> quoted', 'MIT\n- listed', 'a\r\rb']) {
      const out = markdownText(hostile);
      assert.equal(/[\r\n]/.test(out), false, JSON.stringify(out));
    }
    assert.equal(markdownText('MIT\rrest'), 'MIT rest');
  });

  it('escapes what would become a link, HTML, code, emphasis, a heading or a table cell break', () => {
    assert.equal(markdownText('[run](command:workbench.action.quit) <a href="command:x">x</a> `c` *e* _u_ # | \\'), '\\[run\\](command:workbench.action.quit) \\<a href="command:x"\\>x\\</a\\> \\`c\\` \\*e\\* \\_u\\_ \\# \\| \\\\');
  });
});
