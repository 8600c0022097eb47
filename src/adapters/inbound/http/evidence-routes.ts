import type { CustomRoute } from '@slack/bolt';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import type { PaperTrailService } from '../../../app/paper-trail/paper-trail-service';
import { normalizeIncidentId } from '../../../domain/incident-id';
import { EVIDENCE_FILES } from '../../../domain/report/evidence-bundle';
import type { Logger } from '../../../logger';
import { redactText } from '../../../domain/redaction/redact-text';
import { allowReadApi, sendError, sendJson } from './http-helpers';

/** A gzipped tar of the files under `<dir>/`, with a fixed mtime so the same evidence gives the same bytes. */
async function tarGz(dir: string, files: [string, string][], mtime: Date): Promise<Buffer> {
  const archive = pack();
  for (const [name, content] of files) archive.entry({ name: `${dir}/${name}`, mtime, mode: 0o644 }, content);
  archive.finalize();
  const gzip = createGzip();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    gzip.on('end', () => resolve(Buffer.concat(chunks)));
    gzip.on('error', reject);
    archive.on('error', reject);
  });
  archive.pipe(gzip);
  return done;
}

/**
 * GET /api/incidents/:id/evidence: the four-gate protocol's evidence bundle, built from what is
 * stored now. A tar.gz by default; `?format=json` gives `{ files: { name: content } }`.
 */
/** `secrets` are redacted (with every token shape) from each file before it leaves, whatever the records held. */
export function evidenceRoutes(
  paperTrail: PaperTrailService,
  apiToken: string | undefined,
  log: Logger,
  secrets: readonly string[] = [],
): CustomRoute[] {
  return [
    {
      path: '/api/incidents/:id/evidence',
      method: ['GET'],
      handler: async (req: IncomingMessage & { params?: Record<string, string | string[]> }, res: ServerResponse) => {
        if (!allowReadApi(req, res, apiToken)) return;
        try {
          const id = normalizeIncidentId(String(req.params?.id ?? ''));
          if (!id) return sendError(res, 400, 'bad_id', 'Incident ids look like INC-20261121-001.');
          const format = new URL(req.url ?? '/', 'http://localhost').searchParams.get('format') ?? 'tar.gz';
          if (format !== 'json' && format !== 'tar.gz')
            return sendError(res, 400, 'bad_format', 'format must be "json" or "tar.gz" (the default).');
          const stored = await paperTrail.evidence(id);
          if (!stored) return sendError(res, 404, 'not_found', `No incident ${id}.`);
          const files = Object.fromEntries(
            Object.entries(stored).map(([name, text]) => [name, redactText(text, secrets)]),
          ) as typeof stored;
          if (format === 'json') return sendJson(res, 200, { incidentId: id, files });
          const createdAt = /^INC-(\d{4})(\d{2})(\d{2})/.exec(id)!;
          const body = await tarGz(
            `${id}-evidence`,
            EVIDENCE_FILES.map((name) => [name, files[name]]),
            new Date(`${createdAt[1]}-${createdAt[2]}-${createdAt[3]}T00:00:00Z`),
          );
          res.writeHead(200, {
            'content-type': 'application/gzip',
            'content-length': body.length,
            'content-disposition': `attachment; filename="${id}-evidence.tar.gz"`,
          });
          res.end(body);
        } catch (error) {
          log.error({ err: error, url: req.url }, 'evidence bundle failed');
          sendError(res, 503, 'unavailable', 'The incident store did not answer; try again shortly.', { 'retry-after': '5' });
        }
      },
    },
  ];
}
