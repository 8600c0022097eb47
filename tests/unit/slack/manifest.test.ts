import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOT_SCOPES, COMMAND, EVENTS, SHORTCUTS } from '../../../src/adapters/outbound/slack/ids';

const manifest = parse(readFileSync('manifest.yml', 'utf8'));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}

// Web API methods the code calls → the bot scopes they need (methods needing none map to null).
// Methods that act on private channels too (private incidents) need the groups:* scope beside the channels:* one.
const METHOD_SCOPES: Record<string, string | string[] | null> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.getPermalink': null,
  'conversations.create': ['channels:manage', 'groups:write'],
  'conversations.invite': ['channels:manage', 'groups:write'],
  'conversations.setTopic': ['channels:manage', 'groups:write'],
  'bookmarks.add': 'bookmarks:write',
  'bookmarks.edit': 'bookmarks:write',
  'views.open': null,
  'views.publish': null,
  'views.update': null,
  'auth.test': null,
  'conversations.history': ['channels:history', 'groups:history'],
  // Public and private channels: the orphan sweep finds a private incident's channel too.
  'conversations.list': ['channels:read', 'groups:read'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'usergroups.users.list': 'usergroups:read',
  'users.info': 'users:read',
  'users.lookupByEmail': ['users:read', 'users:read.email'],
  'bots.info': 'users:read',
  'files.uploadV2': 'files:write',
};

// Events the bot subscribes to → the bot scopes Slack requires to deliver them.
// Membership events come for public channels with channels:read and for private ones with groups:read.
const EVENT_SCOPES: Record<(typeof EVENTS)[number], string[]> = {
  app_home_opened: [],
  member_joined_channel: ['channels:read', 'groups:read'],
  member_left_channel: ['channels:read', 'groups:read'],
};

describe('manifest.yml matches the code', () => {
  it('declares exactly the one command, with escaping on (mentions arrive as ids)', () => {
    expect(manifest.features.slash_commands.map((c: any) => c.command)).toEqual([COMMAND]);
    expect(manifest.features.slash_commands[0].should_escape).toBe(true);
  });

  it('declares exactly the shortcuts and events the code registers', () => {
    expect(manifest.features.shortcuts.map((s: any) => s.callback_id).sort()).toEqual(Object.values(SHORTCUTS).sort());
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([...EVENTS].sort());
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(EVENTS.includes('app_home_opened'));
  });

  it('requests exactly the scopes of the Web API methods the code calls and the events it subscribes to', () => {
    const code = sources('src').join('\n');
    const called = Object.keys(METHOD_SCOPES).filter((m) => code.includes(`.${m}(`) || code.includes(`'${m}'`));
    const unknown = [...code.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`).filter((m) => !(m in METHOD_SCOPES));
    expect(unknown, 'add the scope of every Web API method the code calls to METHOD_SCOPES').toEqual([]);
    const needed = new Set(['commands', ...called.flatMap((m) => METHOD_SCOPES[m] ?? []), ...EVENTS.flatMap((e) => EVENT_SCOPES[e])]);
    // chat:write.public lets the bot post in #incident-response without being invited first.
    needed.add('chat:write.public');
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect([...BOT_SCOPES].sort()).toEqual([...needed].sort());
  });

  it('points every request URL at /slack/events', () => {
    for (const url of [
      manifest.features.slash_commands[0].url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ]) {
      expect(new URL(url).pathname).toBe('/slack/events');
    }
  });
});
