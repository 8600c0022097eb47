// The sandbox page: draws the workspace snapshot the emulator pushes over a WebSocket, and
// turns what the person does (composer, clicks, forms) into page actions the emulator sends
// to the bot as Slack would. No framework: the snapshot is small, each push redraws.
import { escapeHtml, renderMrkdwn } from './mrkdwn.js';
import { renderBlocks, renderMessageBody } from './render-blocks.js';

const $ = (id) => document.getElementById(id);
const ui = {
  state: null,
  me: localStorage.getItem('sandbox-user') || 'U0ONCALL',
  where: { kind: 'channel', id: 'C0INCIDENTS' },
  thread: null,
  tab: 'alerts',
  modalKey: '',
};

async function act(action, body) {
  const response = await fetch(`/sandbox/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: ui.me, ...body }),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error || `HTTP ${response.status}`);
  return json;
}

function ctx() {
  const s = ui.state;
  return {
    users: Object.fromEntries([...s.users.map((u) => [u.id, u.name]), [s.bot.id, s.bot.name]]),
    channels: Object.fromEntries(s.channels.map((c) => [c.id, c.name])),
    groups: Object.fromEntries(Object.entries(s.groups).map(([id, g]) => [id, g.handle])),
    now: Date.now(),
  };
}

const me = () => ui.state.users.find((u) => u.id === ui.me);
const nameOf = (id) => (id === ui.state.bot.id ? ui.state.bot.name : (ui.state.users.find((u) => u.id === id)?.name ?? id));
const visible = (m) => !m.visibleTo || m.visibleTo === ui.me;
const timeOf = (ts) => new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });

function renderMessage(m, inThread) {
  const replies = inThread
    ? []
    : ui.state.messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts && r.channel === m.channel && visible(r));
  const isBot = m.user === ui.state.bot.id;
  return `<div class="message${m.visibleTo ? ' ephemeral' : ''}" data-channel="${m.channel}" data-ts="${m.ts}">
    <div class="avatar">${escapeHtml(nameOf(m.user)[0].toUpperCase())}</div>
    <div><div class="meta"><b>${escapeHtml(nameOf(m.user))}</b>${isBot ? '<span class="app-badge">APP</span>' : ''}${timeOf(m.ts)}${m.edited ? ' (edited)' : ''}${m.reply_broadcast && !inThread ? ' · replied to a thread' : ''}</div>
    ${m.visibleTo ? '<div class="ephemeral-note">Only visible to you</div>' : ''}
    <div class="body">${renderMessageBody(m, ctx())}${renderFiles(m)}</div>
    ${replies.length ? `<button type="button" class="replies" data-thread="${m.ts}">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</button>` : ''}</div>
    ${m.visibleTo ? '' : `<button type="button" class="shortcut" data-shortcut="${m.ts}" title="Message shortcut">Add to incident timeline</button>`}
  </div>`;
}

/** Files shared with a message (the signal chart): images inline, loaded from the emulator. */
function renderFiles(m) {
  return (m.files ?? [])
    .map((f) =>
      f.mimetype?.startsWith('image/')
        ? `<figure class="file"><img src="/sandbox/files/${encodeURIComponent(f.id)}" alt="${escapeHtml(f.alt_text ?? f.title)}"><figcaption>${escapeHtml(f.title)}</figcaption></figure>`
        : `<div class="file">${escapeHtml(f.title)}</div>`,
    )
    .join('');
}

const drawn = new WeakMap();

/**
 * Redraws only the messages that changed, keeping the others' DOM nodes: what a person is
 * pointing at (or a test is screenshotting) is not replaced by an unrelated push.
 */
function patchList(container, items) {
  const existing = new Map([...container.children].map((el) => [el.dataset.key, el]));
  let previous = null;
  for (const { key, html } of items) {
    let el = existing.get(key);
    if (!el || drawn.get(el) !== html) {
      const holder = document.createElement('div');
      holder.innerHTML = html;
      const fresh = holder.firstElementChild;
      fresh.dataset.key = key;
      drawn.set(fresh, html);
      if (el) el.replaceWith(fresh);
      el = fresh;
    }
    existing.delete(key);
    const expected = previous ? previous.nextElementSibling : container.firstElementChild;
    if (expected !== el) container.insertBefore(el, expected);
    previous = el;
  }
  for (const el of existing.values()) el.remove();
}

function renderSidebar() {
  const list = ui.state.channels.filter((c) => c.members.includes(ui.me) || (!c.private && !me().guest));
  $('channels').innerHTML = list
    .map(
      (c) =>
        `<li><a href="#" data-channel-id="${c.id}" class="${ui.where.kind === 'channel' && ui.where.id === c.id ? 'active' : ''}${c.members.includes(ui.me) ? '' : ' outside'}">${c.private ? '🔒' : '#'} ${escapeHtml(c.name)}</a></li>`,
    )
    .join('');
  $('open-home').classList.toggle('active', ui.where.kind === 'home');
}

function renderMain() {
  const s = ui.state;
  if (ui.where.kind === 'home') {
    const home = s.homes[ui.me];
    $('view-title').textContent = 'incident-bot · Home';
    patchList($('messages'), [
      {
        key: `home:${home?.id ?? ''}`,
        html: home
          ? `<div class="home" data-view-id="${home.id}">${renderBlocks(home.view.blocks, ctx())}</div>`
          : '<p>Opening the Home tab…</p>',
      },
    ]);
    $('composer').hidden = true;
    $('join').hidden = true;
    return;
  }
  const channel = s.channels.find((c) => c.id === ui.where.id) ?? s.channels[0];
  ui.where.id = channel.id;
  const member = channel.members.includes(ui.me);
  $('view-title').innerHTML =
    `${channel.private ? '🔒' : '#'} ${escapeHtml(channel.name)}${channel.topic ? ` <span class="topic">${renderMrkdwn(channel.topic, ctx())}</span>` : ''}${(channel.bookmarks ?? []).map((b) => ` <a class="bookmark" href="${escapeHtml(b.link)}" target="_blank" rel="noopener">🔖 ${escapeHtml(b.title)}</a>`).join('')}`;
  const shown = s.messages.filter(
    (m) => m.channel === channel.id && (!m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast) && visible(m),
  );
  const box = $('messages');
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const items = shown.map((m) => ({ key: `${m.channel}:${m.ts}`, html: renderMessage(m, false) }));
  patchList(
    box,
    items.length
      ? items
      : [{ key: 'empty', html: '<p class="hint">No messages yet. Try <code>/incident open Checkout errors</code>.</p>' }],
  );
  if (atBottom) box.scrollTop = box.scrollHeight;
  $('composer').hidden = !member;
  $('join').hidden = member;
  $('join').innerHTML = member
    ? ''
    : me().guest
      ? 'Guests see only the channels they were invited to.'
      : `You are not in #${escapeHtml(channel.name)}. <button type="button" id="join-channel">Join channel</button>`;
  $('composer-text').placeholder = `Message #${channel.name}, or /incident …`;
}

function renderThread() {
  const parent = ui.thread && ui.state.messages.find((m) => m.channel === ui.thread.channel && m.ts === ui.thread.ts);
  $('thread').hidden = !parent;
  if (!parent) return;
  const replies = ui.state.messages.filter(
    (m) => m.channel === parent.channel && m.thread_ts === parent.ts && m.ts !== parent.ts && visible(m),
  );
  patchList(
    $('thread-messages'),
    [parent, ...replies].map((m) => ({ key: `${m.channel}:${m.ts}`, html: renderMessage(m, true) })),
  );
}

function renderPanel() {
  const s = ui.state;
  $('refused-count').textContent = s.refusals.length ? String(s.refusals.length) : '';
  $('tab-refused').innerHTML = s.refusals.length
    ? [...s.refusals]
        .reverse()
        .map(
          (r) =>
            `<div class="card refusal"><span class="error">${escapeHtml(r.error)}</span> from <code>${escapeHtml(r.method)}</code> at ${new Date(r.at).toLocaleTimeString()}${r.detail.length ? `<ul>${r.detail.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>` : ''}</div>`,
        )
        .join('')
    : '<p>Nothing refused yet. Calls Slack would refuse (Block Kit limits, name_taken, not_in_channel, ratelimited …) are listed here.</p>';
  const gh = s.github;
  $('tab-github').innerHTML =
    `<h4>${escapeHtml(gh.repository)}: issues</h4>${gh.issues.map((i) => `<div class="card issue"><b>#${i.number} ${escapeHtml(i.title)}</b> <i>${i.state}</i><div>${i.labels.map((l) => `<span class="label">${escapeHtml(l)}</span>`).join('')}</div><details><summary>body</summary><pre>${escapeHtml(i.body)}</pre></details>${i.comments.map((c) => `<pre class="comment">${escapeHtml(c.body)}</pre>`).join('')}</div>`).join('') || '<p>No issues yet.</p>'}
    <h4>Committed reports</h4>${gh.commits.map((c) => `<div class="card commit"><code>${escapeHtml(c.path)}</code> — ${escapeHtml(c.message)}<details><summary>content</summary><pre>${escapeHtml(c.content)}</pre></details></div>`).join('') || '<p>No commits yet.</p>'}`;
  const pd = s.pagerduty;
  $('tab-pagerduty').innerHTML =
    `<p>On call (${escapeHtml(pd.onCall.policy)}): ${escapeHtml(pd.onCall.userName)}</p>${pd.pages.map((p) => `<div class="card page"><b>${escapeHtml(p.summary)}</b><div>${escapeHtml(p.severity)} · <i>${p.status}</i> · dedup_key <code>${escapeHtml(p.dedupKey)}</code></div><div>${p.events.map((e) => `${e.action} ${new Date(e.at).toLocaleTimeString()}`).join(' → ')}</div></div>`).join('') || '<p>No pages yet (P0/P1 incidents page on-call).</p>'}`;
}

function renderModal() {
  const stack = ui.state.modals[ui.me] ?? [];
  const top = stack[stack.length - 1];
  const overlay = $('modal');
  if (!top) {
    overlay.hidden = true;
    overlay.innerHTML = '';
    ui.modalKey = '';
    return;
  }
  const key = `${top.id}:${top.hash}`;
  if (key === ui.modalKey) {
    // Same form: only the errors change, so what the person typed stays.
    for (const block of overlay.querySelectorAll('.bk-input-block')) {
      const error = top.errors?.[block.dataset.block] ?? '';
      block.querySelector('.bk-error').textContent = error;
      block.classList.toggle('has-error', Boolean(error));
    }
    overlay.querySelector('.dialog-error').textContent = top.errors?._ ?? '';
    return;
  }
  ui.modalKey = key;
  const v = top.view;
  overlay.innerHTML = `<form class="dialog modal-view" data-view-id="${top.id}">
    <div class="dialog-head">${escapeHtml(v.title?.text ?? '')}</div>
    <div class="dialog-body">${renderBlocks(v.blocks, ctx(), top.errors)}<div class="dialog-error">${escapeHtml(top.errors?._ ?? '')}</div></div>
    <div class="dialog-foot"><button type="button" data-close-modal>${escapeHtml(v.close?.text ?? 'Cancel')}</button>${v.submit ? `<button class="bk-button primary" type="submit">${escapeHtml(v.submit.text)}</button>` : ''}</div>
  </form>`;
  overlay.hidden = false;
}

function render() {
  if (!ui.state) return;
  $('user').innerHTML = ui.state.users
    .map((u) => `<option value="${u.id}"${u.id === ui.me ? ' selected' : ''}>${escapeHtml(u.name)} — ${escapeHtml(u.role)}</option>`)
    .join('');
  renderSidebar();
  renderMain();
  renderThread();
  renderPanel();
  renderModal();
}

/** view.state.values of a modal or Home view, as Slack sends it with view_submission. */
function stateValues(root, view) {
  const elements = new Map((view?.blocks ?? []).filter((b) => b.element).map((b) => [b.block_id, b.element]));
  const values = {};
  for (const field of root.querySelectorAll('[data-block-id][data-action-id]')) {
    const { blockId, actionId, type } = field.dataset;
    const element = elements.get(blockId) ?? {};
    const find = (value) => (element.options ?? []).find((o) => o.value === value) ?? null;
    let value;
    if (type === 'plain_text_input') value = { type, value: field.value === '' ? null : field.value };
    else if (type === 'static_select') value = { type, selected_option: field.value ? find(field.value) : null };
    else if (type === 'checkboxes')
      value = { type, selected_options: [...field.querySelectorAll('input:checked')].map((i) => find(i.value)) };
    else if (type === 'radio_buttons') value = { type, selected_option: find(field.querySelector('input:checked')?.value) };
    else continue;
    (values[blockId] ??= {})[actionId] = value;
  }
  return values;
}

function viewOf(id) {
  const all = [...Object.values(ui.state.modals).flat(), ...Object.values(ui.state.homes)];
  return all.find((v) => v.id === id);
}

/** Shows the element's confirm dialog, as Slack does before sending the click. */
function confirmFirst(confirm) {
  if (!confirm) return Promise.resolve(true);
  const box = $('confirm');
  box.innerHTML = `<div class="dialog confirm-dialog"><div class="dialog-head">${escapeHtml(confirm.title?.text ?? 'Are you sure?')}</div><div class="dialog-body">${renderMrkdwn(confirm.text?.text ?? '', ctx())}</div><div class="dialog-foot"><button type="button" data-answer="no">${escapeHtml(confirm.deny?.text ?? 'Cancel')}</button><button type="button" class="bk-button primary" data-answer="yes">${escapeHtml(confirm.confirm?.text ?? 'Yes')}</button></div></div>`;
  box.hidden = false;
  return new Promise((resolve) => {
    box.onclick = (e) => {
      const answer = e.target.closest('[data-answer]')?.dataset.answer;
      if (!answer) return;
      box.hidden = true;
      box.onclick = null;
      resolve(answer === 'yes');
    };
  });
}

async function sendAction(target, selectedValue) {
  const { block_id: blockId, element } = JSON.parse(target.dataset.action);
  if (!(await confirmFirst(element.confirm))) return;
  const message = target.closest('.message');
  const view = target.closest('[data-view-id]');
  const body = { blockId, element, ...(selectedValue !== undefined ? { selectedValue } : {}) };
  if (view) Object.assign(body, { viewId: view.dataset.viewId, stateValues: stateValues(view, viewOf(view.dataset.viewId)?.view) });
  else Object.assign(body, { channelId: message.dataset.channel, messageTs: message.dataset.ts });
  await act('click', body);
}

function showError(error) {
  $('composer-error').textContent = error.message;
}

function wire() {
  $('user').onchange = (e) => {
    ui.me = e.target.value;
    localStorage.setItem('sandbox-user', ui.me);
    ui.modalKey = '';
    if (ui.where.kind === 'home') act('home', {}).catch(showError);
    render();
  };
  document.body.addEventListener('click', (e) => {
    const t = e.target;
    const channelLink = t.closest('[data-channel-id]');
    if (channelLink) {
      e.preventDefault();
      ui.where = { kind: 'channel', id: channelLink.dataset.channelId };
      ui.thread = null;
      return render();
    }
    if (t.closest('#open-home')) {
      e.preventDefault();
      ui.where = { kind: 'home' };
      render();
      return void act('home', {}).catch(showError);
    }
    if (t.id === 'join-channel') return void act('join', { channel: ui.where.id }).catch(showError);
    const thread = t.closest('[data-thread]');
    if (thread) {
      ui.thread = { channel: thread.closest('.message').dataset.channel, ts: thread.dataset.thread };
      return renderThread();
    }
    if (t.id === 'close-thread') {
      ui.thread = null;
      return renderThread();
    }
    const shortcut = t.closest('[data-shortcut]');
    if (shortcut)
      return void act('shortcut', {
        channel: shortcut.closest('.message').dataset.channel,
        ts: shortcut.dataset.shortcut,
        callbackId: 'add_to_timeline',
      }).catch(showError);
    if (t.closest('[data-close-modal]')) return void act('close', {}).catch(showError);
    const tab = t.closest('[data-tab]');
    if (tab) {
      ui.tab = tab.dataset.tab;
      for (const b of document.querySelectorAll('[data-tab]')) b.classList.toggle('active', b === tab);
      for (const name of ['alerts', 'github', 'pagerduty', 'refused']) $(`tab-${name}`).hidden = name !== ui.tab;
      return;
    }
    const button = t.closest('button[data-action]');
    if (button) sendAction(button).catch(showError);
  });
  document.body.addEventListener('change', (e) => {
    if (e.target.matches('select[data-action]')) sendAction(e.target, e.target.value).catch(showError);
  });
  $('modal').addEventListener('submit', (e) => {
    e.preventDefault();
    const form = e.target.closest('[data-view-id]');
    act('submit', { viewId: form.dataset.viewId, values: stateValues(form, viewOf(form.dataset.viewId)?.view) }).catch(showError);
  });
  $('composer').onsubmit = (e) => {
    e.preventDefault();
    const text = $('composer-text').value.trim();
    if (!text) return;
    $('composer-error').textContent = '';
    let sent;
    if (text.startsWith('/incident')) sent = act('command', { channel: ui.where.id, text });
    else if (text.startsWith('/'))
      return void ($('composer-error').textContent =
        `${text.split(' ')[0]} is not a command in this workspace; the bot's command is /incident.`);
    else sent = act('message', { channel: ui.where.id, text });
    $('composer-text').value = '';
    sent.catch(showError);
  };
  $('thread-composer').onsubmit = (e) => {
    e.preventDefault();
    const text = $('thread-text').value.trim();
    if (!text || !ui.thread) return;
    $('thread-text').value = '';
    act('message', { channel: ui.thread.channel, thread_ts: ui.thread.ts, text }).catch(showError);
  };
  $('new-channel').onsubmit = (e) => {
    e.preventDefault();
    const name = e.target.name.value.trim();
    act('channel', { name }).then(() => (e.target.name.value = ''), showError);
  };
  $('alert-kind').onchange = loadSample;
  $('fire-alert').onclick = async () => {
    $('alert-result').textContent = 'sending…';
    const result = await act('alert', { kind: $('alert-kind').value, body: $('alert-body').value }).catch((error) => ({
      status: 0,
      body: error.message,
    }));
    $('alert-result').textContent = `HTTP ${result.status}\n${result.body}`;
  };
}

let samples = {};
function loadSample() {
  $('alert-body').value = samples[$('alert-kind').value] ?? '';
}

function connect() {
  const ws = new WebSocket(`ws://${location.host}/sandbox/live`);
  ws.onopen = () => {
    $('live').textContent = 'live';
    $('live').classList.remove('off');
  };
  ws.onmessage = (e) => {
    const message = JSON.parse(e.data);
    if (message.type !== 'state') return;
    ui.state = message.state;
    render();
    window.sandboxRenderedAt = performance.now();
  };
  ws.onclose = () => {
    $('live').textContent = 'disconnected — is the sandbox running?';
    $('live').classList.add('off');
    setTimeout(connect, 1000);
  };
}

wire();
fetch('/sandbox/samples')
  .then((r) => r.json())
  .then((s) => {
    samples = s;
    loadSample();
  });
connect();
