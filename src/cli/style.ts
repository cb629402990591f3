import type { ChalkInstance } from 'chalk';

export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Colour only on a TTY; --no-color and NO_COLOR (any non-empty value) turn it off, FORCE_COLOR and
 * --color turn it on. chalk itself does not honour NO_COLOR, so it is decided here.
 */
export function resolveColorLevel(flag: boolean | undefined, env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): ColorLevel {
  if (flag === false) return 0;
  const force = env.FORCE_COLOR;
  if (flag === true) return force && /^[123]$/.test(force) ? (Number(force) as ColorLevel) : 1;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (/^[123]$/.test(force)) return Number(force) as ColorLevel;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!stream.isTTY) return 0;
  if (env.TERM === 'dumb') return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  if (/-256(color)?$/i.test(env.TERM ?? '')) return 2;
  return 1;
}

/** A chalk-shaped no-op: any chain of styles returns the text unchanged (no chalk load when colour is off). */
const plain: ChalkInstance = new Proxy(function (...text: unknown[]) {
  return text.join(' ');
} as unknown as ChalkInstance, {
  get: (_target, prop) => (prop === 'level' ? 0 : plain),
  apply: (_target, _this, args: unknown[]) => args.join(' '),
});

let chalkModule: typeof import('chalk') | null = null;

/** Load chalk (only when colour is on). Call before createStyle with a level above 0. */
export async function preloadColour(level: ColorLevel): Promise<void> {
  if (level > 0 && !chalkModule) chalkModule = await import('chalk');
}

export function createStyle(level: ColorLevel): ChalkInstance {
  if (level === 0 || !chalkModule) return plain;
  return new chalkModule.Chalk({ level });
}
