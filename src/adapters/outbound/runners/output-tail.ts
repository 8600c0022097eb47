import { redactSecrets } from './redact-secrets';

/**
 * Keeps the last `capBytes` of a process's output (stdout and stderr interleaved in
 * arrival order) in bounded memory, however much the process writes.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private keptBytes = 0;
  private droppedBytes = 0;
  /** Extra bytes kept so a secret cut by the window's edge can be found and dropped whole. */
  private readonly margin: number;

  constructor(
    private readonly capBytes: number,
    private readonly secrets: readonly string[] = [],
  ) {
    this.margin = Math.max(0, ...secrets.map((s) => Buffer.byteLength(s)));
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.keptBytes += chunk.length;
    const limit = this.capBytes + this.margin;
    while (this.keptBytes - (this.chunks[0]?.length ?? 0) >= limit) {
      const dropped = this.chunks.shift()!;
      this.keptBytes -= dropped.length;
      this.droppedBytes += dropped.length;
    }
  }

  get totalBytes(): number {
    return this.keptBytes + this.droppedBytes;
  }

  /** The redacted tail, prefixed by a note when earlier output was dropped. */
  excerpt(): string {
    let buffer = Buffer.concat(this.chunks);
    let truncated = this.droppedBytes;
    const limit = this.capBytes + this.margin;
    if (buffer.length > limit) {
      truncated += buffer.length - limit;
      buffer = buffer.subarray(buffer.length - limit);
    }
    let text = redactSecrets(buffer.toString('utf8'), this.secrets);
    if (truncated > 0) {
      // The first `margin` characters may hold the cut-off end of a secret: drop them unread.
      text = text.slice(this.margin);
      truncated += this.margin;
    }
    const overflow = Buffer.byteLength(text) - this.capBytes;
    if (overflow > 0) {
      const bytes = Buffer.from(text);
      truncated += overflow;
      // Dropping a UTF-8 continuation fragment at the start leaves a U+FFFD; trim it.
      text = bytes
        .subarray(overflow)
        .toString('utf8')
        .replace(/^\uFFFD+/, '');
    }
    return truncated > 0 ? `[… ${truncated} earlier bytes truncated]\n${text}` : text;
  }
}
