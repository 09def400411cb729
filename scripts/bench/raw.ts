// The bench's lower bound: the files a scan audits, read and parsed by the libraries themselves, with no
// Shipshape code: `yaml` (parseAllDocuments with a LineCounter), `dockerfile-ast` and JSON.parse. Files
// no library parses (.env, ignore files, Markdown) are split into lines. `npm run bench` bundles this
// file like the CLI and times the whole process (start to exit): node raw.js <files.json>, where the
// JSON lists `{ abs, kind }` per file.
import { DockerfileParser } from 'dockerfile-ast';
import { readFileSync } from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';

interface Listed {
  abs: string;
  kind: string;
}

function parse(text: string, file: Listed): unknown {
  switch (file.kind) {
    case 'dockerfile':
      return DockerfileParser.parse(text);
    case 'packageJson':
    case 'lockfile':
      return JSON.parse(text);
    case 'kubernetes':
    case 'compose':
    case 'ciWorkflow':
    case 'config':
    case 'checklist':
    case 'toolConfig':
      if (file.abs.endsWith('.json')) return JSON.parse(text);
      return parseAllDocuments(text, { lineCounter: new LineCounter() });
    default:
      return text.split('\n');
  }
}

const files = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Listed[];
const kept: unknown[] = [];
let bytes = 0;
for (const f of files) {
  const text = readFileSync(f.abs, 'utf8');
  bytes += text.length;
  // kept, as a scan keeps its models: nothing is collected before the end
  kept.push(parse(text, f));
}
process.stdout.write(`${JSON.stringify({ files: kept.length, chars: bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
