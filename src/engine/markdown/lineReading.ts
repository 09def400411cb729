import { onFirstUse } from '../onFirstUse';
import { contentWords, stemWord } from './normalize';

/**
 * How a checklist line is read for scoring: its words weighted (asides and reason clauses count less), and the
 * signs that it states a runtime fact, an activity, a suggestion or a measured target rather than a requirement.
 */

/** Words in parentheses ("(Trivy, Snyk)", "(min 3)") are examples or details: they count this much. */
export const ASIDE = 0.35;

/**
 * A clause that gives the reason for a requirement ("… to prevent resource
 * exhaustion", "… so that pods can be rescheduled"): it explains, it is not what is asked.
 */
const PURPOSE = /\s(?:to (?:prevent|ensure|avoid|allow|determine|reduce|minimi[sz]e|improve|enable|keep|protect|support|help|detect|speed|limit|stop|mitigate|guarantee|catch|block|lower|shrink|eliminate|isolate|preserve|simplify|save|make)|so that|in order to|where|wherever|when|whenever|unless|except|if|because|since|otherwise|thus|thereby|as (?:this|it|that) \w+)\s(.+)$/i;
/** A clause after a comma that explains what the requirement does ("…, which guarantees the same bytes", "…, ensuring …"). */
const EXPLAINED = /,\s+(?:which|ensuring|making|preventing|allowing|so|thus|thereby)\s(.+)$/i;

/** A checklist's own numbering before a line ("RULE #7 -", "Step 3:", "#2."): not what the line asks. */
const NUMBERED = /^[\s*_]*(?:(?:rule|step|item|check|practice|tip)\s*#?\s*\d+|#\d+)\s*[-–—:.)]\s*/i;

/** The content words of a text, with words that only occur inside parentheses or a purpose clause weighted down. */
export function weightedWords(text: string): Map<string, number> {
  const asides: string[] = [];
  let main = text.replace(NUMBERED, '').replace(/\(([^()]*)\)/g, (_m, inner: string) => {
    asides.push(inner);
    return ' ';
  });
  const purpose = PURPOSE.exec(main) ?? EXPLAINED.exec(main);
  // Only a clause after a requirement of its own ("Scan images for vulnerabilities": "scan images").
  if (purpose && contentWords(main.slice(0, purpose.index)).length >= 2) {
    asides.push(purpose[1]);
    main = main.slice(0, purpose.index);
  }
  const out = new Map<string, number>();
  for (const w of contentWords(main)) out.set(w, 1);
  for (const w of contentWords(asides.join(' , '))) if (!out.has(w)) out.set(w, ASIDE);
  return out;
}

/**
 * Words that describe a runtime or one-off state ("tests are passing", "deployment successful", "logs
 * verified") or an activity ("test graceful shutdown", "migrations coordinated") rather than something the
 * repository declares. A line using one its phrasing lacks speaks of an operational fact, so its score is
 * lowered. Outcomes are never an automated rule's phrasing (see the constructor).
 */
/** The outcome and state words, read on first use (a run that links no Markdown line never needs them). */
const stateWordTables = onFirstUse((): { outcome: ReadonlySet<string>; state: ReadonlySet<string> } => {
  const outcome = new Set(contentWords('passing passed succeeds successful successfully working works stable verified established functioning firing healthy collected detected observed'));
  const state = new Set([...outcome, ...contentWords('rotated reviewed monitored monitoring ran applied executed staging verify test tested check checked open coordinated strategy plan drill review')]);
  return { outcome, state };
});
/** Forms that share a state word's stem but name a thing: a build or pipeline stage is not "staging". */
const THING_FORMS = new Set(['stage', 'stages']);
/** Participles that say a requirement is in place ("implemented", "configured"): a state joined to one by "and" is a further step. */
const REQUIRED_PARTICIPLE = /^(?:implemented|configured|defined|enabled|set|setup|created|added|installed|integrated|deployed)$/;
/** Words after a participle that leave it the line's state ("tested and approved", "applied to production", "passed successfully"). */
const LINKING = /^(?:and|or|but|nor|in|on|at|to|by|for|with|without|against|before|after|during|via|through|from|as|under|within|into|across|per|once|again|end|manually|automatically|\w+ly)$/;
export const isOutcomeWord = (word: string): boolean => stateWordTables().outcome.has(word);
export const isStateWord = (word: string): boolean => stateWordTables().state.has(word);
export const STATE_PENALTY = 0.7;
/**
 * "Test" as a call to act, not as the first word of a noun ("Test coverage threshold", "Test suite in CI").
 */
const TEST_ACT = String.raw`test(?!\s+(?:coverage|suites?|frameworks?|runners?|scripts?|results?|reports?|cases?|data|pipelines?|stages?|steps?|jobs?|environments?|fixtures?|files?|commands?|tooling|setup)\b)`;
/** A phrasing that starts by telling a person to do something ("Run smoke tests", "Verify backups") is an activity. */
export const ACTIVITY = new RegExp(String.raw`^\s*(run|verify|${TEST_ACT}|check|monitor|perform|execute|conduct|review)\b`, 'i');

/**
 * Verbs that make a line a check a person does ("Verify backups restore", "Check error tracking", "Audit the images");
 * "Check that …", "Verify that …", "Check if …" state what must hold, as "Ensure …" does ("Check for …" may look for a runtime
 * failure: "Check for connection pool exhaustion").
 */
const CHECK_VERB = /^[\s*_]*(?:verify|check|confirm|audit|inspect)\b(?!\s+(?:that|if|whether)\b)/i;
/** Verbs of watching or trying ("Monitor slow queries", "Test rollbacks"): a task, unless the line starts with a property ("Test coverage thresholds"). */
const WATCH_VERB = new RegExp(String.raw`^[\s*_]*(?:${TEST_ACT}|monitor|review|observe|measure|watch|benchmark)\b`, 'i');
/** Verbs that make a line a task for a person when their object is one ("Run smoke tests", "Conduct a drill"); "Perform input validation" is the requirement. */
const DO_VERB = /^[\s*_]*(?:perform|conduct|do|schedule|practi[cs]e|rehearse)\b(.*)$/i;
const TASK_NOUNS = /\b(?:tests?|testing|drills?|scans?|audits?|reviews?|exercises?|rehearsals?|checks?|restores?|migrations?|game ?days?|pen(?:etration)?[ -]?tests?)\b/i;
/** A kind of test used as a verb on an object: "Load test the checkout", "Smoke test all critical flows". */
const TEST_VERB = /^[\s*_]*(?:load|smoke|stress|soak|spike|pen(?:etration)?|performance|perf|regression|acceptance|chaos|security|integration|e2e|end-to-end)[ -]test\s+(?:the|all|every|each|our|your|critical|key|main|major|core|primary)\b/i;

/**
 * Whether a line asks a person to do something (check, watch, run a drill or a test) rather than states a
 * requirement: the one reader of activities, for the line's score (match.ts) and its concepts (conceptRead.ts).
 */
export function asksTask(text: string, startsWithProperty = false): boolean {
  const does = DO_VERB.exec(text);
  return (does !== null && TASK_NOUNS.test(does[1])) || TEST_VERB.test(text) || CHECK_VERB.test(text) || (WATCH_VERB.test(text) && !startsWithProperty);
}
/**
 * A clause that asks for something in its own words, starting with a verb of request ("Use Kubernetes secrets", "Enable
 * TLS for all communications", "Never expose …"): after a bold label it is what the line asks, not a detail of the label.
 */
export const REQUEST = /^[\s*_]*(?:use|implement|enable|disable|consider|secure|keep|grant|sign|set|add|configure|avoid|prevent|store|run|apply|enforce|define|create|ensure|limit|restrict|remove|pin|scan|validate|monitor|test|check|verify|deploy|build|document|follow|include|prefer|mount|log|encrypt|rotate|hide|require|separate|protect|never|always|do|don't|make|install|drop|expose|provide|schedule|review|track|rely|allow|block|deny|reject|sanitize|sanitise|escape|upgrade|update|patch|audit)\b/i;
/** A line that only suggests something ("Consider disabling CPU limits", "Optionally …") states no requirement to verify. */
export const HEDGE = /^[\s*_]*(consider|optionally|optional:|if (?:possible|needed|required))\b/i;
/**
 * A suggestion to switch something off or leave it out ("Consider disabling CPU limits", "Optionally skip the
 * probe") asks for the opposite of the rule that shares its words: no check verifies it.
 */
export const OPPOSITE = /^[\s*_]*(?:consider|optionally|you (?:may|can)|it is (?:fine|ok) to)\s+(?:not\b|disabling|removing|dropping|turning off|skipping|omitting|relaxing|allowing|disable|remove|drop|turn off|skip|omit|relax|allow)/i;

/** The state {@link stateOf} gives a line that states a measured target. */
export const MEASURED_STATE = '\u0000measured';

/** A target for a measured figure ("Response time < 500ms", "error rate under 1%") is a runtime fact, not a file's. */
const MEASURED = /(?:[<>≤≥]|\b(?:under|below|above|over|less than|more than|at least|at most))\s*=?\s*\d+(?:\.\d+)?\s*(?:ms|s|sec|seconds?|minutes?|%|rps|qps)(?![a-z])/i;

/** Whether a text states a measured target outside its parentheses (a line, or a phrasing that states one itself). */
export function statesMeasuredTarget(text: string): boolean {
  return MEASURED.test(text.replace(/\([^()]*\)/g, ' '));
}

/**
 * The state words a line says, and markers for a task, a suggestion and a measured target: a phrasing that does not
 * say them scores {@link STATE_PENALTY} lower (ruleIndex.ts, match.ts). `words` are the line's weighted words (weightedWords).
 *
 * State words in an aside or a purpose clause ("… for container monitoring") do not make the line an activity.
 * A noun that shares a stem with a state word ("test artifacts", "health checks") names a thing, not a state: a state
 * word counts in the forms that say one ("tested", "checked", "passing"), or as the verb a line starts with.
 * The verb a requirement starts with ("Apply security contexts") is not the state its participle says ("applied"),
 * unless it asks for a task (see asksTask). A noun made from a state word ("key rotation", "verification") names a
 * practice, not a state; nor is "verify" after a requirement's verb ("Sign and verify images") an outcome. A stage
 * (of a build or a pipeline: "the final stage") is a thing; only "staging" says where something runs. A state joined by
 * "and" to a participle saying the requirement is in place ("Health check endpoints implemented and tested") is a further
 * step, not the line's state.
 */
export function stateOf(text: string, words: ReadonlyMap<string, number>): string[] {
  const task = asksTask(text);
  // "test" or "check" after another word ("health checks") is a noun; found without a lookbehind over the spaces before it
  const first = text.search(/\S/);
  const nouns = new Set<string>();
  for (const m of text.matchAll(/\b(tests?|checks?)\b/gi)) if (first < m.index - 1 && /\s/.test(text[m.index - 1])) nouns.add(m[1].toLowerCase());
  const tokens = [...text.matchAll(/[A-Za-z]+/g)];
  const raw = tokens.map((m) => m[0].toLowerCase());
  // A participle right before the word it qualifies ("verified images", "signed packages") says what the thing is, not a state.
  const qualifies = (k: number) => {
    const next = tokens[k + 1];
    return /ed$/.test(raw[k]) && next !== undefined && /^ +$/.test(text.slice(tokens[k].index! + raw[k].length, next.index)) && !LINKING.test(raw[k + 1]);
  };
  // "… for container monitoring", "Export metrics for monitoring": what a thing is for, not a state of the line.
  const purpose = (k: number) => /ing$/.test(raw[k]) && (raw[k - 1] === 'for' || raw[k - 2] === 'for');
  // "Secrets passed as environment variables": handed over, not an outcome.
  const handed = (k: number) => /^pass(?:ed|es)?$/.test(raw[k]) && /^(?:as|via|through|into)$/.test(raw[k + 1] ?? '');
  // "implemented and tested", "configured and monitored": the line says what is required, and the state after it is a
  // further step a person takes, not what the line is about.
  const further = (k: number) => raw[k - 1] === 'and' && REQUIRED_PARTICIPLE.test(raw[k - 2] ?? '');
  const saysState = (w: string, k: number) => !further(k) && !nouns.has(w) && !/(?:ions?|ments?)$/.test(w) && !THING_FORMS.has(w) && !qualifies(k) && !purpose(k) && !handed(k) && ((k > 0 && w !== 'verify') || task || /(?:ed|ing)$/.test(w));
  const says = raw.map(saysState);
  const stated = new Set(raw.filter((_w, k) => says[k]).map(stemWord));
  const notStated = new Set(raw.filter((_w, k) => !says[k]).map(stemWord).filter((w) => !stated.has(w)));
  const lineState = [...words].filter(([w, factor]) => factor === 1 && isStateWord(w) && !notStated.has(w)).map(([w]) => w);
  if (task) lineState.push('\u0000activity');
  if (HEDGE.test(text)) lineState.push('\u0000hedge');
  if (statesMeasuredTarget(text)) lineState.push(MEASURED_STATE);
  return lineState;
}

/**
 * A line about the platform a service runs on (the cluster, its nodes, the network in front of it) speaks of
 * something no repository file declares: it links by its wording only, never by a property it names ("Autoscaling
 * configured for the node pools" is not the workload's HorizontalPodAutoscaler). So is a standard or a policy the
 * line says is enforced ("Pod Security Standards enforced on all namespaces", "Policies enforce resource limits"): an
 * admission controller of the cluster enforces it, whatever the manifests ask.
 */
export const PLATFORM = /\b(?:clusters?|nodes?(?!\.?js)|node ?pools?|control[- ]plane|etcd|api[- ]server|kubelet|load[- ]balancers?|cdn|waf|vpc|firewalls?|dns|on[- ]call|team|(?:standards?|polic(?:y|ies)) (?:are |is )?enforced|polic(?:y|ies) enforce)\b/i;
/** A managed Kubernetes service (AKS, EKS, GKE) names the platform too. */
const MANAGED_PLATFORM = /\b(?:aks|eks|gke|kubernetes (?:service|engine))\b/i;

/**
 * A section whose heading is about the platform ("Cluster compliance", "Azure Kubernetes Service (AKS)", "Securing
 * hosts"): its lines configure what no repository file declares, so they link by their wording only.
 */
export function platformSection(headings: readonly string[]): boolean {
  const nearest = headings[headings.length - 1];
  return nearest !== undefined && (PLATFORM.test(nearest) || MANAGED_PLATFORM.test(nearest));
}

/** Normalised words of the names a line gives: CamelCase names (`LimitRange`) and code spans. */
export function unknownNames(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b|`[^`]+`/g)) for (const w of contentWords(m[0])) out.add(w);
  return out;
}
