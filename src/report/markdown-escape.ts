/** Markdown-safe inline text: control characters dropped, markup characters backslash-escaped, newlines as spaces. */
export function escapeMarkdownCell(s: string): string {
  return s
    .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/([\\`*_{}[\]()#+\-.!|<>~])/g, '\\$1');
}
