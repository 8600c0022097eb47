/**
 * The known word closest to a typo, or null when nothing is close enough to be a typo.
 * Close means an optimal-string-alignment distance (edits plus swapped neighbours) of at
 * most 1 for words up to 4 letters and 2 for longer ones, so `monitorng` → `monitoring`
 * but `still` is left alone.
 */
export function suggestWord(typed: string, known: readonly string[]): string | null {
  const word = typed.toLowerCase();
  if (word.length < 2) return null;
  let best: { word: string; distance: number } | null = null;
  for (const candidate of known) {
    const distance = editDistance(word, candidate.toLowerCase());
    const allowed = Math.min(word.length, candidate.length) <= 4 ? 1 : 2;
    if (distance <= allowed && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word ?? null;
}

/** Levenshtein distance where swapping two neighbouring letters counts as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
