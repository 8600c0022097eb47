/**
 * Splits long text into Slack-sized messages (Slack advises at most 4,000 characters),
 * at line breaks where possible, so a long report arrives whole and in order.
 */
export function splitMessage(text: string, max = 3_900): string[] {
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    if (current) chunks.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    // A single line longer than a message is cut hard; nothing is dropped.
    const pieces = line.length > max ? (line.match(new RegExp(`[\\s\\S]{1,${max}}`, 'g')) ?? ['']) : [line];
    for (const piece of pieces) {
      const next = current ? `${current}\n${piece}` : piece;
      if (next.length > max) {
        flush();
        current = piece;
      } else {
        current = next;
      }
    }
  }
  flush();
  return chunks.length ? chunks : [''];
}
