import { z } from 'zod';

/** The sandbox's own environment (`npm run sandbox`): its port, and the Redis to use or start. */
export const sandboxEnvSchema = z.object({
  SANDBOX_PORT: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be a port from 1 to 65535')
    .max(65535, 'must be a port from 1 to 65535')
    .default(4000),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
});

export type SandboxEnv = z.infer<typeof sandboxEnvSchema>;

/** Reads the sandbox's variables; bad ones are named with the reason. */
export function readSandboxEnv(
  env: Record<string, string | undefined> = process.env,
): { ok: true; env: SandboxEnv } | { ok: false; errors: string[] } {
  const parsed = sandboxEnvSchema.safeParse(env);
  if (parsed.success) return { ok: true, env: parsed.data };
  return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
}
