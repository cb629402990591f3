import { isAscii, isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';

// iconv-lite is loaded only for legacy code pages: UTF-8/UTF-16 inventories (most) never pay for it.
type Iconv = typeof import('iconv-lite');
let iconvModule: Iconv | null = null;
function iconv(): Iconv {
  iconvModule ??= createRequire(import.meta.url)('iconv-lite') as Iconv;
  return iconvModule;
}

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
  const n = name.toLowerCase();
  if (n === 'utf-8' || n === 'utf8' || n === 'utf-16le' || n === 'utf-16be') return true;
  return iconv().encodingExists(name);
}

function validUtf8(sample: Buffer): boolean {
  // Complete and valid (almost every file): no decoder needed.
  if (isUtf8(sample)) return true;
  try {
    // stream: true tolerates a multi-byte sequence cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Count well-formed multi-byte UTF-8 sequences and runs of bytes that fit no sequence. */
function utf8Stats(b: Buffer): { multi: number; invalid: number } {
  let multi = 0;
  let invalid = 0;
  let inBadRun = false;
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      inBadRun = false;
      i++;
      continue;
    }
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= b.length;
    for (let k = 1; ok && k < len; k++) if ((b[i + k] & 0xc0) !== 0x80) ok = false;
    if (ok) {
      multi++;
      inBadRun = false;
      i += len;
    } else {
      // A sequence cut by the end of the sample is not an error; a run of junk bytes counts once.
      if (!(len > 0 && i + len > b.length) && !inBadRun) invalid++;
      inBadRun = true;
      i++;
    }
  }
  return { multi, invalid };
}

const COMMON_SYMBOLS = '®©™°²³±·«»€£§µ–—‘’“”…';

/**
 * Frequent Chinese characters in Windows inventories (systeminfo labels, editions, N/A): real GBK text
 * is full of them, while Latin text mis-decoded as GBK gives rare characters.
 */
const COMMON_CJK = new Set(
  '的一是名称版本系统主机制造商配置型号处理器内存网卡域登录服务安装日期时间区企业专家庭教育修补程序暂缺操作用户位物可虚拟最大值页面文件启动设备输入法中国产品注册所有者组织初始独立成员工站多补丁更新标准数据中心旗舰信息类别目录总量使用语言微软公司已个基于计算厂驱动器盘'.split(''),
);

const isAsciiLetter = (x: number) => (x >= 0x41 && x <= 0x5a) || (x >= 0x61 && x <= 0x7a);
const isLatinExt = (x: number) => x >= 0xc0 && x <= 0x24f && x !== 0xd7 && x !== 0xf7;
const isCyrillic = (x: number) => x >= 0x400 && x <= 0x4ff;
const isUpper = (ch: string) => ch !== ch.toLowerCase() && ch === ch.toUpperCase();
const isLower = (ch: string) => ch !== ch.toUpperCase() && ch === ch.toLowerCase();

/** Score how plausible a decoding is: letters inside words count; replacement, box-drawing and case soup cost. */
function plausibility(text: string): number {
  let score = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    const ch = text[i];
    const prevCh = text[i - 1] ?? ' ';
    const prev = text.charCodeAt(i - 1);
    const next = text.charCodeAt(i + 1);
    if (c === 0xfffd) score -= 20;
    else if (c >= 0x3400 && c <= 0x9fff) score += COMMON_CJK.has(ch) ? 4 : -1;
    else if (c >= 0x2500 && c <= 0x259f) score -= 6;
    else if (/\p{L}/u.test(ch)) {
      // Lower case followed by upper case inside a word is mis-decoding ("úÃ", "ъГ").
      if (isUpper(ch) && isLower(prevCh) && /\p{L}/u.test(prevCh)) score -= 5;
      if (isCyrillic(c)) {
        if (isAsciiLetter(prev) || isAsciiLetter(next)) score -= 4;
        else if (isCyrillic(prev) || isCyrillic(next)) score += 3;
      } else if (isLatinExt(c)) {
        // European words have an accented letter between plain ones, rarely three accented in a row.
        if (isLatinExt(prev) && isLatinExt(next)) score -= 3;
        else if (isAsciiLetter(prev) || isAsciiLetter(next)) score += 2;
      } else if (isAsciiLetter(prev) || isAsciiLetter(next)) score -= 2;
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
  const probe = sample.length <= 4096 ? sample : sample.subarray(0, 4096);
  let zeroEven = 0;
  let zeroOdd = 0;
  // Most files have no zero byte at all: one native search says so.
  if (probe.indexOf(0) >= 0) for (let i = 0; i < probe.length; i++) if (probe[i] === 0) (i % 2 === 0 ? zeroEven++ : zeroOdd++);
  const half = probe.length / 2;
  if (half >= 4 && zeroOdd > half * 0.4 && zeroEven < half * 0.05) return { encoding: 'utf-16le', bomLength: 0, reason: 'UTF-16 LE pattern (no BOM)' };
  if (half >= 4 && zeroEven > half * 0.4 && zeroOdd < half * 0.05) return { encoding: 'utf-16be', bomLength: 0, reason: 'UTF-16 BE pattern (no BOM)' };

  if (validUtf8(sample)) {
    return { encoding: 'utf-8', bomLength: 0, reason: isAscii(probe) ? 'ASCII' : 'valid UTF-8' };
  }
  // Mostly UTF-8 with a few broken bytes (a truncated copy, one bad cell): still UTF-8, the bad bytes
  // become U+FFFD, rather than every accented character in the file turning into mojibake.
  const stats = utf8Stats(sample);
  if (stats.multi > 0 && stats.invalid <= stats.multi) {
    return { encoding: 'utf-8', bomLength: 0, reason: `UTF-8 with ${stats.invalid} invalid byte${stats.invalid === 1 ? '' : 's'}` };
  }
  let best = { encoding: 'windows-1252', score: -Infinity };
  for (const enc of LEGACY_CANDIDATES) {
    const s = plausibility(iconv().decode(sample, enc));
    if (s > best.score) best = { encoding: enc, score: s };
  }
  return { encoding: best.encoding, bomLength: 0, reason: 'not UTF-8; legacy code page chosen by content' };
}

const wholeDecoders = new Map<string, { decode(input: Uint8Array): string }>();

/**
 * A whole input in one call: the same text as createDecoder's write then end. Pure ASCII (most
 * exports) is copied byte for byte; UTF decoders are reused (a call without `stream` leaves no state).
 */
export function decodeWhole(encoding: string, bytes: Buffer): string {
  const enc = encoding.toLowerCase();
  if (enc === 'utf-8' || enc === 'utf8' || enc === 'utf-16le' || enc === 'utf-16be') {
    if ((enc === 'utf-8' || enc === 'utf8') && isAscii(bytes)) return bytes.toString('latin1');
    const name = enc === 'utf8' ? 'utf-8' : enc;
    let td = wholeDecoders.get(name);
    if (!td) wholeDecoders.set(name, (td = new TextDecoder(name, { ignoreBOM: true })));
    return td.decode(bytes);
  }
  const d = createDecoder(enc);
  return d.write(bytes) + d.end();
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
  const d = iconv().getDecoder(enc);
  return {
    write: (chunk) => d.write(chunk),
    end: () => d.end() ?? '',
  };
}
