/**
 * A fixed-size Bloom filter of hostname keys: when a large single-file inventory is streamed, it notices
 * (in constant memory) a hostname that appears again far from its first row, so that can be reported.
 */
export class KeyBloom {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /** `log2Bits` 26 = 8 MiB: false positives stay below 1e-5 up to about 2 million keys with 7 probes. */
  constructor(log2Bits = 26) {
    this.bits = new Uint32Array(2 ** (log2Bits - 5));
    this.mask = 2 ** log2Bits - 1;
  }

  private hashes(key: string): [number, number] {
    // Two FNV-1a variants; probes are h1 + i*h2 (Kirsch–Mitzenmacher).
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 13);
    }
    return [h1 >>> 0, (h2 | 1) >>> 0];
  }

  /** Add a key; returns true when it was (probably) present already. */
  add(key: string): boolean {
    const [h1, h2] = this.hashes(key);
    let present = true;
    for (let i = 0; i < 7; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      const word = bit >>> 5;
      const m = 1 << (bit & 31);
      if ((this.bits[word] & m) === 0) {
        present = false;
        this.bits[word] |= m;
      }
    }
    return present;
  }
}
