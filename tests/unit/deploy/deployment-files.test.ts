import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// No Docker engine, helm or kubeconform on the test machines: these hold the deployment
// files to what the bot needs, by parsing them (README, Deployment, says what this leaves out).
const read = (path: string) => readFileSync(path, 'utf8');
const yaml = (path: string) => parse(read(path));
/** The drain main.ts gives a running rollback on SIGTERM; every orchestrator must wait longer. */
const drainSeconds = Number(/SHUTDOWN_DRAIN_MS = ([\d_]+)/.exec(read('src/main.ts'))![1]!.replaceAll('_', '')) / 1000;

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const lines = text.split('\n').filter((l) => /^[A-Z]+\s/.test(l));
  const last = (instruction: string) => lines.filter((l) => l.startsWith(`${instruction} `)).at(-1) ?? '';

  it('is multi-stage: built with dev dependencies, run with production ones only', () => {
    expect(lines.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(2);
    expect(text).toContain('RUN npm run build');
    expect(text).toMatch(/npm ci --omit=dev/);
    expect(text).toContain('COPY --from=build /app/dist ./dist');
  });

  it('runs as a non-root user, node itself under an init that forwards SIGTERM', () => {
    expect(last('USER')).toMatch(/^USER (?!root|0\b)\w+/);
    expect(lines.indexOf(last('USER'))).toBeLessThan(lines.indexOf(last('CMD')));
    expect(JSON.parse(last('ENTRYPOINT').slice('ENTRYPOINT '.length))).toEqual(['/usr/bin/tini', '--']);
    expect(text).toMatch(/apt-get install[^\n]*\btini\b/);
    const cmd = JSON.parse(last('CMD').slice('CMD '.length)) as string[];
    expect(cmd[0]).toBe('node');
    expect(cmd.at(-1)).toBe('dist/main.js');
  });

  it('checks /healthz (liveness, not Redis)', () => {
    expect(text).toMatch(/HEALTHCHECK [^\n]*\\\n\s+CMD [^\n]*\/healthz/);
  });

  it('.dockerignore keeps node_modules, dist and .git out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', '.git']) expect(ignored).toContain(entry);
  });
});

describe('docker-compose.yml', () => {
  const compose = yaml('docker-compose.yml');

  it('Redis with AOF everysec and noeviction; the bot waits for it and gets longer than the drain to stop', () => {
    const command = compose.services.redis.command.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--appendfsync everysec');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(compose.services.bot.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(compose.services.bot.depends_on.redis.condition).toBe('service_healthy');
    expect(Number.parseInt(compose.services.bot.stop_grace_period, 10)).toBeGreaterThan(drainSeconds);
  });

  it('the monitoring profile wires Prometheus → Alertmanager → the bot, with the bearer token', () => {
    expect(compose.services.prometheus.profiles).toEqual(['monitoring']);
    expect(compose.services.alertmanager.profiles).toEqual(['monitoring']);
    expect(compose.services.bot.profiles).toBeUndefined();
    const prometheus = yaml('deploy/compose/prometheus.yml');
    expect(prometheus.scrape_configs[0].static_configs[0].targets).toEqual(['bot:3000']);
    expect(prometheus.alerting.alertmanagers[0].static_configs[0].targets).toEqual(['alertmanager:9093']);
    expect(yaml('deploy/compose/alert-rules.yml').groups[0].rules.length).toBeGreaterThan(0);
    const webhook = yaml('deploy/compose/alertmanager.yml').receivers[0].webhook_configs[0];
    expect(webhook.url).toBe('http://bot:3000/alerts/alertmanager');
    expect(webhook.http_config.authorization.credentials_file).toBe('/run/secrets/alert_webhook_token');
    expect(compose.secrets.alert_webhook_token.file).toBe('./deploy/compose/alert-webhook-token');
  });
});

describe('systemd unit', () => {
  const unit = Object.fromEntries(
    read('deploy/systemd/incident-bot.service')
      .split('\n')
      .filter((l) => /^\w+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

  it('runs node on dist/main.js (not npm) as its own user, and waits longer than the drain', () => {
    expect(unit.ExecStart).toMatch(/^\/usr\/bin\/node .*dist\/main\.js$/);
    expect(unit.ExecStart).not.toContain('npm');
    expect(unit.User).toBe('incident-bot');
    expect(unit.KillSignal).toBe('SIGTERM');
    expect(Number(unit.TimeoutStopSec)).toBeGreaterThan(drainSeconds);
    expect(unit.EnvironmentFile).toBeDefined();
  });
});

describe('Helm chart deploy/helm/incident-bot', () => {
  const chart = 'deploy/helm/incident-bot';
  const values = yaml(join(chart, 'values.yaml'));

  /**
   * The templates as YAML: lines holding only template actions (if/range/with/end, includes
   * and toYaml blocks) dropped, inline expressions replaced by a placeholder. Not a render
   * (helm is not installable here); it proves the YAML around the actions is well formed.
   */
  function skeleton(file: string): any {
    const text = read(join(chart, 'templates', file))
      .split('\n')
      .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line))
      .map((line) => line.replace(/\{\{-?[^}]*?-?\}\}/g, 'TEMPLATED'))
      .join('\n');
    return parse(text);
  }

  it('Chart.yaml and values.yaml parse; 2 replicas, probes, grace period above the drain, resources set', () => {
    expect(yaml(join(chart, 'Chart.yaml'))).toMatchObject({ apiVersion: 'v2', name: 'incident-bot' });
    expect(values.replicaCount).toBe(2);
    expect(values.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds);
    expect(values.resources.requests.memory).toMatch(/^\d+Mi$/);
    expect(Number.parseInt(values.resources.limits.memory, 10)).toBeGreaterThan(Number.parseInt(values.resources.requests.memory, 10));
    expect(values.podDisruptionBudget.minAvailable).toBe(1);
    // The config map's default.yml is a valid bot config.
    expect(parse(values.config['default.yml']).services).toEqual([]);
  });

  it('every template is well-formed YAML around its actions, with the objects the bot needs', () => {
    const templates = readdirSync(join(chart, 'templates')).filter((f) => f.endsWith('.yaml'));
    const kinds = Object.fromEntries(
      templates.map((f) => {
        const doc = skeleton(f);
        return [doc.kind, doc];
      }),
    );
    expect(Object.keys(kinds).sort()).toEqual(['ConfigMap', 'Deployment', 'PodDisruptionBudget', 'Secret', 'Service']);

    const deployment = read(join(chart, 'templates/deployment.yaml'));
    expect(deployment).toContain('replicas: {{ .Values.replicaCount }}');
    expect(deployment).toContain('terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}');
    const pod = kinds.Deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.envFrom[0].secretRef.name).toBe('TEMPLATED');
    expect(deployment).toContain('name: {{ .Values.secret.name }}');
    expect(container.volumeMounts.find((m: any) => m.name === 'config').mountPath).toBe('/app/config');
    expect(pod.volumes.find((v: any) => v.name === 'config').configMap).toBeDefined();
    expect(container.env.find((e: any) => e.name === 'CONFIG').value).toBe('/app/config/default.yml');
    expect(kinds.PodDisruptionBudget.apiVersion).toBe('policy/v1');
    expect(read(join(chart, 'templates/pdb.yaml'))).toContain('minAvailable: {{ .Values.podDisruptionBudget.minAvailable }}');
  });
});
