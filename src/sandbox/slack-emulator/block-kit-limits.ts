/**
 * Slack's Block Kit limits, checked the way Slack checks them: every problem is named with
 * a JSON pointer, in the words Slack's `invalid_blocks` / `invalid_arguments` answers use.
 * Numbers from Slack's Block Kit reference (blocks, elements, composition objects).
 */

export type Surface = 'message' | 'modal' | 'home';

type Node = Record<string, any>;

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };
const BLOCK_TYPES = new Set(['section', 'header', 'context', 'divider', 'actions', 'image', 'input', 'rich_text', 'video', 'file']);
const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'static_select',
  'multi_static_select',
  'checkboxes',
  'radio_buttons',
  'users_select',
  'conversations_select',
  'channels_select',
  'datepicker',
  'timepicker',
  'number_input',
  'email_text_input',
  'url_text_input',
]);

class Problems {
  readonly list: string[] = [];
  add(message: string, pointer: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }
  maxLength(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && value.length > max) this.add(`must be less than ${max + 1} characters`, pointer);
  }
  maxItems(value: unknown, max: number, pointer: string): void {
    if (Array.isArray(value) && value.length > max) this.add(`must be less than ${max + 1} items`, pointer);
  }
}

/** A text object: `plain_text` or `mrkdwn`, not empty, at most `max` characters. */
function checkText(p: Problems, obj: Node | undefined, max: number, pointer: string, plainOnly = false): void {
  if (obj === undefined) return;
  if (!obj || typeof obj !== 'object' || typeof obj.text !== 'string') return p.add('must provide an object with a text string', pointer);
  if (obj.type !== 'plain_text' && obj.type !== 'mrkdwn') return p.add('must be one of [plain_text, mrkdwn]', `${pointer}/type`);
  if (plainOnly && obj.type !== 'plain_text') p.add('must be a plain_text text object', `${pointer}/type`);
  if (obj.text.length === 0) p.add('must be more than 0 characters', `${pointer}/text`);
  p.maxLength(obj.text, max, `${pointer}/text`);
}

function checkOptions(p: Problems, options: unknown, max: number, pointer: string): void {
  if (!Array.isArray(options)) return;
  p.maxItems(options, max, pointer);
  options.forEach((o: Node, i) => {
    checkText(p, o.text, 75, `${pointer}/${i}/text`);
    p.maxLength(o.value, 150, `${pointer}/${i}/value`);
  });
}

function checkElement(p: Problems, el: Node, pointer: string): void {
  p.maxLength(el.action_id, 255, `${pointer}/action_id`);
  if (el.confirm) {
    checkText(p, el.confirm.title, 100, `${pointer}/confirm/title`, true);
    checkText(p, el.confirm.text, 300, `${pointer}/confirm/text`);
    checkText(p, el.confirm.confirm, 30, `${pointer}/confirm/confirm`, true);
    checkText(p, el.confirm.deny, 30, `${pointer}/confirm/deny`, true);
  }
  switch (el.type) {
    case 'button':
      checkText(p, el.text, 75, `${pointer}/text`, true);
      p.maxLength(el.value, 2000, `${pointer}/value`);
      p.maxLength(el.url, 3000, `${pointer}/url`);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
        p.add('must be one of [primary, danger]', `${pointer}/style`);
      break;
    case 'static_select':
    case 'multi_static_select':
    case 'overflow':
      checkText(p, el.placeholder, 150, `${pointer}/placeholder`, true);
      checkOptions(p, el.options, el.type === 'overflow' ? 5 : 100, `${pointer}/options`);
      if (el.initial_option && Array.isArray(el.options) && !el.options.some((o: Node) => o.value === el.initial_option.value))
        p.add('must match one of the options', `${pointer}/initial_option`);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      checkOptions(p, el.options, 10, `${pointer}/options`);
      break;
    case 'plain_text_input':
      checkText(p, el.placeholder, 150, `${pointer}/placeholder`, true);
      if (typeof el.max_length === 'number' && el.max_length > 3000) p.add('must be less than 3001', `${pointer}/max_length`);
      break;
    case 'image':
      p.maxLength(el.image_url, 3000, `${pointer}/image_url`);
      p.maxLength(el.alt_text, 2000, `${pointer}/alt_text`);
      break;
    case 'mrkdwn':
    case 'plain_text':
      checkText(p, el, 3000, pointer);
      break;
  }
}

function checkBlock(p: Problems, block: Node, pointer: string, surface: Surface): void {
  if (!block || typeof block !== 'object' || !BLOCK_TYPES.has(block.type))
    return p.add(`unsupported type: ${String(block?.type)}`, `${pointer}/type`);
  p.maxLength(block.block_id, 255, `${pointer}/block_id`);
  switch (block.type) {
    case 'header':
      if (!block.text) p.add('must provide a text object', `${pointer}/text`);
      checkText(p, block.text, 150, `${pointer}/text`, true);
      break;
    case 'section':
      if (!block.text && !block.fields) p.add('must provide either a text or fields', pointer);
      checkText(p, block.text, 3000, `${pointer}/text`);
      p.maxItems(block.fields, 10, `${pointer}/fields`);
      (block.fields ?? []).forEach((f: Node, i: number) => {
        checkText(p, f, 2000, `${pointer}/fields/${i}`);
      });
      if (block.accessory) checkElement(p, block.accessory, `${pointer}/accessory`);
      break;
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0) p.add('must provide at least 1 element', `${pointer}/elements`);
      p.maxItems(block.elements, 10, `${pointer}/elements`);
      (block.elements ?? []).forEach((el: Node, i: number) => {
        checkElement(p, el, `${pointer}/elements/${i}`);
      });
      break;
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) p.add('must provide at least 1 element', `${pointer}/elements`);
      p.maxItems(block.elements, 25, `${pointer}/elements`);
      const seen = new Set<string>();
      (block.elements ?? []).forEach((el: Node, i: number) => {
        if (el.action_id && seen.has(el.action_id))
          p.add(`action_id "${el.action_id}" is already used in this block`, `${pointer}/elements/${i}/action_id`);
        seen.add(el.action_id);
        checkElement(p, el, `${pointer}/elements/${i}`);
      });
      break;
    }
    case 'image':
      p.maxLength(block.image_url, 3000, `${pointer}/image_url`);
      p.maxLength(block.alt_text, 2000, `${pointer}/alt_text`);
      checkText(p, block.title, 2000, `${pointer}/title`, true);
      break;
    case 'input':
      checkText(p, block.label, 2000, `${pointer}/label`, true);
      checkText(p, block.hint, 2000, `${pointer}/hint`, true);
      if (!block.element || !INPUT_ELEMENTS.has(block.element.type)) p.add('must provide a supported input element', `${pointer}/element`);
      else checkElement(p, block.element, `${pointer}/element`);
      if (surface === 'message' && block.element?.type === 'plain_text_input')
        p.add('input blocks with plain_text_input are not supported in messages', pointer);
      break;
  }
}

/** Every Block Kit problem of `blocks` on `surface`; empty when Slack would take them. */
export function blockKitErrors(blocks: unknown, surface: Surface = 'message', root = '/blocks'): string[] {
  if (blocks === undefined || blocks === null) return [];
  const p = new Problems();
  if (!Array.isArray(blocks)) {
    p.add('must be an array', root);
    return p.list;
  }
  p.maxItems(blocks, MAX_BLOCKS[surface], root);
  const ids = new Set<string>();
  blocks.forEach((block: Node, i) => {
    if (block?.block_id) {
      if (ids.has(block.block_id)) p.add(`block_id "${block.block_id}" is already used in this message`, `${root}/${i}/block_id`);
      ids.add(block.block_id);
    }
    checkBlock(p, block, `${root}/${i}`, surface);
  });
  return p.list;
}

/** A modal or Home view: its own fields, then its blocks (Slack answers `invalid_arguments`). */
export function viewErrors(view: Node | undefined): string[] {
  if (!view || typeof view !== 'object') return ['must provide a view object [json-pointer:/view]'];
  const p = new Problems();
  if (view.type !== 'modal' && view.type !== 'home') p.add('must be one of [modal, home]', '/view/type');
  if (view.type === 'modal') {
    if (!view.title) p.add('must provide a title', '/view/title');
    checkText(p, view.title, 24, '/view/title', true);
    checkText(p, view.submit, 24, '/view/submit', true);
    checkText(p, view.close, 24, '/view/close', true);
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b: Node) => b?.type === 'input');
    if (hasInput && !view.submit) p.add('must provide a submit button when the view has input blocks', '/view/submit');
  }
  p.maxLength(view.callback_id, 255, '/view/callback_id');
  p.maxLength(view.private_metadata, 3000, '/view/private_metadata');
  p.maxLength(view.external_id, 255, '/view/external_id');
  return [...p.list, ...blockKitErrors(view.blocks ?? [], view.type === 'home' ? 'home' : 'modal', '/view/blocks')];
}
