import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { SANDBOX_PREFIX, startSandbox, type RunningSandbox } from '../../../src/sandbox/start-sandbox';
import { launchBrowser } from '../../support/browser';
import { freePort } from '../../support/processes';
import { TEST_REDIS_URL, createTestRedis, deleteKeys } from '../../support/test-redis';

// The machine is shared and loaded: generous waits, never timed assertions.
const WAIT = 30_000;

describe('the sandbox workspace in a real browser', () => {
  let sandbox: RunningSandbox;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  const botLog: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: await freePort(),
      redisUrl: TEST_REDIS_URL,
      prefix: `${SANDBOX_PREFIX}test-${randomUUID().slice(0, 8)}:`,
      // Slack's 3 s trigger lifetime, stretched: a loaded CI machine must not turn into a flaky modal.
      triggerTtlMs: 60_000,
      botLog: (line) => botLog.push(line),
    });
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.setDefaultTimeout(WAIT);
    await page.goto(sandbox.url);
    await page.locator('#live', { hasText: 'live' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    if (sandbox) {
      const { redis, cleanup } = await createTestRedis('sandbox-cleanup');
      await deleteKeys(redis, sandbox.prefix);
      await cleanup();
    }
  }, 60_000);

  const announcement = (): Locator =>
    page.locator('#messages .message', { has: page.locator('.bk-header', { hasText: 'Checkout errors after deploy' }) }).first();
  const approval = (): Locator => page.locator('#messages .message', { has: page.locator('button', { hasText: 'Approve' }) }).last();
  const actAs = async (userId: string) => page.selectOption('#user', userId);
  const send = async (text: string) => {
    await page.fill('#composer-text', text);
    await page.press('#composer-text', 'Enter');
  };

  /** A message can be redrawn by a push mid-screenshot; take it again from the fresh node. */
  const screenshot = async (target: Locator, path: string) => {
    mkdirSync('test-results', { recursive: true });
    for (let attempt = 1; ; attempt++) {
      try {
        return await target.screenshot({ path });
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  };

  it('opens an incident from the composer through the form, and shows the announcement', async () => {
    await actAs('U0ONCALL');
    await send('/incident open Checkout errors after deploy');
    const modal = page.locator('.modal-view');
    await modal.waitFor();
    await expect(modal.locator('.dialog-head').textContent()).resolves.toBe('Open an incident');
    await modal.locator('.bk-input-block', { hasText: 'Severity' }).locator('select').selectOption('P1');
    await modal.locator('.bk-input-block', { hasText: 'Service' }).locator('select').selectOption('checkout');
    await modal.locator('button[type=submit]').click();
    await modal.waitFor({ state: 'detached' });

    await announcement().waitFor();
    const header = await announcement().locator('.bk-header').textContent();
    expect(header).toMatch(/INC-\d{8}-\d{3} \[P1\] Checkout errors after deploy/);
    // Mentions and <!date^…> tokens are drawn as Slack draws them, never as raw markup.
    const body = (await announcement().locator('.body').textContent()) ?? '';
    expect(body).not.toContain('<!date');
    expect(await announcement().locator('.mention', { hasText: '@dana' }).count()).toBeGreaterThan(0);
    expect(await announcement().locator('.date').count()).toBeGreaterThan(0);
    for (const text of ['Acknowledge', 'Take command', 'Post update', 'Propose rollback', 'Resolve']) {
      await announcement().locator('button.bk-button', { hasText: text }).first().waitFor();
    }
    await screenshot(announcement(), 'test-results/sandbox-announcement.png');
    // The incident's own channel appears in the sidebar.
    await page.locator('#channels a', { hasText: /inc-\d{8}-\d{3}/ }).waitFor();
  });

  it('acknowledges with the announcement button', async () => {
    await announcement().locator('button', { hasText: 'Acknowledge' }).click();
    await announcement().locator('button', { hasText: 'Acknowledge' }).waitFor({ state: 'detached' });
    await announcement().locator('.bk-field', { hasText: 'Acknowledged' }).waitFor();
  });

  it('proposes a rollback; the proposer cannot approve it, a second user does, and the script runs', async () => {
    const confirm = announcement().locator('button', { hasText: /^Confirm P1$/ });
    if (await confirm.count()) {
      await confirm.click();
      await confirm.waitFor({ state: 'detached' });
    }
    await announcement().locator('button', { hasText: 'Propose rollback' }).click();
    await approval().waitFor();

    await approval().locator('button', { hasText: 'Approve' }).click();
    await page
      .locator('.confirm-dialog button[data-answer=yes]')
      .click()
      .catch(() => undefined);
    const refusal = page.locator('#messages .message.ephemeral', { hasText: /own|requester|proposed/i }).last();
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Only visible to you/);

    await actAs('U0APPROVER1');
    // The ephemeral refusal was the proposer's alone.
    await expect(page.locator('#messages .message.ephemeral', { hasText: /own|requester|proposed/i }).count()).resolves.toBe(0);
    await approval().locator('button', { hasText: 'Approve' }).click();
    if (await page.locator('.confirm-dialog').isVisible()) await page.locator('.confirm-dialog button[data-answer=yes]').click();
    await page
      .locator('#messages .message', { hasText: /succeeded|stabilized|verified/i })
      .first()
      .waitFor({ timeout: 60_000 });
  });

  it('validates the resolve form under the field, then resolves', async () => {
    await actAs('U0ONCALL');
    await announcement()
      .locator('button', { hasText: /^Resolve$/ })
      .click();
    if (await page.locator('.confirm-dialog').isVisible()) await page.locator('.confirm-dialog button[data-answer=yes]').click();
    const modal = page.locator('.modal-view');
    await modal.waitFor();
    await modal.locator('button[type=submit]').click();
    const error = modal.locator('.bk-input-block.has-error .bk-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Summarise how it was resolved/);

    await modal
      .locator('.bk-input-block.has-error textarea, .bk-input-block.has-error input')
      .first()
      .fill('Rolled checkout back; errors back to baseline.');
    await modal.locator('button[type=submit]').click();
    await modal.waitFor({ state: 'detached' });
    await announcement().locator('.bk-field', { hasText: 'Resolved' }).waitFor();
    await announcement().locator('button', { hasText: 'Write report' }).waitFor();

    await screenshot(announcement(), 'test-results/sandbox-announcement-resolved.png');
  });

  it('shows what the bot did on GitHub and PagerDuty', async () => {
    await page.click('[data-tab=github]');
    await page.locator('#tab-github .issue', { hasText: 'Checkout errors after deploy' }).waitFor();
    await page.click('[data-tab=pagerduty]');
    await page.locator('#tab-pagerduty .page', { hasText: 'Checkout errors after deploy' }).waitFor();
  });
});
