// Prints how findings stack on one place: for each folder, the findings located in a file, the distinct
// ranges they sit on, the most findings on one range and the distribution, and the ranges with the most.
// Usage: npx tsx scripts/findingStacks.ts <folder>…   (what the editor shows in one hover is one range's list)
import * as path from 'node:path';
import { scanFolder } from '../src/node/host';

async function main(): Promise<void> {
  const folders = process.argv.slice(2);
  if (folders.length === 0) throw new Error('usage: tsx scripts/findingStacks.ts <folder>…');
  for (const folder of folders) {
    const { result } = await scanFolder(folder);
    const byRange = new Map<string, string[]>();
    for (const f of result.findings) {
      if (f.scope === 'repository') continue;
      const r = f.range;
      const key = `${f.file}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
      const list = byRange.get(key) ?? [];
      list.push(f.ruleId);
      byRange.set(key, list);
    }
    const sizes = [...byRange.values()].map((l) => l.length);
    const dist = new Map<number, number>();
    for (const n of sizes) dist.set(n, (dist.get(n) ?? 0) + 1);
    const located = sizes.reduce((a, b) => a + b, 0);
    console.log(`${path.basename(path.resolve(folder))}: ${result.findings.length} findings, ${located} located on ${byRange.size} ranges; most on one range: ${Math.max(0, ...sizes)}`);
    console.log(`  findings per range → ranges: ${[...dist].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n}→${c}`).join(' ')}`);
    for (const [key, ids] of [...byRange].filter(([, l]) => l.length > 4).sort((a, b) => b[1].length - a[1].length)) console.log(`  ${ids.length} at ${key}: ${ids.sort().join(', ')}`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
