import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { loadChecklist } from '../../src/engine/checklist/load';
import type { Checklist } from '../../src/engine/checklist/schema';
import { provideLinkReadings, type LinkReadings } from '../../src/engine/markdown/builtinReadings';
import { linkChecklist } from '../../src/engine/markdown/link';
import { parseMarkdownChecklist } from '../../src/engine/parse/markdownChecklist';
import { resolveItems } from '../../src/engine/resolve';
import { buildChecklistCache, parseChecklistCache } from '../../src/node/checklistCache';
import { REPO } from './helpers';
import { builtinSet, linkPart } from './markdownDevSet';

const BUILTIN = path.join(REPO, 'checklists');
const NAMES = readdirSync(BUILTIN).filter((n) => n.endsWith('.checklist.yaml')).sort();
const BUILD = 'build-with-readings';

/** The built-in checklists as a bundle of `build` loads them through the cache text `json`. */
function loadThrough(json: string, build: string): Checklist[] {
  const cached = parseChecklistCache(json, build);
  return NAMES.map((name) => {
    const text = readFileSync(path.join(BUILTIN, name), 'utf8');
    const r = loadChecklist(text, `checklists/${name}`, cached(name, text));
    assert.ok(r.checklist, name);
    return r.checklist;
  });
}

/** Each line's links (id and reason) in a checklist of those lines, under a Kubernetes heading. */
function linksOfLines(checklists: readonly Checklist[], lines: readonly string[]): string[][] {
  const md = `# Go-live\n\n## Kubernetes\n\n${lines.map((l) => `- [ ] ${l}`).join('\n')}\n`;
  const { model } = parseMarkdownChecklist(md, 'GO-LIVE.md');
  const items = resolveItems(builtinSet(checklists, false)).items;
  return linkChecklist({ path: 'GO-LIVE.md', model }, undefined, items).items.map((i) => i.links.map((l) => `${l.id} [${l.reason}]`));
}

const LINES = [
  'Deploy to production (with approval)',
  'Every container declares CPU and memory limits',
  'Containers never run as root',
  'Images are pinned to explicit versions, never latest',
  'Pods expose a liveness endpoint the kubelet can poll',
  '.env files are git-ignored and never committed',
];

describe("the build's readings of the rules for the Markdown link index", () => {
  // (the readings a cache provides stay for the process: every test leaves none behind)
  afterEach(() => provideLinkReadings(() => undefined));

  it('a cache written for a build holds them as JSON text of their own, with a reading of every rule that has a check', () => {
    const cache = JSON.parse(buildChecklistCache(BUILTIN, BUILD)) as { links?: unknown };
    assert.equal(typeof cache.links, 'string');
    const readings = JSON.parse(cache.links as string) as LinkReadings;
    const items = resolveItems(loadThrough(buildChecklistCache(BUILTIN, undefined), 'none')).items;
    for (const ri of items) {
      if (ri.template) assert.ok(Object.hasOwn(readings.concepts, ri.item.id), `${ri.item.id} has its concept`);
      assert.ok(Object.hasOwn(readings.words, ri.item.title), `the title of ${ri.item.id} has its words`);
    }
    assert.equal((JSON.parse(buildChecklistCache(BUILTIN, undefined)) as { links?: unknown }).links, undefined, 'code run from source writes none');
  });

  it('linking with the readings of the build that wrote them gives every labelled line the links read afresh', () => {
    const fresh = loadThrough(buildChecklistCache(BUILTIN, undefined), 'none');
    const parts = ['dev', 'dev4', 'validation5'] as const;
    const expected = parts.map((part) => linkPart(part, builtinSet(fresh, false)));
    const primed = loadThrough(buildChecklistCache(BUILTIN, BUILD), BUILD);
    assert.deepEqual(
      parts.map((part) => linkPart(part, builtinSet(primed, false))),
      expected,
    );
    assert.deepEqual(linksOfLines(primed, LINES), linksOfLines(fresh, LINES));
  });

  it('the readings are what the index reads, and only the build that wrote them reads them', () => {
    const cache = JSON.parse(buildChecklistCache(BUILTIN, BUILD)) as { links: string };
    const edit = (change: (r: LinkReadings) => void): string => {
      const readings = JSON.parse(cache.links) as LinkReadings;
      change(readings);
      return JSON.stringify({ ...cache, links: JSON.stringify(readings) });
    };
    const fresh = linksOfLines(loadThrough(buildChecklistCache(BUILTIN, undefined), 'none'), LINES);
    assert.ok(fresh.every((links) => links.length > 0), `every line links a rule: ${JSON.stringify(fresh)}`);
    assert.ok(fresh.flat().some((l) => /\[matched /.test(l)) && fresh.flat().some((l) => /\[asserts: /.test(l)), JSON.stringify(fresh));
    // every phrasing read as saying nothing: no line links through a phrasing
    const silent = edit((r) => {
      for (const text of Object.keys(r.words)) r.words[text] = [];
    });
    const fromSilent = linksOfLines(loadThrough(silent, BUILD), LINES);
    assert.ok(fromSilent.flat().every((l) => !/\[matched /.test(l)), `no phrasing is read: ${JSON.stringify(fromSilent)}`);
    provideLinkReadings(() => undefined);
    // every rule read as asserting what the readiness probe rule asserts: no line links a rule by its concept but that one's
    const alike = edit((r) => {
      const readiness = r.concepts['k8s.probes.readiness'];
      for (const id of Object.keys(r.concepts)) r.concepts[id] = readiness;
    });
    const fromAlike = linksOfLines(loadThrough(alike, BUILD), LINES);
    assert.notDeepEqual(fromAlike, fresh);
    assert.ok(fromAlike.flat().filter((l) => /\[asserts: /.test(l)).every((l) => l.includes('[asserts: readiness probe]')), JSON.stringify(fromAlike));
    provideLinkReadings(() => undefined);
    assert.deepEqual(linksOfLines(loadThrough(silent, 'another-build'), LINES), fresh, 'another build reads the rules itself');
    assert.deepEqual(linksOfLines(loadThrough(alike, 'another-build'), LINES), fresh, 'another build reads the rules itself');
  });

  it('readings that cannot be parsed are not used: the rules are read afresh', () => {
    const cache = JSON.parse(buildChecklistCache(BUILTIN, BUILD)) as { links: string };
    const broken = JSON.stringify({ ...cache, links: cache.links.slice(0, 1000) });
    const fresh = linksOfLines(loadThrough(buildChecklistCache(BUILTIN, undefined), 'none'), LINES);
    assert.deepEqual(linksOfLines(loadThrough(broken, BUILD), LINES), fresh);
  });
});
