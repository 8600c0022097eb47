import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseDeployRequest, serviceChecker } from '../../../src/adapters/inbound/deploys/parse-deploy-request';
import { parseDeploymentStatus } from '../../../src/adapters/inbound/deploys/parse-deployment-status';
import { verifyGitHubSignature } from '../../../src/adapters/inbound/deploys/verify-github-signature';

const known = serviceChecker(['checkout', 'search']);
const reason = (r: { ok: boolean; reason?: unknown }) => (r.ok ? 'ok' : String(r.reason));

describe('POST /deploys body', () => {
  it('reads a deploy', () => {
    expect(parseDeployRequest({ service: 'checkout', release: 'v42', previous_release: 'v41', environment: 'production' }, known)).toEqual({
      ok: true,
      deploy: { service: 'checkout', release: 'v42', previousRelease: 'v41', environment: 'production', source: 'api' },
    });
  });

  it.each([
    [{ service: 'checkout', release: 'v42' }, 'previous_release: required (expected string)'],
    [{ release: 'v42', previous_release: 'v41' }, 'service: required (expected string)'],
    [
      { service: 'chekout', release: 'v42', previous_release: 'v41' },
      'service: "chekout" is not a configured service (known: checkout, search)',
    ],
    [
      { service: 'checkout', release: 'v42; rm -rf /', previous_release: 'v41' },
      'release: use letters, digits and . _ + - / : @ (e.g. v42)',
    ],
    [{ service: 'checkout', release: 'v42', previous_release: 'v41', previousRelease: 'v41' }, '(root): unknown key "previousRelease"'],
    ['v42', '(root): expected object, received string'],
  ])('%j → %s', (body, why) => {
    expect(reason(parseDeployRequest(body, known))).toBe(why);
  });
});

describe('GitHub deployment_status', () => {
  const event = (state: string, payload: unknown, ref = 'main') => ({
    deployment_status: { state, environment: 'production' },
    deployment: { id: 1, ref, sha: 'abc', environment: 'staging', payload },
    repository: { name: 'search' },
  });
  const none = async () => null;

  it('reads service, release and previous release from the deployment payload, the environment from the status', async () => {
    expect(
      await parseDeploymentStatus(event('success', { service: 'checkout', release: 'v42', previous_release: 'v41' }), known, none),
    ).toEqual({
      ok: true,
      deploy: { service: 'checkout', release: 'v42', previousRelease: 'v41', environment: 'production', source: 'github' },
    });
  });

  it('falls back to the repository name, the ref and the last watched release; a JSON-string payload is read too', async () => {
    const parsed = await parseDeploymentStatus(event('success', '{}', 'v10'), known, async (s) => (s === 'search' ? 'v9' : null));
    expect(parsed.ok && parsed.deploy).toMatchObject({ service: 'search', release: 'v10', previousRelease: 'v9' });
  });

  it.each([
    [event('failure', {}), 'deployment_status state "failure": only "success" starts a deploy watch'],
    [
      event('success', { release: 'v10' }),
      'deployment.payload.previous_release: required (no earlier deploy of search is known to roll back to)',
    ],
    [
      event('success', { service: 'billing', release: 'v1', previous_release: 'v0' }),
      'service: "billing" is not a configured service (known: checkout, search)',
    ],
    [
      { zen: 'hi' },
      'deployment_status: required (expected object); deployment: required (expected object); repository: required (expected object)',
    ],
  ])('%#: %s', async (body, why) => {
    expect(reason(await parseDeploymentStatus(body, known, none))).toBe(why);
  });
});

describe('verifyGitHubSignature', () => {
  const body = Buffer.from('{"zen":"hi"}');
  const sign = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  it.each([
    [sign('s3cret'), true],
    [sign('other'), false],
    [sign('s3cret').replace('sha256=', 'sha1='), false],
    ['sha256=abc', false],
    [undefined, false],
  ])('%s → %s', (header, ok) => {
    expect(verifyGitHubSignature(body, header, 's3cret')).toBe(ok);
  });
});
