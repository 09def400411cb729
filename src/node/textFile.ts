/**
 * Text files decoded so that encoding the text again gives back the same bytes: UTF-8 (a byte order mark is
 * remembered, not kept in the text), else Latin-1, one character per byte. A fix edits the text and writes it
 * back in the file's own encoding, so bytes outside its edits stay exactly as they were.
 */
export interface DecodedText {
  text: string;
  encoding: 'utf8' | 'latin1';
  bom: boolean;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(bytes: Uint8Array): DecodedText {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    return { text: UTF8.decode(bytes), encoding: 'utf8', bom };
  } catch {
    return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'), encoding: 'latin1', bom: false };
  }
}

/** The bytes of `text` in the encoding `like` was read in; undefined when a character has no byte in Latin-1. */
export function encodeText(text: string, like: Omit<DecodedText, 'text'>): Buffer | undefined {
  if (like.encoding === 'latin1') return [...text].some((c) => c.charCodeAt(0) > 0xff) ? undefined : Buffer.from(text, 'latin1');
  const body = Buffer.from(text, 'utf8');
  return like.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}
