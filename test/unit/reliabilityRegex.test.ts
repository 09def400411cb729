import * as assert from 'node:assert/strict';
import { sniffKubernetes, sniffMarkdownChecklist } from '../../src/engine/discover';
import { templateReason } from '../../src/engine/parse/kubernetes';
import { analyzePattern, compileUserPattern, inputBudget, MAX_DEGREE, MAX_PATTERN_LENGTH, userPatternSchema } from '../../src/engine/safeRegex';

/** Hang detector only: a generous bound that a linear or bounded match never gets near. */
const HANG_MS = 2000;

function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

describe('reliability: user regular expressions', () => {
  const refused: [string, RegExp][] = [
    ['(a+)+$', /nested quantifiers/],
    ['(\\s*)*x', /nested quantifiers/],
    ['^(\\w+\\s?)*$', /nested quantifiers/],
    ['(a|aa)+b', /alternatives/],
    ['(x|x)*y', /alternatives/],
    ['(?:a|b|ab)+$', /alternatives/],
    ['(a{0,100}){0,100}', /repeated more than/],
    ['(a*){20}', /repeated more than/],
    ['(a)\\1', /back-references/],
    ['(?<n>a)\\k<n>', /back-references/],
    ['.*.*.*.*x', /too many unbounded quantifiers/],
    ['a+b+c+d+e+', /too many unbounded quantifiers/],
    ['x'.repeat(MAX_PATTERN_LENGTH + 1), /longer than/],
    ['[', /not a valid regular expression/],
    ['(unclosed', /not a valid regular expression/],
  ];
  for (const [pattern, why] of refused) {
    it(`refuses ${pattern.length > 40 ? `${pattern.slice(0, 20)}… (${pattern.length} chars)` : pattern}`, () => {
      const r = compileUserPattern(pattern);
      assert.equal(r.regex, undefined);
      assert.match(r.error ?? '', why);
    });
  }

  // Patterns of the kind checklists use (several are built-in defaults): all accepted.
  const accepted = [
    '(?i)(password|passwd|passphrase|secret|token|bearer|api[_-]?key|apikey|private[_-]?key|credentials?|access[_-]?key|client[_-]?secret|^AZURE_.+KEY$|^OCI_CLI_KEY_CONTENT$|(^|_)DSN$)',
    '^gcr\\.io/distroless/.*:(.*-)?nonroot(-.*)?$',
    '^(<.*>|\\{\\{.*\\}\\}|%%.*%%|changeme|change[-_]me|replace[-_]?me|your[-_].*|x{3,}|\\*+|placeholder|dummy|example|none|null|undefined|false|true|0|1|-)$',
    '\\b(nodemon|ts-node-dev|ts-node|tsx\\s+watch|node\\s+--watch|--watch)\\b',
    '(\\d{1,3}\\.){3}\\d{1,3}',
    '_SERVICE_URL$',
    '^[a-z0-9-]+\\.example\\.com$',
    '(?<name>[a-z]+)=(?=\\d)',
    '[(|)*+]+',
  ];
  for (const pattern of accepted) {
    it(`accepts ${pattern.length > 40 ? `${pattern.slice(0, 40)}…` : pattern}`, () => {
      const r = compileUserPattern(pattern);
      assert.equal(r.error, undefined);
      assert.ok(r.regex instanceof RegExp);
    });
  }

  it('honours the (?i) prefix and explicit flags', () => {
    assert.equal(compileUserPattern('(?i)secret').regex?.test('MY_SECRET'), true);
    assert.equal(compileUserPattern('secret').regex?.test('MY_SECRET'), false);
    assert.equal(compileUserPattern('^b', 'm').regex?.test('a\nb'), true);
  });

  it('gives higher-degree patterns a smaller input budget, and never more than 1 MiB', () => {
    const deg = (p: string) => {
      const a = analyzePattern(p);
      assert.ok('degree' in a, p);
      return a.degree;
    };
    assert.equal(deg('^abc$'), 0);
    assert.equal(deg('abc'), 1, 'unanchored: the engine retries at every position');
    assert.equal(deg('^a.*b'), 1);
    assert.equal(deg('a.*b.*c'), 3);
    assert.equal(deg('^(x|y.*z)$'), 2, 'alternatives: the worst path counts (and | disables the anchor credit)');
    assert.ok(inputBudget(1) <= 1 << 20);
    assert.ok(inputBudget(2) > inputBudget(3) && inputBudget(3) > inputBudget(4));
    const multiline = analyzePattern('^a.*b', 'm');
    assert.ok('degree' in multiline && multiline.degree === 2, 'with the m flag ^ anchors every line');
  });

  it('looks only at the first maxInput characters, through test, exec, match and replace', () => {
    const r = compileUserPattern('a.*b.*c');
    assert.ok(r.regex);
    const max = r.regex.maxInput;
    const far = 'x'.repeat(max) + 'abc';
    const near = 'abc' + 'x'.repeat(max);
    assert.equal(r.regex.test(near), true);
    assert.equal(r.regex.test(far), false);
    assert.equal(r.regex.exec(far), null);
    assert.equal(far.match(r.regex), null);
    assert.equal(near.replace(r.regex, '_').startsWith('_'), true);
  });

  // Adversarial inputs for every accepted pattern shape: long runs of the characters the pattern
  // backtracks on, with a final character that makes the match fail late.
  const hostileInputs = ['a'.repeat(1 << 20), `${'a'.repeat(1 << 16)}!`, ' '.repeat(1 << 18), '1.'.repeat(1 << 17), 'AZURE_'.repeat(1 << 15), `${'<'.repeat(1 << 16)}x`, ':'.repeat(1 << 16)];
  const worst = ['^a.*a.*a.*a$', 'a.*a.*a.*b', '.*.*.*x', '\\w+\\d+\\w+x', '[a-z]+[a-z]+[a-z]+!', '(.*,){3}', '([a-z]+,?){3}x', 'x{1,100000}y{1,1000}z', 'a*a*a*a*$', ...accepted];
  it(`every accepted pattern finishes on hostile inputs (hang detector: ${HANG_MS} ms per match)`, () => {
    let runs = 0;
    for (const pattern of worst) {
      const r = compileUserPattern(pattern);
      if (!r.regex) {
        assert.match(r.error, /too many|nested|alternatives/, pattern);
        continue;
      }
      for (const input of hostileInputs) {
        const { ms } = timed(() => r.regex.test(input));
        assert.ok(ms < HANG_MS, `${pattern} took ${Math.round(ms)} ms on ${input.length} characters`);
        runs++;
      }
    }
    assert.ok(runs >= 40, `ran ${runs} matches`);
  });

  it('a zod param built with userPatternSchema reports the reason', () => {
    const schema = userPatternSchema();
    assert.equal(schema.safeParse('^ok$').success, true);
    const bad = schema.safeParse('(a+)+');
    assert.equal(bad.success, false);
    assert.match(bad.error?.issues[0]?.message ?? '', /unsafe or invalid pattern: nested quantifiers/);
  });

  it(`MAX_DEGREE (${MAX_DEGREE}) bounds every accepted pattern`, () => {
    for (const p of accepted) {
      const a = analyzePattern(p.replace(/^\(\?i\)/, ''));
      assert.ok('degree' in a && a.degree <= MAX_DEGREE, p);
    }
  });
});

describe('reliability: built-in regular expressions on hostile text', () => {
  // Files of blank lines made `^\s*` patterns with the m flag backtrack cubically (2,000 lines took 7 s).
  const cases: [string, () => unknown][] = [
    ['sniffKubernetes on 2 MB of blank lines', () => sniffKubernetes('\n'.repeat(2_000_000) + 'x', 'a.yaml')],
    ['sniffKubernetes on 1 MB of "- " lines', () => sniffKubernetes('- \n'.repeat(350_000), 'a.yaml')],
    ['sniffKubernetes on JSON whitespace', () => sniffKubernetes('"apiVersion"' + ' '.repeat(1_000_000), 'a.json')],
    ['sniffMarkdownChecklist on 2 MB of blank lines', () => sniffMarkdownChecklist('\n'.repeat(2_000_000) + 'x')],
    ['sniffMarkdownChecklist on 1 MB of "- [" lines', () => sniffMarkdownChecklist('- [ \n'.repeat(250_000))],
    ['templateReason on 2 MB of "{{"', () => templateReason('{{'.repeat(1_000_000))],
    ['templateReason on 2 MB of unclosed "${A-"', () => templateReason('${A-'.repeat(500_000))],
    ['templateReason on 2 MB of blank lines', () => templateReason('\n'.repeat(2_000_000) + 'x')],
  ];
  for (const [name, fn] of cases) {
    it(`${name} finishes (hang detector: ${HANG_MS} ms)`, () => {
      const { ms } = timed(fn);
      assert.ok(ms < HANG_MS, `${Math.round(ms)} ms`);
    });
  }

  it('templateReason still recognises templates, and names the variable without its default', () => {
    assert.match(templateReason('a: {{ .Values.x }}\n') ?? '', /Helm/);
    assert.equal(templateReason('a: "{{"\n'), undefined);
    for (const t of ['a: ${X}', 'a: ${X-y}', 'a: ${X:=y}', 'a: ${X?}', 'a: ${X:+z}']) assert.match(templateReason(t) ?? '', /unresolved \$\{X\} placeholder/, t);
    for (const t of ['a: $X', 'a: ${1}', 'a: ${X y}', '# ${X}\nb: 1', 'a: ${X:-\n}']) assert.equal(templateReason(t), undefined, t);
    const reason = templateReason('password: ${DB_PASSWORD:-s3cr3t-default-value}\n') ?? '';
    assert.match(reason, /DB_PASSWORD/);
    assert.doesNotMatch(reason, /s3cr3t/);
  });

  it('the sniffers still recognise what they should', () => {
    assert.equal(sniffKubernetes('apiVersion: v1\nkind: Pod\n', 'a.yaml'), true);
    assert.equal(sniffKubernetes('items:\n  - apiVersion: v1\nkind: List\n', 'a.yaml'), true);
    assert.equal(sniffKubernetes('\n\n\nname: x\n', 'a.yaml'), false);
    assert.equal(sniffMarkdownChecklist('- [ ] a\n- [x] b\n  * [X] c\n'), true);
    assert.equal(sniffMarkdownChecklist('- [ ] a\n\n\n\n- [x] b\n'), false);
  });
});
