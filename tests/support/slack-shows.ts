/**
 * What a person reads in Slack for mrkdwn text: Slack shows the escaped control characters
 * (`&lt;` `&gt;` `&amp;`, the escapes its formatting rules ask for) as the characters.
 */
export function slackShows(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
