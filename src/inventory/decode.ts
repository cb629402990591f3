import iconv from 'iconv-lite';

/**
 * Encodings seen in real exports (inventory-formats.md §5): UTF-8 with or without BOM, UTF-16 LE/BE
 * with BOM (PowerShell 5.1 redirection, SSRS 2005, Excel "Unicode Text"), Windows-1252 (Excel "CSV"),
 * and the OEM code pages cmd.exe writes systeminfo in (437, 850, 866, GBK for Chinese).
 */
export const SUPPORTED_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'cp437', 'cp850', 'cp866', 'windows-1251', 'gbk'] as const;

export interface DetectedEncoding {
  encoding: string;
  /** Bytes of BOM to skip. */
  bomLength: number;
  /** How it was decided, for `inspect`. */
  reason: string;
}

export interface TextDecoderLike {
  write(chunk: Buffer): string;
  end(): string;
}

export function isSupportedEncoding(name: string): boolean {
  return iconv.encodingExists(name);
}

function validUtf8(sample: Buffer): boolean {
  try {
    // stream: true tolerates a multi-byte sequence cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

const COMMON_SYMBOLS = '®©™°²³±·«»€£§µ–—‘’“”…';

/** Score how plausible a decoding is: letters inside words count, replacement and box-drawing characters cost. */
function plausibility(text: string): number {
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    const ch = text[i];
    if (c === 0xfffd) score -= 20;
    else if (c >= 0x4e00 && c <= 0x9fff) score += 3; // CJK ideographs
    else if (c >= 0x2500 && c <= 0x259f) score -= 6; // box drawing, blocks
    else if (/\p{L}/u.test(ch)) {
      const prev = text.charCodeAt(i - 1);
      const next = text.charCodeAt(i + 1);
      const ascii = (x: number) => (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a);
      const latinExt = (x: number) => x >= 0xc0 && x <= 0x24f && x !== 0xd7 && x !== 0xf7;
      const cyr = (x: number) => x >= 0x400 && x <= 0x4ff;
      if (cyr(c)) {
        // Cyrillic glued to Latin letters is a wrong code page ("Microsoftо"); inside Cyrillic words it is right.
        if (ascii(prev) || ascii(next)) score -= 4;
        else if (cyr(prev) || cyr(next)) score += 3;
      } else if (latinExt(c)) {
        if (ascii(prev) || ascii(next) || latinExt(prev) || latinExt(next)) score += 2;
      } else if (ascii(prev) || ascii(next)) score -= 2;
    } else if (COMMON_SYMBOLS.includes(ch)) {
      // ®, ©, ™, °, € … are normal in product names and addresses.
    } else if (/\p{Cc}|\p{Co}/u.test(ch)) score -= 6;
    else score -= 1;
  }
  return score;
}

/** Candidates tried for files without BOM that are not valid UTF-8. */
const LEGACY_CANDIDATES = ['windows-1252', 'cp850', 'cp437', 'cp866', 'windows-1251', 'gbk'];

export function detectEncoding(sample: Buffer): DetectedEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, reason: 'UTF-8 byte order mark' };
  }
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) {
    return { encoding: 'utf-16le', bomLength: 2, reason: 'UTF-16 LE byte order mark' };
  }
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) {
    return { encoding: 'utf-16be', bomLength: 2, reason: 'UTF-16 BE byte order mark' };
  }
  // UTF-16 without BOM: ASCII text leaves every other byte zero.
  const probe = sample.subarray(0, Math.min(sample.length, 4096));
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < probe.length; i++) if (probe[i] === 0) (i % 2 === 0 ? zeroEven++ : zeroOdd++);
  const half = probe.length / 2;
  if (half >= 4 && zeroOdd > half * 0.4 && zeroEven < half * 0.05) return { encoding: 'utf-16le', bomLength: 0, reason: 'UTF-16 LE pattern (no BOM)' };
  if (half >= 4 && zeroEven > half * 0.4 && zeroOdd < half * 0.05) return { encoding: 'utf-16be', bomLength: 0, reason: 'UTF-16 BE pattern (no BOM)' };

  if (validUtf8(sample)) {
    return { encoding: 'utf-8', bomLength: 0, reason: probe.some((b) => b >= 0x80) ? 'valid UTF-8' : 'ASCII' };
  }
  let best = { encoding: 'windows-1252', score: -Infinity };
  for (const enc of LEGACY_CANDIDATES) {
    const s = plausibility(iconv.decode(sample, enc));
    if (s > best.score) best = { encoding: enc, score: s };
  }
  return { encoding: best.encoding, bomLength: 0, reason: 'not UTF-8; legacy code page chosen by content' };
}

/** A streaming decoder for the encoding (handles characters split across chunks). */
export function createDecoder(encoding: string): TextDecoderLike {
  const enc = encoding.toLowerCase();
  if (enc === 'utf-8' || enc === 'utf8' || enc === 'utf-16le' || enc === 'utf-16be') {
    const td = new TextDecoder(enc === 'utf8' ? 'utf-8' : enc, { ignoreBOM: true });
    return {
      write: (chunk) => td.decode(chunk, { stream: true }),
      end: () => td.decode(),
    };
  }
  const d = iconv.getDecoder(enc);
  return {
    write: (chunk) => d.write(chunk),
    end: () => d.end() ?? '',
  };
}
