// The Readiness view's checklist labels: whole at the side bar's default width, the full title in the tooltip.
// Pure (no vscode import).
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CHECKLIST_LABEL_MAX, checklistLabel } from '../../src/vscode/labels';
import { REPO } from './helpers';

describe('vscode adapter: checklist labels', () => {
  it('a title that fits is the label, unchanged', () => {
    for (const t of ['Dockerfile', 'Kubernetes workloads', 'Environment configuration', 'Repository, CI and Compose']) assert.equal(checklistLabel(t), t);
  });

  it('a long title is cut to its lead, else to its first words that fit', () => {
    assert.equal(checklistLabel('Package scripts and dependencies'), 'Package scripts');
    assert.equal(checklistLabel('Payments team: what ships to production'), 'Payments team');
    assert.equal(checklistLabel('Production readiness review checklist'), 'Production readiness');
    assert.equal(checklistLabel('Supercalifragilisticexpialidociousness'), 'Supercalifragilisticexpial');
  });

  it('every built-in checklist has a label of at most the width, naming it uniquely', () => {
    const dir = path.join(REPO, 'checklists');
    const titles = readdirSync(dir)
      .filter((f) => f.endsWith('.checklist.yaml'))
      .map((f) => String((parse(readFileSync(path.join(dir, f), 'utf8')) as { title: string }).title));
    const labels = titles.map((t) => checklistLabel(t));
    for (const l of labels) assert.ok(l.length > 0 && l.length <= CHECKLIST_LABEL_MAX, l);
    assert.equal(new Set(labels).size, labels.length, labels.join(' | '));
  });
});
