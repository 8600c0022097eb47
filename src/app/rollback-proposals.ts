import { DEPLOY_WATCH_ACTOR } from '../domain/deploys/deploy-watch';
import { isOpenStatus } from '../domain/lifecycle';
import type { Incident } from '../domain/incident';
import { missingPlaceholders } from '../domain/rollback/describe-runner';
import {
  attachMessages,
  createRequest,
  isAwaitingDecision,
  isFinal,
  requestPlaceholders,
  supersede,
  type ReadinessResult,
  type RollbackRequest,
} from '../domain/rollback/rollback-request';
import { recordReadiness, recordRollbackEvent } from '../domain/rollback/rollback-incident-changes';
import type { ServiceRollbackConfig } from '../domain/rollback/service-rollback-config';
import { refuse, type Result } from '../domain/result';
import { ROLLBACK_TIMERS, type RollbackDeps } from './rollback-deps';
import { phrase } from '../domain/phrase';

export interface ProposeInput {
  incidentId: string;
  /** null: the incident's service. */
  service: string | null;
  release: string | null;
  dryRun: boolean;
  by: string;
}

export type ProposeOutcome = Result<{ request: RollbackRequest; incident: Incident; config: ServiceRollbackConfig; dryRun: boolean }>;

/**
 * Proposing a rollback (the four-gate incident protocol): checks the plan can be filled in, runs the readiness
 * checks, stores the request and posts the approval blocks. A dry run stops after readiness.
 */
export class RollbackProposals {
  constructor(private readonly deps: RollbackDeps) {}

  async propose(input: ProposeInput): Promise<ProposeOutcome> {
    const prepared = await this.prepare(input.incidentId, input.service, input.release);
    if (!prepared.ok) return prepared;
    const { incident, service, config, release } = prepared;
    const busy = (await this.deps.requests.forIncident(incident.id)).find(
      (r) => r.service === service && !isFinal(r.status) && !isAwaitingDecision(r.status),
    );
    if (busy && !input.dryRun) return refuse('rollback.busy', `${busy.id} for ${service} is already ${busy.status}; wait for its outcome.`);

    const draft = this.draft(incident, service, config, release, input.by, false, 'draft');
    const readiness = await this.readiness(config, draft);
    if (input.dryRun) return { ok: true, request: { ...draft, readiness }, incident, config, dryRun: true };
    const request = await this.store(incident, config, {
      ...this.draft(incident, service, config, release, input.by, false, await this.deps.requests.nextId(incident.id)),
      readiness,
    });
    return { ok: true, request, incident, config, dryRun: false };
  }

  /**
   * An alert matched a rule with `auto_rollback: true`: count down, then run unless an
   * approver aborts. If readiness fails it is held for a person to approve instead.
   */
  async proposeAutomatic(incidentId: string, rule: string): Promise<ProposeOutcome> {
    const prepared = await this.prepare(incidentId, null, null);
    if (!prepared.ok) {
      const text = phrase`Automatic rollback (rule ${rule}) not started: ${prepared.reason}`;
      await this.deps.service.apply(incidentId, (i, now) =>
        recordRollbackEvent(i, { at: now, actor: 'bot', kind: 'rollback_auto_skipped', text }),
      );
      await this.deps.messenger()?.notice({ incidentId }, phrase`:warning: ${text}`);
      return prepared;
    }
    const { incident, service, config, release } = prepared;
    const id = await this.deps.requests.nextId(incident.id);
    const draft = this.draft(incident, service, config, release, `auto:${rule}`, true, id);
    const readiness = await this.readiness(config, draft);
    // Without passing readiness nothing runs by itself: a person approves instead.
    const auto = readiness.passed;
    const final = { ...this.draft(incident, service, config, release, `auto:${rule}`, auto, id), readiness };
    // The countdown is persisted before anyone is told about it: a crash in between leaves a
    // timer whose request never existed (a no-op), never a countdown that does not run out.
    if (auto)
      await this.deps.timers.schedule({
        key: `rollback:${final.id}:countdown`,
        kind: ROLLBACK_TIMERS.countdown,
        dueAt: final.expiresAt,
        payload: { requestId: final.id },
      });
    const request = await this.store(incident, config, final);
    return { ok: true, request, incident, config, dryRun: false };
  }

  /**
   * A deploy watch opened the incident: propose the rollback to the release before the deploy,
   * for approval. Proposed once (a job of its own); when it cannot be, the timeline says why.
   */
  async proposeForDeploy(incidentId: string): Promise<ProposeOutcome> {
    const incident = await this.deps.service.get(incidentId);
    if (!incident?.deploy) return refuse('rollback.no_deploy', `${incidentId} was not opened by a deploy watch.`);
    if ((await this.deps.requests.forIncident(incidentId)).length)
      return refuse('rollback.already_proposed', `${incidentId} already has a rollback proposal.`);
    const outcome = await this.propose({
      incidentId,
      service: incident.deploy.service,
      release: null,
      dryRun: false,
      by: DEPLOY_WATCH_ACTOR,
    });
    if (!outcome.ok) {
      const text = phrase`Rollback to ${incident.deploy.previousRelease} not proposed: ${outcome.reason}`;
      await this.deps.service.apply(incidentId, (i, now) =>
        recordRollbackEvent(i, { at: now, actor: 'bot', kind: 'rollback_deploy_skipped', text }),
      );
      await this.deps.messenger()?.notice({ incidentId }, phrase`:warning: ${text}`);
    }
    return outcome;
  }

  private async prepare(
    incidentId: string,
    given: string | null,
    givenRelease: string | null,
  ): Promise<Result<{ incident: Incident; service: string; config: ServiceRollbackConfig; release: string | null }>> {
    const incident = await this.deps.service.get(incidentId);
    if (!incident) return refuse('rollback.no_incident', `No incident ${incidentId}.`);
    let release = givenRelease;
    if (!isOpenStatus(incident.status))
      return refuse('rollback.incident_not_open', `${incident.id} is ${incident.status}; rollbacks are for open incidents.`);
    const service = given ?? incident.service;
    // An incident a deploy watch opened rolls its service back to the release before the deploy.
    if (release === null && incident.deploy && incident.deploy.service === service) release = incident.deploy.previousRelease;
    if (!service)
      return refuse(
        'rollback.no_service',
        `${incident.id} has no service; name it: \`/incident rollback ${incident.id} <service> [release]\`.`,
      );
    const config = this.deps.plans(service);
    if (!config)
      return refuse('rollback.no_plan', `Service ${service} has no rollback plan; add one under services[].rollback in the config.`);
    const placeholders = requestPlaceholders({
      id: 'x',
      incidentId: incident.id,
      service,
      severity: incident.severity,
      release,
      requestedBy: 'x',
    });
    const missing = missingPlaceholders([...config.plan.runners, ...config.plan.readiness, ...config.plan.verification], placeholders);
    if (missing.length) {
      const needsRelease = missing.some((m) => m === 'release' || m === 'previous_release');
      return refuse(
        'rollback.missing_placeholder',
        needsRelease
          ? `The ${service} rollback plan needs a release to roll back to: \`/incident rollback ${incident.id} ${service} <release>\`.`
          : `The ${service} rollback plan uses {${missing.join('}, {')}}, which the bot cannot fill in; fix services[].rollback.`,
      );
    }
    return { ok: true, incident, service, config, release };
  }

  private draft(
    incident: Incident,
    service: string,
    config: ServiceRollbackConfig,
    release: string | null,
    by: string,
    auto: boolean,
    id: string,
  ): RollbackRequest {
    const now = this.deps.clock();
    return createRequest(
      {
        id,
        incidentId: incident.id,
        service,
        release,
        level: config.plan.level,
        requestedBy: by,
        severity: incident.severity,
        approvalsNeeded: incident.severity === 'P0' && config.twoApproversForP0 ? 2 : 1,
        ttlMs: auto ? config.autoRollbackDelayMs : config.approvalTtlMs,
        readiness: { passed: false, checks: [], at: now },
        runners: config.plan.runners.map((r) => r.name),
        auto,
      },
      now,
    );
  }

  private async readiness(config: ServiceRollbackConfig, request: RollbackRequest): Promise<ReadinessResult> {
    const outcome = await this.deps.runChecks(config.plan.readiness, requestPlaceholders(request));
    return {
      passed: outcome.passed,
      checks: outcome.results.map((r) => ({ name: r.name, passed: r.passed, detail: r.detail })),
      at: this.deps.clock(),
    };
  }

  private async store(incident: Incident, config: ServiceRollbackConfig, draft: RollbackRequest): Promise<RollbackRequest> {
    const { requests, records, service, timers } = this.deps;
    let request = await requests.create(draft);
    // One open proposal per service: a newer one replaces those still waiting.
    for (const older of await requests.forIncident(incident.id)) {
      if (older.id === request.id || older.service !== request.service || !isAwaitingDecision(older.status)) continue;
      const replaced = await requests.update(older.id, (r) => supersede(r, request.id));
      if (replaced.ok) {
        await timers.cancel(`rollback:${older.id}:countdown`);
        this.deps.messenger()?.refresh(older.id);
      }
    }
    const action = describeAction(request, config);
    const at = request.requestedAt;
    await records.addDecision(incident.id, {
      kind: 'proposal',
      by: request.requestedBy,
      at,
      action,
      reason: request.auto ? 'automatic rollback rule' : null,
    });
    const checks = request.readiness.checks.map((c) => `${c.passed ? 'passed' : 'FAILED'} ${c.name}: ${c.detail}`).join('; ');
    await service.apply(incident.id, (i) =>
      recordReadiness(i, request.readiness.passed, {
        at,
        actor: request.requestedBy,
        kind: request.auto ? 'rollback_auto_countdown' : 'rollback_proposed',
        text: request.auto
          ? `Rolling back ${request.service} in ${Math.round((request.expiresAt - at) / 1000)} s unless an approver aborts (${request.id}). Readiness passed${checks ? `: ${checks}` : ''}.`
          : `Rollback proposed: ${action} (${request.id}). Readiness ${request.readiness.passed ? 'passed' : 'FAILED'}${checks ? `: ${checks}` : ''}.`,
        details: {
          request: request.id,
          service: request.service,
          release: request.release,
          level: request.level,
          readinessPassed: request.readiness.passed,
          auto: request.auto,
        },
      }),
    );
    const messenger = this.deps.messenger();
    if (messenger) {
      const refs = await messenger.postApproval(request);
      const attached = await requests.update(request.id, (r) => attachMessages(r, refs));
      if (attached.ok) request = attached.request;
    }
    if (!request.auto)
      await timers.schedule({
        key: `rollback:${request.id}:expire`,
        kind: ROLLBACK_TIMERS.expire,
        dueAt: request.expiresAt,
        payload: { requestId: request.id },
      });
    this.deps.log.info(
      { incidentId: incident.id, request: request.id, service: request.service, auto: request.auto, readiness: request.readiness.passed },
      'rollback proposed',
    );
    return request;
  }
}

/** "rollback checkout to v41 via checkout-rollback (component)", for the decision log. */
export function describeAction(
  request: Pick<RollbackRequest, 'service' | 'release' | 'runners' | 'level'>,
  _config?: ServiceRollbackConfig,
): string {
  return `rollback ${request.service}${request.release ? ` to ${request.release}` : ''} via ${request.runners.join(' → ')} (${request.level})`;
}
