import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { routeSlackListeners } from '../../../src/adapters/inbound/slack/slack-router';

// A stand-in for Bolt's App that records what is registered on it.
function fakeApp() {
  const registered: { kind: string; constraint: unknown }[] = [];
  const app = {
    client: {},
    action: (constraint: unknown) => void registered.push({ kind: 'action', constraint }),
    view: (constraint: unknown) => void registered.push({ kind: 'view', constraint }),
    command: () => undefined,
    shortcut: () => undefined,
    event: () => undefined,
  };
  return { app, registered };
}

describe('routeSlackListeners', () => {
  it('registers one Bolt listener per surface however many handlers there are', () => {
    const { app, registered } = fakeApp();
    const listeners = routeSlackListeners(app as never, pino({ level: 'silent' }));
    for (let i = 0; i < 20; i += 1) listeners.action(`a${i}`, async () => undefined);
    for (let i = 0; i < 5; i += 1) listeners.view(`v${i}`, async () => undefined);
    expect(registered.map((r) => r.kind)).toEqual(['action', 'view']);
  });

  it('refuses two handlers for one id (a wiring bug, caught at start)', () => {
    const { app } = fakeApp();
    const listeners = routeSlackListeners(app as never, pino({ level: 'silent' }));
    listeners.action('same', async () => undefined);
    expect(() => listeners.action('same', async () => undefined)).toThrow(/two listeners for the action "same"/);
  });
});
