import { refuse, type Result } from '../../../../domain/result';
import type { SlackPayloadFacts } from './read-slack-payload';

/** The workspace and app this bot is installed as (auth.test at start, or config). */
export interface Installation {
  teamId: string;
  appId: string;
}

/**
 * A signed request for another workspace or another app is refused: one signing secret can be
 * shared by apps, and a bot installed in several workspaces must not serve one from another.
 * URL verification and SSL checks carry neither and concern no workspace. An org-wide install
 * may omit the team; the app must always match.
 */
export function checkInstallation(facts: SlackPayloadFacts, installation: Installation): Result<object> {
  if (facts.kind === 'url_verification' || facts.kind === 'ssl_check') return { ok: true };
  if (facts.appId !== installation.appId)
    return refuse('slack.foreign_app', `This request is for app ${facts.appId ?? '(none)'}; this bot is app ${installation.appId}.`);
  if (facts.teamId === null && facts.enterpriseInstall) return { ok: true };
  if (facts.teamId !== installation.teamId)
    return refuse(
      'slack.foreign_team',
      `This request is from workspace ${facts.teamId ?? '(none)'}; this bot serves ${installation.teamId}.`,
    );
  return { ok: true };
}
