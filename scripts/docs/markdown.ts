/** Small Markdown helpers for the generated reference tables. */

/** A table cell: pipes escaped, one line. */
export const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/** Inline code, unless the text already holds backticks. */
export const code = (text: string): string => (text.includes('`') ? text : `\`${text}\``);

/** A Markdown table: header row, separator, one row per item. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
}

/** A value as it appears in JSON (strings quoted, arrays and objects compact). */
export const literal = (value: unknown): string => JSON.stringify(value);

/** A paragraph wrapped at `width` characters (the repository's line length). */
export function paragraph(text: string, width = 120): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}
