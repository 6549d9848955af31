import { XMLBuilder, XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, commentPropName: '#comment', processEntities: false });
const builder = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, commentPropName: '#comment', format: true, indentBy: '  ', processEntities: false });

/** XML indented for reading (the body as it is when it does not parse, or is not XML). */
export function prettyXml(text: string): string {
  if (!text.trimStart().startsWith('<')) return text;
  try {
    return String(builder.build(parser.parse(text))).trim();
  } catch {
    return text;
  }
}

/** A body of an ESC exchange, collapsed until opened. */
export function Body({ label, text }: { label: string; text?: string | null }) {
  if (!text) return null;
  return (
    <details class="body">
      <summary>{label}</summary>
      {/* focusable: a long body scrolls, and must scroll from the keyboard too */}
      <pre tabIndex={0} aria-label={label}>
        <code>{prettyXml(text)}</code>
      </pre>
    </details>
  );
}
