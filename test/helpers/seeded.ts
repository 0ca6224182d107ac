/** A tiny seeded random generator (an LCG): the same "random" splits and inputs every run, so a failure repeats. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
