import type {
  ActionsBlock,
  Button,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  PlainTextOption,
  SectionBlock,
} from '@slack/types';

/** Minimal Block Kit builders, typed with @slack/types, that respect Slack's limits, so a long title never breaks a message. */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  buttonText: 75,
  headerText: 150,
  fieldText: 2000,
  optionText: 75,
  contextElements: 10,
} as const;

/** Cuts to `max` characters with an ellipsis, never between the two halves of an emoji or other astral character. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

// Zero-width spaces and bidirectional controls let outside text hide or reorder what people read
// (an RTL override can make "resolved" read backwards). Joiners (U+200C/D) stay: emoji and scripts need them.
const INVISIBLE = /[\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Removes zero-width and bidirectional control characters. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Escapes the three characters Slack's mrkdwn treats as control characters, and drops invisible controls. */
export function escapeMrkdwn(text: string): string {
  return stripInvisible(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function plain(text: string, max: number = LIMITS.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(stripInvisible(text) || ' ', max), emoji: true };
}

export function mrkdwn(text: string, max: number = LIMITS.sectionText): MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(stripInvisible(text) || ' ', max) };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plain(text, LIMITS.headerText) };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: mrkdwn(text) };
}

export function fields(pairs: [string, string][]): SectionBlock {
  return { type: 'section', fields: pairs.slice(0, 10).map(([k, v]) => mrkdwn(`*${k}*\n${v}`, LIMITS.fieldText)) };
}

export function context(texts: string[]): ContextBlock {
  return { type: 'context', elements: texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(t)) };
}

export interface ButtonSpec {
  actionId: string;
  text: string;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: { title: string; text: string; confirm: string; deny: string };
}

export function button(spec: ButtonSpec): Button {
  return {
    type: 'button',
    action_id: spec.actionId,
    text: plain(spec.text, LIMITS.buttonText),
    value: spec.value,
    ...(spec.style ? { style: spec.style } : {}),
    ...(spec.confirm
      ? {
          confirm: {
            title: plain(spec.confirm.title, 100),
            text: mrkdwn(spec.confirm.text, 300),
            confirm: plain(spec.confirm.confirm, 30),
            deny: plain(spec.confirm.deny, 30),
          },
        }
      : {}),
  };
}

export function actions(blockId: string, buttons: ButtonSpec[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: buttons.slice(0, 25).map(button) };
}

export function option(text: string, value: string, description?: string): PlainTextOption {
  return { text: plain(text, LIMITS.optionText), value, ...(description ? { description: plain(description, LIMITS.optionText) } : {}) };
}

/** Caps a message at Slack's 50 blocks, keeping the last (usually the buttons) and saying what was cut. */
export function capBlocks(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= LIMITS.blocks) return blocks;
  const last = blocks[blocks.length - 1]!;
  const kept = blocks.slice(0, LIMITS.blocks - 2);
  return [...kept, context([`…${blocks.length - LIMITS.blocks + 1} more not shown`]), last];
}
