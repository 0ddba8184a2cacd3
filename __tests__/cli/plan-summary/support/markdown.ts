/** Parses a plan-summary comment into its parts, so tests assert on structure rather than on the whole text. */
export interface ParsedComment {
  /** The opening sentence (callout markers and emphasis removed). */
  readonly opening: string;
  /** `#### Heading` (text before any ":") → its bullet lines. */
  readonly sections: Record<string, string[]>;
  /** `#### Heading` → its table rows keyed by column header. */
  readonly tables: Record<string, Record<string, string>[]>;
}

const cells = (line: string) =>
  line
    .slice(1, -1)
    .split(' | ')
    .map((cell) => cell.trim());

export function markdownSections(markdown: string): ParsedComment {
  const lines = markdown.split('\n');
  const firstHeading = lines.findIndex((line) => line.startsWith('#### '));
  const opening = lines
    .slice(1, firstHeading === -1 ? undefined : firstHeading)
    .filter((line) => line.trim() !== '' && line.trim() !== '> [!CAUTION]')
    .map((line) => line.replace(/^> /, '').replace(/\*\*/g, ''))
    .join(' ');
  const sections: Record<string, string[]> = {};
  const tables: Record<string, Record<string, string>[]> = {};
  let heading = '';
  let header: string[] | undefined;
  for (const line of lines.slice(Math.max(0, firstHeading))) {
    if (line.startsWith('#### ')) {
      heading = line.slice(5).split(':')[0];
      sections[heading] = [];
      header = undefined;
    } else if (line.startsWith('- ')) sections[heading]?.push(line);
    else if (line.startsWith('| ') && !line.startsWith('| ---')) {
      if (header === undefined) header = cells(line);
      else (tables[heading] ??= []).push(Object.fromEntries(cells(line).map((cell, i) => [header![i], cell])));
    }
  }
  return { opening, sections, tables };
}
