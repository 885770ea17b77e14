/**
 * A small seedable PRNG (mulberry32) whose whole state is one 32-bit number, so it can live in
 * the JSON tenant state and replay the same fault and mail-flow decisions from the same seed.
 */
export function nextRandom(state: number): { value: number; state: number } {
  const next = (state + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return { value, state: next };
}

/** A stateful view over a state cell: draw() advances and stores the state. */
export class Prng {
  constructor(
    private readonly read: () => number,
    private readonly write: (s: number) => void,
  ) {}

  /** A float in [0, 1). */
  draw(): number {
    const { value, state } = nextRandom(this.read());
    this.write(state);
    return value;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.draw() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.draw() * items.length)];
    if (item === undefined) throw new RangeError("pick from an empty list");
    return item;
  }

  /** A version-4-shaped GUID made from the PRNG, for deterministic message ids. */
  guid(): string {
    const hex = (n: number): string => Array.from({ length: n }, () => this.int(0, 15).toString(16)).join("");
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${["8", "9", "a", "b"][this.int(0, 3)] ?? "8"}${hex(3)}-${hex(12)}`;
  }
}

/** A stable 32-bit hash of a string (FNV-1a), for ids and IPs derived from names. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
