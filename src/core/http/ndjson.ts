import { HttpError } from './errors';
import { LineSplitter, splitChunks } from './lines';

/**
 * Reads newline-delimited JSON; a line that is not JSON is an error that quotes the start of it. With
 * `progressPerLine` false the caller calls `progress()` itself, for the lines that carried content.
 */
export async function* readNdjson(
  chunks: AsyncIterable<Uint8Array> & { progress?: () => void },
  maxLineBytes: number,
  progressPerLine = true,
): AsyncGenerator<unknown, void, undefined> {
  const splitter = new LineSplitter(maxLineBytes);
  for await (const ready of splitChunks(chunks, splitter)) {
    for (let line = ready.next(); line !== undefined; line = ready.next()) {
      if (line.trim().length === 0) continue;
      const value = parseJson(line, 'A line of the stream');
      // A whole line is content; blank lines and partial bytes do not hold the idle timeout off.
      if (progressPerLine) chunks.progress?.();
      yield value;
    }
  }
  const last = splitter.flush();
  if (last !== undefined && last.trim().length !== 0) yield parseJson(last, 'A line of the stream');
}

/** JSON.parse whose failure says what was being parsed and shows the first characters of it. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError('invalid-json', `${what} is not valid JSON: ${JSON.stringify(text.slice(0, 80))}`);
  }
}
