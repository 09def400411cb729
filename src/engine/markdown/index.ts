export { setCheckedEdit } from './edits';
export { isReadinessChecklist, linkChecklist, linkIndexFor, linkMarkdownFiles, linksOf, resolvePin, targetsOf, type ItemLink, type LinkedChecklist, type LinkedItem, type MarkdownDiagnostic, type MarkdownDiagnosticCode } from './link';
export { LINK_THRESHOLD, LinkIndex, type LinkTarget, type TextLink } from './match';
export { contentWords, identifiers } from './normalize';
export { redact, reportFromAudit, reportFromMarkdown, type ReadinessReport, type ReportEntry, type ReportLocation, type ReportSection } from './readiness';
export { lineVerdict, unverifiedReason, VERDICT_TEXT, type LineVerdict } from './verdict';
