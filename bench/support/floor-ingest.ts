// The ingest floor: the least an Alertmanager receiver can do and still be correct —
// read the body, parse it with the same zod schema, fingerprint each alert, one SET NX
// per alert. The bot's ingest is measured against this in the same run.
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { parseAlertmanager } from '../../src/adapters/inbound/alerts/parse-alertmanager';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = process.env.REDIS_PREFIX ?? 'ibbench:floor:';
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    res.writeHead(400).end();
    return;
  }
  const parsed = parseAlertmanager(body);
  if (!parsed.ok) {
    res.writeHead(400).end(parsed.reason);
    return;
  }
  const pipeline = redis.pipeline();
  for (const alert of parsed.batch.alerts) pipeline.set(`${prefix}${alert.groupKey}:${alert.fingerprint}`, alert.status, 'EX', 600, 'NX');
  await pipeline.exec();
  res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`READY ${typeof address === 'object' && address ? address.port : 0}`);
});
process.once('SIGTERM', () => {
  server.close();
  redis.disconnect();
  process.exit(0);
});
