/** Every Slack id the bot uses, declared once (manifest.yml is held against these by a test). */
export const COMMAND = '/incident';

export const ACTIONS = {
  acknowledge: 'incident_acknowledge',
  takeCommand: 'incident_take_command',
  postUpdate: 'incident_post_update',
  resolve: 'incident_resolve',
  reopen: 'incident_reopen',
  confirmSeverity: 'incident_confirm_severity',
  /** The offer shown once every attached alert resolved: resolves the incident, never automatically. */
  resolveAlertsResolved: 'incident_resolve_alerts_resolved',
  /** On the "monitoring period over" reminder: closes the incident (gates permitting). */
  close: 'incident_close',
  /** Offered once the incident is resolved: opens the report form (gate 4). */
  writeReport: 'incident_write_report',
  /** Rollback: the values carry only an incident or request id; the server reloads the rest. */
  proposeRollback: 'rollback_propose',
  approveRollback: 'rollback_approve',
  rejectRollback: 'rollback_reject',
  abortRollback: 'rollback_abort',
  stopRollback: 'rollback_stop',
  /** "System stabilized — resolve?" after a verified rollback (the protocol's resolution confirmation). */
  resolveStabilized: 'rollback_resolve_stabilized',
  /** "Possibly related to INC-…": folds this incident into that one (value: this incident's id). */
  mergeRelated: 'incident_merge_related',
  /** Live signals support a higher severity: a person raises it (the bot never does by itself). */
  raiseSeverityFromSignals: 'signals_raise_severity',
} as const;

export const VIEWS = {
  open: 'incident_open_modal',
  update: 'incident_update_modal',
  resolve: 'incident_resolve_modal',
  addToTimeline: 'incident_add_to_timeline_modal',
  report: 'incident_report_modal',
} as const;

export const SHORTCUTS = {
  addToTimeline: 'incident_add_to_timeline',
} as const;

/** block_id / action_id pairs inside modals. */
export const INPUTS = {
  title: { block: 'title', action: 'title_input' },
  severity: { block: 'severity', action: 'severity_select' },
  service: { block: 'service', action: 'service_select' },
  summary: { block: 'summary', action: 'summary_input' },
  createChannel: { block: 'create_channel', action: 'create_channel_checkbox' },
  private: { block: 'private', action: 'private_checkbox' },
  status: { block: 'status', action: 'status_select' },
  updateText: { block: 'update_text', action: 'update_text_input' },
  resolutionSummary: { block: 'resolution_summary', action: 'resolution_summary_input' },
  incident: { block: 'incident', action: 'incident_select' },
  overrideReason: { block: 'override_reason', action: 'override_reason_input' },
  rootCause: { block: 'root_cause', action: 'root_cause_input' },
  impact: { block: 'impact', action: 'impact_input' },
  usersAffected: { block: 'users_affected', action: 'users_affected_input' },
  sloImpact: { block: 'slo_impact', action: 'slo_impact_input' },
  resolution: { block: 'resolution', action: 'resolution_input' },
  wentWell: { block: 'went_well', action: 'went_well_input' },
  couldImprove: { block: 'could_improve', action: 'could_improve_input' },
  actionItems: { block: 'action_items', action: 'action_items_input' },
  prevention: { block: 'prevention', action: 'prevention_input' },
} as const;

/** member_joined_channel / member_left_channel: a private incident's people follow its private channel. */
export const EVENTS = ['app_home_opened', 'member_joined_channel', 'member_left_channel'] as const;

/** Scopes the code needs; manifest.yml must request exactly these. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'channels:history',
  'channels:manage',
  // conversations.list: check-config confirms the announcement channel exists; orphaned incident channels are found by name.
  // member_joined_channel / member_left_channel in public channels.
  'channels:read',
  // The same for private channels: a private incident's orphaned channel is found, and its people follow the channel.
  'groups:read',
  // Private incidents: their private channel is created, set up and read (status-update lookups) with these.
  'groups:write',
  'groups:history',
  'usergroups:read',
  'users:read',
  // users.lookupByEmail: the on-call PagerDuty names, invited into the incident channel.
  'users:read.email',
  'bookmarks:write',
  // files.uploadV2: the signal chart at open and at resolve.
  'files:write',
] as const;
