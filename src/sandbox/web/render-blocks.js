// Block Kit → HTML for the sandbox page: the block and element types the bot sends, drawn
// like the Slack client draws them. Interactive elements carry what the page needs to send
// the click back (data-action: block_id, action_id, the element itself, confirm dialog).
import { escapeHtml, renderMrkdwn, renderPlainText } from './mrkdwn.js';

function text(obj, ctx) {
  if (!obj) return '';
  return obj.type === 'mrkdwn' ? renderMrkdwn(obj.text, ctx) : renderPlainText(obj.text, obj.emoji !== false);
}

function actionData(blockId, element) {
  return escapeHtml(JSON.stringify({ block_id: blockId, element }));
}

function option(o, selected) {
  return `<option value="${escapeHtml(o.value)}"${selected ? ' selected' : ''}>${escapeHtml(o.text?.text ?? o.value)}</option>`;
}

function allOptions(el) {
  return el.options ?? (el.option_groups ?? []).flatMap((g) => g.options ?? []);
}

/** An element inside a section accessory, an actions block or a context block. */
function renderElement(el, blockId, ctx) {
  switch (el.type) {
    case 'button': {
      const style = el.style === 'primary' || el.style === 'danger' ? ` ${el.style}` : '';
      return `<button type="button" class="bk-button${style}" data-action="${actionData(blockId, el)}">${text(el.text, ctx)}</button>`;
    }
    case 'static_select': {
      const chosen = el.initial_option?.value;
      const placeholder = `<option value="" disabled${chosen ? '' : ' selected'}>${escapeHtml(el.placeholder?.text ?? 'Select an option')}</option>`;
      return `<select class="bk-select" data-action="${actionData(blockId, el)}">${placeholder}${allOptions(el)
        .map((o) => option(o, o.value === chosen))
        .join('')}</select>`;
    }
    case 'overflow':
      return `<select class="bk-select overflow" data-action="${actionData(blockId, el)}"><option value="" selected disabled>⋯</option>${(el.options ?? []).map((o) => option(o, false)).join('')}</select>`;
    case 'image':
      return `<img class="bk-inline-image" src="${escapeHtml(el.image_url ?? '')}" alt="${escapeHtml(el.alt_text ?? '')}">`;
    case 'mrkdwn':
    case 'plain_text':
      return `<span>${text(el, ctx)}</span>`;
    default:
      return `<span class="bk-unsupported">[${escapeHtml(el.type)} element]</span>`;
  }
}

/** Form fields of an input block: named by block and action id so the page can collect view.state.values. */
function renderInputElement(el, blockId) {
  const data = `data-block-id="${escapeHtml(blockId)}" data-action-id="${escapeHtml(el.action_id)}" data-type="${escapeHtml(el.type)}"`;
  switch (el.type) {
    case 'plain_text_input': {
      const attrs = `class="bk-input" ${data} placeholder="${escapeHtml(el.placeholder?.text ?? '')}"${el.max_length ? ` maxlength="${el.max_length}"` : ''}`;
      return el.multiline
        ? `<textarea ${attrs} rows="4">${escapeHtml(el.initial_value ?? '')}</textarea>`
        : `<input type="text" ${attrs} value="${escapeHtml(el.initial_value ?? '')}">`;
    }
    case 'static_select': {
      const chosen = el.initial_option?.value;
      return `<select class="bk-input" ${data}><option value=""${chosen ? '' : ' selected'}>${escapeHtml(el.placeholder?.text ?? 'Select an option')}</option>${allOptions(
        el,
      )
        .map((o) => option(o, o.value === chosen))
        .join('')}</select>`;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const kind = el.type === 'checkboxes' ? 'checkbox' : 'radio';
      const initial = new Set([...(el.initial_options ?? []), ...(el.initial_option ? [el.initial_option] : [])].map((o) => o.value));
      return `<div class="bk-choices" ${data}>${(el.options ?? [])
        .map(
          (o) =>
            `<label><input type="${kind}" name="${escapeHtml(blockId)}" value="${escapeHtml(o.value)}"${initial.has(o.value) ? ' checked' : ''}> ${text(o.text, {})}${o.description ? `<small>${text(o.description, {})}</small>` : ''}</label>`,
        )
        .join('')}</div>`;
    }
    default:
      return `<span class="bk-unsupported">[${escapeHtml(el.type)} input]</span>`;
  }
}

function renderBlock(block, ctx, errors) {
  const id = block.block_id ?? '';
  switch (block.type) {
    case 'header':
      return `<div class="bk-header">${text(block.text, ctx)}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'section': {
      const fields = block.fields?.length
        ? `<div class="bk-fields">${block.fields.map((f) => `<div class="bk-field">${text(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory ? `<div class="bk-accessory">${renderElement(block.accessory, id, ctx)}</div>` : '';
      return `<div class="bk-section"><div class="bk-section-body">${block.text ? `<div class="bk-text">${text(block.text, ctx)}</div>` : ''}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="bk-context">${(block.elements ?? []).map((el) => renderElement(el, id, ctx)).join('')}</div>`;
    case 'actions':
      return `<div class="bk-actions">${(block.elements ?? []).map((el) => renderElement(el, id, ctx)).join('')}</div>`;
    case 'image':
      return `<figure class="bk-image">${block.title ? `<figcaption>${text(block.title, ctx)}</figcaption>` : ''}<img src="${escapeHtml(block.image_url ?? '')}" alt="${escapeHtml(block.alt_text ?? '')}"></figure>`;
    case 'input': {
      const error = errors?.[id];
      return `<div class="bk-input-block${error ? ' has-error' : ''}" data-block="${escapeHtml(id)}"><label class="bk-label">${text(block.label, ctx)}${block.optional ? ' <span class="optional">(optional)</span>' : ''}</label>${renderInputElement(block.element ?? {}, id)}${block.hint ? `<div class="bk-hint">${text(block.hint, ctx)}</div>` : ''}<div class="bk-error">${error ? escapeHtml(error) : ''}</div></div>`;
    }
    case 'rich_text':
      return `<div class="bk-text">${escapeHtml(
        (block.elements ?? [])
          .flatMap((e) => e.elements ?? [])
          .map((e) => e.text ?? '')
          .join(''),
      )}</div>`;
    default:
      return `<div class="bk-unsupported">[unsupported block: ${escapeHtml(block.type)}]</div>`;
  }
}

/**
 * A message or view body. Slack shows the blocks when there are any; otherwise the message's
 * `text` as mrkdwn. `errors` (block_id → message) are shown under their input, as Slack does
 * with `response_action: errors`.
 */
export function renderBlocks(blocks, ctx = {}, errors = undefined) {
  return (blocks ?? []).map((b) => renderBlock(b, ctx, errors)).join('');
}

export function renderMessageBody(message, ctx = {}) {
  return message.blocks?.length ? renderBlocks(message.blocks, ctx) : `<div class="bk-text">${renderMrkdwn(message.text ?? '', ctx)}</div>`;
}
