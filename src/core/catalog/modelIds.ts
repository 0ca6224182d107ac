/** The forms of a model id worth trying, most exact first: as given, with dates in the package's form, then undated. */
export function idCandidates(modelId: string): string[] {
  const id = modelId.trim().toLowerCase().replace(/^models\//, '');
  const candidates = [id];
  // The package writes snapshot dates as -YYYY-MM-DD; providers often send -YYYYMMDD.
  const dashed = id.replace(/-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g, '-$1-$2-$3');
  if (dashed !== id) candidates.push(dashed);
  const undated = undatedId(id);
  if (undated !== id) candidates.push(undated);
  return candidates;
}

/** gpt-4.1-mini-2025-04-14 → gpt-4.1-mini, claude-3-5-haiku-20241022 → claude-3-5-haiku, gpt-4-0613 → gpt-4, x-latest → x. */
export function undatedId(id: string): string {
  return id.replace(/-(?:20\d{2}-\d{2}-\d{2}|20\d{6}|\d{2}-\d{2}|\d{4}|latest)$/, '');
}

/** True for an id that names one dated snapshot of a model rather than the model. */
export function isSnapshotId(id: string): boolean {
  return /-(?:20\d{2}-\d{2}-\d{2}|20\d{6}|\d{2}-\d{2}|0\d{3})(?=-|$)/.test(id);
}
