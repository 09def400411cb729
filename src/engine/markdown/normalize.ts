import stem from 'wink-porter2-stemmer';
import { plainText } from '../parse/markdownText';
import { CONCEPTS } from './concepts';

/**
 * Text normalisation for linking checklist lines to rules: Markdown removed, synonyms folded to one
 * wording, words stemmed (Porter2: "configured", "configuration" and "configure" all become "configur"),
 * filler words dropped. Environment-variable names (`CORS_ORIGIN`) are kept whole as identifiers.
 */


/** Words that carry no meaning for linking. */
const STOPWORDS = new Set(
  'a an the is are be been being to for of in on at by with and or as per all any each every its it this that these those from into our your their we you they should must will can may has have had do does done use using used ensure ensured make sure set up properly correctly appropriately appropriate when where what which who how why if then than so but also can could would might shall there here them such via etc eg ie both either other some very just like are you your'.split(' '),
);

/**
 * Words that only say which way a requirement points ("never run as root", "avoid ADD", "no latest tag",
 * "allowPrivilegeEscalation: false"). A checklist states what it wants either way round, so a line links to
 * the rule about the same thing whatever its polarity: these words are dropped before matching.
 */
/** Word stems that say a thing exists or is switched on ("configured", "defined", "enabled", "in place"), not what it is. */
const FILLER = new Set(['configur', 'defin', 'enabl', 'implement', 'creat', 'place', 'setup', 'exist']);

const POLARITY = new Set('not no non never avoid avoided avoiding prevent prevented preventing disable disabled disabling dont don t without false true instead unless only deny forbid forbidden block blocked restrict restricted'.split(' '));

const IDENT_RE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;

/** Upper-case identifiers with underscores (`CORS_ORIGIN`, `NODE_ENV`) as written, plus backticked upper-case words (`PORT`). */
export function identifiers(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(IDENT_RE)) out.add(m[0]);
  for (const m of text.matchAll(/`([A-Z][A-Z0-9_]{2,})(?:=[^`]*)?`/g)) out.add(m[1]);
  return [...out];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Every variant in one alternation (longest first, so "cpu and memory limits" wins over shorter ones), folded in one pass. */
const SYNONYM_OF = new Map<string, string>(CONCEPTS.flatMap(([canonical, variants]) => variants.map((v) => [v, canonical] as [string, string])));
const SYNONYM_RE = new RegExp(
  `(^|[^a-z0-9])(${[...SYNONYM_OF.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|')})(?![a-z0-9])`,
  'g',
);

/** `runAsNonRoot`, `readOnlyRootFilesystem`, `livenessProbe`: field names read as the words they join. */
export function splitIdentifiers(text: string): string {
  return text.replace(/\b([a-z]+)((?:[A-Z][a-z]+)+)\b/g, (_m, head: string, tail: string) => `${head} ${tail.replace(/([A-Z])/g, ' $1')}`);
}

/** "not latest", "no `:latest` tag", "never latest", "`nginx:latest`": the image is pinned (or should be). */
const LATEST_RE = /(?:^|[\s(])(?:(?:not|no|never|avoid|without)\s+(?:using\s+|the\s+|a\s+)*(?:(?!migrat)[a-z0-9][a-z0-9._/-]*:)?:?latest(?:\s+(?:image\s+)?tags?)?|(?:(?!migrat)[a-z0-9][a-z0-9._/-]*)?:latest(?:\s+(?:image\s+)?tags?)?|latest\s+(?:image\s+)?tags?)(?=[\s),.;'"]|$)/g;

/** An image reference with a version tag (`node:20-alpine`, `FROM python:3.12-slim`) names an image. */
const IMAGE_REF = /(^|[\s(`,])((?:[a-z0-9][a-z0-9._-]*\/)*[a-z][a-z0-9._-]*):\d[\w.-]*(?=$|[\s),.;`])/g;

/**
 * British spellings read as the American ones, so both share one stem: the -ise verbs checklists use
 * ("sanitised", "containerise"), and "behaviour", "analyse", "centre", "licence", "catalogue" ("in favour of").
 */
const BRITISH: readonly [RegExp, string][] = [
  [/\b(sanit|normal|initial|optim|minim|maxim|author|serial|container|custom|priorit|organ|recogn|summar|util|final|standard|central|visual|synchron|local|categor|parameter|memor|capital|real|special)is(e|es|ed|ing|ation|ations|er|ers)\b/g, '$1iz$2'],
  [/\b(behavi|col|fav|hon|lab|rum|vap|harb)our(s|ed|ing|ite|ites|able)?\b/g, '$1or$2'],
  [/\b(anal|paral|catal)ys(e|es|ed|ing)\b/g, '$1yz$2'],
  [/\b(cent|met|lit|fib|theat)re(s|d)?\b/g, '$1er$2'],
  [/\b(licen|defen|offen)ce(s|d)?\b/g, '$1se$2'],
  [/\b(catal|dial)ogue(s|d)?\b/g, '$1og$2'],
];

/**
 * Stems the stemmer gives to words of different meaning: "utilization" (how much of a resource is used) is not
 * "utils" (a helper module), though both stem to "util".
 */
const OWN_STEM: readonly [RegExp, string][] = [[/^utiliz/, 'utiliz'], [/^(re)?built$/, '$1build']];

/** The stem {@link OWN_STEM} gives a word, if any. */
function ownStem(w: string): string | undefined {
  const own = OWN_STEM.find(([re]) => re.test(w));
  return own && w.replace(own[0], own[1]);
}

const stemCache = new Map<string, string>();
/**
 * Longer than any word a stem is taken of: such a "word" is a token, a hash or junk, kept whole (the stemmer's time
 * grows with the square of a word's length: a 200 KB run of letters took minutes).
 */
const MAX_STEMMED = 40;
/** A word's stem, cached: words with a digit or an underscore (names, codes), and very long ones, are kept whole. */
export function stemWord(w: string): string {
  let s = stemCache.get(w);
  if (s === undefined) {
    s = w.length > MAX_STEMMED || w.includes('_') || /\d/.test(w) ? w : (ownStem(w) ?? stem(w));
    if (stemCache.size < 20000) stemCache.set(w, s);
  }
  return s;
}

/**
 * A participle negated by its prefix ("unpinned", "unsigned", "unencrypted") reads as "not" and the participle, so a
 * line saying "no unpinned base images" speaks of pinned images (and, read into concepts, the negations cancel).
 */
export const UN_PARTICIPLE: [RegExp, string] = [/\bun(pinned|signed|encrypted|verified|authenticated|authori[sz]ed|restricted|limited|bounded|scanned|tagged|trusted|versioned|locked|validated|approved)\b/gi, 'not $1'];

/** The normalised, stemmed content words of a text (duplicates removed, order kept). */
export function contentWords(text: string): string[] {
  // LOG_LEVEL reads as "log level" here; identifiers() keeps it whole for exact mentions.
  let t = ` ${splitIdentifiers(plainText(text)).replace(IDENT_RE, (m) => m.replace(/_/g, ' ')).toLowerCase()} `;
  // A command-line flag (`--no-check-certificate`) is one name: a line says it or does not ("health check" is not it).
  t = t.replace(/(^|[\s(`])--([a-z][a-z0-9]*(?:-[a-z0-9]+)+)/g, (_m, before: string, flag: string) => `${before} flag_${flag.replace(/-/g, '_')} `);
  for (const [re, american] of BRITISH) t = t.replace(re, american);
  // Vulnerabilities that block a merge, a build or a deploy are a gate in the pipeline, not their absence ("Block critical vulnerabilities").
  if (/\b(?:vulnerabilit(?:y|ies)|cves?)\b/.test(t)) t = t.replace(/\bblock(?:s|ed|ing)?\b/g, ' gate ');
  t = t.replace(UN_PARTICIPLE[0], UN_PARTICIPLE[1]);
  t = t.replace(LATEST_RE, ' pinned image tag ').replace(IMAGE_REF, '$1$2 image ').replace(/[=:]\s*\d+\b/g, ' ');
  t = t.replace(SYNONYM_RE, (_m, before: string, variant: string) => before + (SYNONYM_OF.get(variant) ?? variant));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const m of t.matchAll(/[a-z0-9]+(?:_[a-z0-9]+)*/g)) {
    const w = m[0];
    // A digit says little alone ("min 3", "1 replica"), nor does a setting's value (`RATE_LIMIT=100`), but a port or
    // a code ("port 22") is the point.
    if (STOPWORDS.has(w) || POLARITY.has(w) || /^\d$/.test(w) || w.length < 2) continue;
    const s = stemWord(w);
    if (FILLER.has(s)) continue;
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}
