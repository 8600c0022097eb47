/** Something in a valid config that would bite at 3 a.m.; `where` is the key path, as errors name it. */
export interface ConfigWarning {
  code:
    | 'approvers_short'
    | 'no_approvers'
    | 'script_missing'
    | 'script_not_executable'
    | 'file_missing'
    | 'no_verification'
    | 'no_owners'
    | 'channel_unknown'
    | 'user_group_unknown'
    | 'slack_check_failed';
  where: string;
  message: string;
}

export function formatWarning(w: ConfigWarning): string {
  return `${w.where}: ${w.message}`;
}
