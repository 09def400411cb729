import type { Domain } from './ruleTerms';
import type { RuleConcept } from './ruleConcept';

/** What a Markdown line can link to: a checklist item with its phrasings. */
export interface LinkTarget {
  id: string;
  title: string;
  /** Phrasings a human-written checklist might use (the item's `matches`). */
  matches: readonly string[];
  mode: 'auto' | 'evidence' | 'manual';
  aliases?: readonly string[];
  /** Phrasings of a broader requirement the item is one part of (its `broaderMatches`); they rank just below its own. */
  inherited?: readonly string[];
  /**
   * How much an inherited phrasing counts (default {@link INHERITED}): the item (`k8s.resources.limits.cpu`)
   * covers only part of what the phrasing says, so a sibling that names the phrase itself wins.
   */
  inheritedWeight?: number;
  /** Further text the item is known by (e.g. its check parameters); only identifiers are taken from it. */
  extra?: string;
  /** Phrasings derived from the rule's data (its id, the fields and kinds it reads); they rank below its own. */
  derived?: readonly string[];
  /** Packages, kinds, fields, instructions and commands the rule reads (lower case): a line naming one speaks of it. */
  terms?: readonly string[];
  /** Fields the rule's check reads and named values it compares them with, as written (`automountServiceAccountToken`, `NodePort`). */
  fields?: readonly string[];
  /** Names written in the rule's title and phrasings (`.dockerignore`, `npm ci`): weaker than {@link terms}. */
  textTerms?: readonly string[];
  /** The kind of files the rule reads, when it is about one: a section about Dockerfiles prefers Dockerfile rules. */
  domain?: Domain;
  /** What the rule asserts (property, subject, polarity), read from its data (ruleConcept.ts). */
  concept?: RuleConcept;
}

export interface TextLink {
  id: string;
  mode: LinkTarget['mode'];
  /** Human-readable: `matched "resource limits"`, `mentions CORS_ORIGIN`. */
  reason: string;
  /** 0–1: how close the line is to the phrasing that matched. */
  score: number;
}
