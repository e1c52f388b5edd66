/** Passed breaks are dropped in batches of this many, so that the list stays short without being copied on every row. */
const COMPACT_AFTER = 65536;

/**
 * Turns the parser's positions (in decoded characters) into 1-based file line numbers. It sees the text chunk
 * by chunk as it streams past, and keeps only the line breaks the parser has not passed yet.
 */
export class LineIndex {
  private breaks: number[] = [];
  private breakRead = 0;
  private linesPassed = 0;
  private charsSeen = 0;

  constructor(private readonly breakChar: string) {}

  /** Notes the line breaks of the next chunk of text; chunks come in file order. */
  add(chunk: string): void {
    const { breakChar } = this;
    for (let i = chunk.indexOf(breakChar); i !== -1; i = chunk.indexOf(breakChar, i + 1)) this.breaks.push(this.charsSeen + i);
    this.charsSeen += chunk.length;
  }

  /** 1-based line of the character at `offset`; offsets must not go backwards. */
  lineAt(offset: number): number {
    while (this.breakRead < this.breaks.length && this.breaks[this.breakRead]! < offset) {
      this.breakRead++;
      this.linesPassed++;
    }
    if (this.breakRead > COMPACT_AFTER) {
      this.breaks = this.breaks.slice(this.breakRead);
      this.breakRead = 0;
    }
    return this.linesPassed + 1;
  }

  /** The line a parsed row starts on, from its cells and the offset just past it (the parser's cursor). */
  rowStart(cells: readonly string[], end: number): number {
    const { breakChar } = this;
    // The row ends at its line break; it starts that many breaks earlier as there are inside its quoted fields.
    let inner = 0;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i]!;
      if (cell.length > 0 && cell.indexOf(breakChar) !== -1) inner += cell.split(breakChar).length - 1;
    }
    // end − 1 is the row's own line break, or its last character when the file ends without one.
    // (At the end of a file inside an open quote, that last break belongs to the field and is already in `inner`.)
    const lastCell = cells[cells.length - 1] ?? '';
    return this.lineAt(end - 1) - inner + (lastCell.endsWith(breakChar) ? 1 : 0);
  }
}

/** The file line each imported row starts on, by row index, in a typed array grown by doubling. */
export class RowLines {
  private lines = new Uint32Array(1024);
  private count = 0;

  push(line: number): void {
    if (this.count === this.lines.length) {
      const grown = new Uint32Array(this.lines.length * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[this.count++] = line;
  }

  /** The lines of every row pushed, trimmed to length. */
  finish(): Uint32Array {
    return this.lines.slice(0, this.count);
  }
}
