import type { RenderContext } from './mrkdwn.js';
export function renderBlocks(blocks: unknown[] | undefined, ctx?: RenderContext, errors?: Record<string, string>): string;
export function renderMessageBody(message: { text?: string; blocks?: unknown[] }, ctx?: RenderContext): string;
