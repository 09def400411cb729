// Markdown inline text: what a checklist line says once its markup is taken out.

/**
 * HTML comments taken out, in one pass: a comment that is never closed runs to the end (a pattern would scan the rest
 * of the text again from every `<!--`).
 */
function withoutComments(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('<!--'); open >= 0; open = text.indexOf('<!--', from)) {
    const close = text.indexOf('-->', open + 4);
    out += text.slice(from, open) + ' ';
    if (close < 0) return out;
    from = close + 3;
  }
  return out + text.slice(from);
}

/**
 * Text without Markdown inline markup: code ticks, emphasis, links and images, HTML tags and comments. A link's text
 * and target, and a tag, are read up to a bound and never across another bracket (such rare ones stay as written), so
 * that a run of brackets costs a step each, not a scan of the rest of the line.
 */
export function plainText(md: string): string {
  // Escaped characters are set aside first so that `\*` never opens emphasis.
  const escaped: string[] = [];
  const held = md.replace(/\\([\\`*_{}[\]()#+\-.!<>~|])/g, (_m, ch: string) => `\uE000${escaped.push(ch) - 1}\uE001`);
  return withoutComments(held)
    .replace(/!\[([^[\]]{0,500})\]\([^()]{0,2000}\)/g, '$1')
    .replace(/\[([^[\]]{0,500})\]\([^()]{0,2000}\)/g, '$1')
    .replace(/\[([^[\]]{1,500})\]\[[^[\]]{0,500}\]/g, '$1')
    .replace(/<\/?[A-Za-z][^<>]{0,1000}>/g, ' ')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, '$1$2')
    .replace(/(^|\W)_(?=\S)([^_]*?\S)_(?!\w)/g, '$1$2')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/\uE000(\d+)\uE001/g, (_m, i: string) => escaped[Number(i)] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}
