import type { Signals } from '../classifier/signals';
import type { Severity } from '../severity';
import type { SignalEvidence } from './judge-recovery';
import type { SignalSnapshot } from './signal-reading';

/** What live signals said about an incident: at open, most recently, and what they led to. */
export interface IncidentSignals {
  /** What the opening alert carried (its signals and labels); live values merge over it by precedence. */
  carried?: { signals: Signals; labels: Record<string, string> } | null;
  /** The read at open (null until it happened: the source may have been down). */
  atOpen: SignalSnapshot | null;
  /** The most recent read (at open, then every re-evaluation). */
  latest: SignalSnapshot | null;
  /** A higher severity the signals support, offered to people (never applied by itself). */
  raiseProposal: { severity: Severity; explanation: string; at: number } | null;
  /** Gate 3 met by evidence: alerts resolved and signals under every rule for the hold window. */
  recovery: SignalRecovery | null;
}

export interface SignalRecovery {
  at: number;
  holdForMs: number;
  source: string | null;
  alerts: { groupKey: string; resolved: number; allResolvedAt: number } | null;
  signals: SignalEvidence[];
}

export const NO_INCIDENT_SIGNALS: IncidentSignals = { atOpen: null, latest: null, raiseProposal: null, recovery: null };
