// Template placeholders in Dockerfiles (`%%VAR%%`, `{{ … }}`): values holding one are not judged.
const PERCENT_PLACEHOLDER_RE = /%%[A-Za-z0-9_.-]+%%/;

/**
 * `%%VAR%%`, or `{{ … }}` / `${{ … }}` on one line. A scan rather than `/\{\{[^}\n]*\}\}/`, which
 * backtracks quadratically on a long run of `{` (20,000 of them took seconds).
 */
export function placeholderIn(text: string): boolean {
  if (PERCENT_PLACEHOLDER_RE.test(text)) return true;
  let newline = -2;
  for (let i = text.indexOf('{{'); i !== -1; ) {
    const close = text.indexOf('}', i + 2);
    if (close === -1) return false;
    if (newline !== -1 && newline < i + 2) newline = text.indexOf('\n', i + 2);
    if (newline === -1 || close < newline) {
      if (text[close + 1] === '}') return true;
      i = text.indexOf('{{', close);
    } else i = text.indexOf('{{', newline);
  }
  return false;
}
export const TEMPLATE_NAME_RE = /\.(template|tmpl|tpl|j2|jinja2?|hbs|mustache|erb)$/i;

/**
 * Does a value hold (part of) a template placeholder (`%%VAR%%`, `{{ … }}`)? A placeholder with spaces
 * is split across arguments (`FROM img/{{ env.variant }}:{{ env.tag }}`), so half of one counts too.
 */
export function hasPlaceholder(value: string): boolean {
  // `{{`, `}}` or `%%` and a letter, found with plain searches (most values hold none of them)
  if (value.includes('{{') || value.includes('}}')) return true;
  let percent = value.indexOf('%%');
  if (percent === -1) return false;
  for (; percent !== -1; percent = value.indexOf('%%', percent + 1)) {
    const c = value.charCodeAt(percent + 2);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) return true;
  }
  // without `{{` only a `%%…%%` placeholder can be in it (what placeholderIn looks for)
  return PERCENT_PLACEHOLDER_RE.test(value);
}
