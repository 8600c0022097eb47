import type { SignalSnapshot } from '../signals/signal-reading';

/** The actor of what a deploy watch does (opens an incident, proposes its rollback): shown as "deploy watch". */
export const DEPLOY_WATCH_ACTOR = 'deploy-watch';

/** A deploy someone told the bot about (POST /deploys or a GitHub deployment_status). */
export interface Deploy {
  service: string;
  release: string;
  previousRelease: string;
  environment: string | null;
  /** Who told: `api` (POST /deploys) or `github` (deployment_status). */
  source: 'api' | 'github';
}

export type WatchState = 'watching' | 'breached' | 'ended' | 'superseded';

/** The window after a deploy in which the service's signals are checked against the rules and the baseline. */
export interface DeployWatch extends Deploy {
  id: string;
  startedAt: number;
  endsAt: number;
  state: WatchState;
  /** The service's signals just before the deploy (null until read, or when it could not be). */
  baseline: SignalSnapshot | null;
  /** The most recent check's read. */
  latest: SignalSnapshot | null;
  checks: number;
  /** The incident a breach opened. */
  incidentId: string | null;
  /** The watch of the next deploy of the same service, when this one was superseded. */
  supersededBy: string | null;
  endedAt: number | null;
  /** One line for people: why the watch stopped. */
  endReason: string | null;
  /** Compare-and-set revision, bumped by the store on every write. */
  version: number;
}

export function startWatch(id: string, deploy: Deploy, now: number, windowMs: number): DeployWatch {
  return {
    ...deploy,
    id,
    startedAt: now,
    endsAt: now + windowMs,
    state: 'watching',
    baseline: null,
    latest: null,
    checks: 0,
    incidentId: null,
    supersededBy: null,
    endedAt: null,
    endReason: null,
    version: 0,
  };
}

/** The same deploy told twice (a retry, a GitHub redelivery): the watch already running answers it. */
export function isSameDeploy(watch: DeployWatch, deploy: Deploy): boolean {
  return (
    watch.state === 'watching' &&
    watch.release === deploy.release &&
    watch.previousRelease === deploy.previousRelease &&
    watch.environment === deploy.environment
  );
}

/** Shown by `/incident watch`: watching, or breached until its window ends. */
export function isListed(watch: DeployWatch, now: number): boolean {
  return (watch.state === 'watching' || watch.state === 'breached') && now < watch.endsAt;
}

export function supersedeWatch(watch: DeployWatch, by: { id: string; release: string }, now: number): DeployWatch {
  return {
    ...watch,
    state: 'superseded',
    supersededBy: by.id,
    endedAt: now,
    endReason: `superseded by release ${by.release} (${by.id})`,
  };
}

export function endWatch(watch: DeployWatch, now: number, reason: string): DeployWatch {
  return { ...watch, state: 'ended', endedAt: now, endReason: reason };
}

/** `checkout release v42 (previous v41, production)` */
export function describeDeploy(deploy: Deploy): string {
  return `${deploy.service} release ${deploy.release} (previous ${deploy.previousRelease}${deploy.environment ? `, ${deploy.environment}` : ''})`;
}
