import { strict as assert } from 'node:assert';
import { envFileRole, parseDotenv } from '../../src/engine/parse/dotenv';

describe('env file parser', () => {
  it('keeps keys, values and positions; strips quotes and inline comments', () => {
    const text = '# database\nexport DB_HOST=db # the host\nDB_NAME="app db"\nDB_USER=\'admin\'\nEMPTY=\n';
    const { model, problems } = parseDotenv(text, '.env.example');
    assert.deepEqual(problems, []);
    assert.deepEqual(model.entries.map((e) => [e.key, e.value, e.exported, e.quoted]), [
      ['DB_HOST', 'db', true, ''],
      ['DB_NAME', 'app db', false, '"'],
      ['DB_USER', 'admin', false, "'"],
      ['EMPTY', '', false, ''],
    ]);
    const host = model.byKey.get('DB_HOST')!;
    assert.deepEqual(host.keyRange, { start: { line: 1, character: 7 }, end: { line: 1, character: 14 } });
    assert.deepEqual(host.valueRange, { start: { line: 1, character: 15 }, end: { line: 1, character: 17 } });
    assert.deepEqual(model.byKey.get('EMPTY')!.valueRange, { start: { line: 4, character: 6 }, end: { line: 4, character: 6 } });
    assert.deepEqual(model.comments.map((c) => [c.line, c.text, c.inline]), [
      [0, 'database', false],
      [1, 'the host', true],
    ]);
  });

  it('records later definitions of a key as duplicates and lets the last one win', () => {
    const { model } = parseDotenv('PORT=3000\nLOG_LEVEL=warn\nPORT=3003\n', '.env');
    assert.deepEqual(model.duplicates.map((d) => [d.key, d.line]), [['PORT', 2]]);
    assert.equal(model.byKey.get('PORT')!.value, '3003');
  });

  it('reads a multi-line double-quoted value and keeps counting lines after it', () => {
    const { model, problems } = parseDotenv('KEY="-----BEGIN\nline two\n-----END"\nNEXT=1\n', '.env');
    assert.deepEqual(problems, []);
    assert.equal(model.byKey.get('KEY')!.value, '-----BEGIN\nline two\n-----END');
    assert.deepEqual(model.byKey.get('KEY')!.valueRange.end, { line: 2, character: 9 });
    assert.equal(model.byKey.get('NEXT')!.line, 3);
  });

  it('handles CRLF, a BOM and escaped newlines in double quotes', () => {
    const { model } = parseDotenv('\uFEFFA=1\r\nB="x\\ny"\r\n', '.env');
    assert.equal(model.eol, '\r\n');
    assert.equal(model.byKey.get('A')!.value, '1');
    assert.equal(model.byKey.get('A')!.keyRange.start.character, 1, 'the BOM keeps its UTF-16 column');
    assert.equal(model.byKey.get('B')!.value, 'x\ny');
  });

  it('reports lines that are not KEY=VALUE, and an unclosed quote, without throwing', () => {
    const { model, problems } = parseDotenv('just words\nOK=1\nBAD="open\n', '.env');
    assert.equal(model.byKey.get('OK')!.value, '1');
    assert.deepEqual(problems.map((p) => p.range?.start.line), [0, 2]);
    assert.match(problems[1].message, /BAD: the quoted value is never closed/);
  });

  it('tells example, production and local files apart by name and folder', () => {
    const role = (p: string) => {
      const r = envFileRole(p);
      return [r.template, r.production, r.nonProduction];
    };
    assert.deepEqual(role('.env.example'), [true, false, false]);
    assert.deepEqual(role('.env.production.example'), [true, true, false]);
    assert.deepEqual(role('.env.production'), [false, true, false]);
    assert.deepEqual(role('config/prod.env'), [false, true, false]);
    assert.deepEqual(role('deploy/production/app.env'), [false, true, false]);
    assert.deepEqual(role('.env'), [false, false, false]);
    assert.deepEqual(role('.env.development'), [false, false, true]);
    assert.deepEqual(role('.env.test'), [false, false, true]);
    assert.deepEqual(role('.env.sample'), [true, false, false]);
  });
});
