/**
 * Text files decoded so that encoding the text again gives back the same bytes: UTF-16 when the file starts with
 * its byte order mark (what Windows PowerShell's `>` writes), else UTF-8 (a byte order mark is remembered, not
 * kept in the text), else Latin-1, one character per byte. A fix edits the text and writes it
 * back in the file's own encoding, so bytes outside its edits stay exactly as they were.
 */
export interface DecodedText {
  text: string;
  encoding: 'utf8' | 'latin1' | 'utf16le' | 'utf16be';
  bom: boolean;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(bytes: Uint8Array): DecodedText {
  const utf16 = decodeUtf16(bytes);
  if (utf16) return { ...utf16, bom: true };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: UTF8.decode(bytes), encoding: 'utf8', bom };
  } catch {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding: 'latin1', bom: false };
  }
}

/** The bytes of `text` in the encoding `like` was read in; undefined when a character has no byte in Latin-1. */
export function encodeText(text: string, like: Omit<DecodedText, 'text'>): Buffer | undefined {
  if (like.encoding === 'utf16le' || like.encoding === 'utf16be') {
    const body = Buffer.from('\ufeff' + text, 'utf16le');
    return like.encoding === 'utf16be' ? body.swap16() : body;
  }
  if (like.encoding === 'latin1') return [...text].some((c) => c.charCodeAt(0) > 0xff) ? undefined : Buffer.from(text, 'latin1');
  const body = Buffer.from(text, 'utf8');
  return like.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/** The text of a file that starts with a UTF-16 byte order mark and decodes as UTF-16; else undefined. */
export function decodeUtf16(bytes: Uint8Array): { text: string; encoding: 'utf16le' | 'utf16be' } | undefined {
  const encoding = bytes.length % 2 === 0 ? utf16Bom(bytes) : undefined;
  if (!encoding) return undefined;
  try {
    return { text: new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes), encoding };
  } catch {
    return undefined; // not UTF-16 after all
  }
}

function utf16Bom(bytes: Uint8Array): 'utf16le' | 'utf16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  return undefined;
}
