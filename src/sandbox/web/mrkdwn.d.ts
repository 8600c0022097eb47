// Types for the page's plain-JS renderer, so the unit tests import it type-checked.
export interface RenderContext {
  users?: Record<string, string>;
  channels?: Record<string, string>;
  groups?: Record<string, string>;
  now?: number;
  timeZone?: string;
}
export function escapeHtml(text: string): string;
export function renderMrkdwn(text: string, ctx?: RenderContext): string;
export function renderPlainText(text: string, emoji?: boolean): string;
