import { formatDuration } from '../../../domain/duration';
import type { GroupDecision } from '../../../domain/classifier/classify-group';
import type { SeverityDecision } from '../../../domain/classifier/classify';
import type { AlertBatch, NormalizedAlert } from '../alerts/normalized-alert';

/**
 * Human-readable output of `incident-bot classify`, in the spirit of `amtool config routes test`:
 * what was understood from the payload, then the decision per alert and for the group.
 */
export function renderClassification(batch: AlertBatch, decision: GroupDecision): string {
  const lines: string[] = [];
  const receiver = batch.receiver !== undefined ? `, receiver ${batch.receiver}` : '';
  lines.push(
    `${batch.source} payload${receiver}: ${plural(batch.alerts.length, 'alert')}${batch.truncatedAlerts ? `, ${batch.truncatedAlerts} more truncated by the sender` : ''}`,
  );
  batch.alerts.forEach((alert, index) => {
    lines.push('', `alert ${index + 1}: [${alert.status}] ${alert.title}`);
    lines.push(...renderAlert(alert).map((l) => `  ${l}`));
    lines.push(...renderDecision(decision.perAlert[index]!).map((l) => `  ${l}`));
  });
  lines.push('');
  if (decision.group) {
    lines.push(
      `group ${batch.alerts[decision.group.alertIndex]!.groupKey}: ${decision.group.severity} (from alert ${decision.group.alertIndex + 1})`,
    );
    lines.push(`  ${decision.group.explanation}`);
  } else {
    lines.push(`group ${batch.alerts[0]?.groupKey ?? ''}: no firing alerts; nothing to open or raise`);
  }
  return `${lines.join('\n')}\n`;
}

function renderAlert(alert: NormalizedAlert): string[] {
  const signals = Object.entries(alert.signals).map(([k, v]) => `${k}=${String(v)}`);
  const labels = Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`);
  return [
    `service:      ${alert.service ?? '(none)'}`,
    `group key:    ${alert.groupKey}`,
    `fingerprint:  ${alert.fingerprint}`,
    `signals:      ${signals.length ? signals.join(' ') : '(none)'}`,
    `labels:       ${labels.length ? labels.join(' ') : '(none)'}`,
    ...(alert.pdStatus ? [`pd status:    ${alert.pdStatus}`] : []),
    ...alert.links.map((l) => `link:         ${l.title} ${l.url}`),
  ];
}

function renderDecision(d: SeverityDecision): string[] {
  const sla = d.urgencySlaMs === null ? '' : ` (rollback within ${formatDuration(d.urgencySlaMs)})`;
  return [
    `severity:     ${d.severity}, urgency ${d.urgency}${sla}, auto-rollback ${d.autoRollback ? 'yes' : 'no'}`,
    `because:      ${d.explanation}`,
  ];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
