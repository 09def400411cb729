export { setCheckedEdit } from './edits';
export { linkChecklist, linkIndexFor, linksOf, resolvePin, targetsOf, type ItemLink, type LinkedChecklist, type LinkedItem, type MarkdownDiagnostic, type MarkdownDiagnosticCode } from './link';
export { LINK_THRESHOLD, LinkIndex, type LinkTarget, type TextLink } from './match';
export { contentWords, identifiers, SYNONYMS } from './normalize';
