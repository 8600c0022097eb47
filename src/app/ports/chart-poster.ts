import type { Incident } from '../../domain/incident';

export interface ChartUpload {
  png: Uint8Array;
  filename: string;
  title: string;
  altText: string;
  /** Plain words (the poster escapes them for its front end). */
  caption: string;
}

export type ChartPosted = { ok: true; where: string; fileId: string | null } | { ok: false; code: string; reason: string };

/**
 * Uploads a chart where the incident's people look: its own channel when it has one, else
 * the thread under its announcement. One try: a refusal is answered, never retried here.
 */
export interface ChartPoster {
  post(incident: Incident, upload: ChartUpload): Promise<ChartPosted>;
}
