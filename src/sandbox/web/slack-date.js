// Renders Slack's `<!date^seconds^format|fallback>` tokens the way the Slack client does:
// in the reader's own time zone, "today"/"yesterday"/"tomorrow" for the *_pretty tokens
// (capitalised when they open the text). Plain ES module: the page imports it, and so do
// the unit tests.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function ordinal(n) {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** The calendar fields of `ms` in `timeZone` (the browser's own when undefined). */
function partsOf(ms, timeZone) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month) - 1,
    day: Number(p.day),
    weekday: DAYS.indexOf(p.weekday),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

const dayNumber = (p) => Date.UTC(p.year, p.month, p.day) / 86_400_000;

function relativeDay(p, now, timeZone) {
  const delta = dayNumber(p) - dayNumber(partsOf(now, timeZone));
  return delta === 0 ? 'today' : delta === -1 ? 'yesterday' : delta === 1 ? 'tomorrow' : null;
}

function ago(ms, now) {
  const seconds = Math.round((now - ms) / 1000);
  const abs = Math.abs(seconds);
  const [n, unit] =
    abs < 60
      ? [abs, 'second']
      : abs < 3600
        ? [Math.floor(abs / 60), 'minute']
        : abs < 86_400
          ? [Math.floor(abs / 3600), 'hour']
          : [Math.floor(abs / 86_400), 'day'];
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}

/**
 * One format string (`{date_short_pretty} {time}`) for a timestamp in seconds. Returns null
 * when the format names a token Slack does not know: Slack then shows the fallback text.
 */
export function formatSlackDate(seconds, format, { now = Date.now(), timeZone } = {}) {
  const ms = seconds * 1000;
  const p = partsOf(ms, timeZone);
  const pad = (n) => String(n).padStart(2, '0');
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const meridiem = p.hour < 12 ? 'AM' : 'PM';
  const date = `${MONTHS[p.month]} ${ordinal(p.day)}, ${p.year}`;
  const dateShort = `${MONTHS[p.month].slice(0, 3)} ${p.day}, ${p.year}`;
  const dateLong = `${DAYS[p.weekday]}, ${date}`;
  const pretty = (fallback) => relativeDay(p, now, timeZone) ?? fallback;
  const tokens = {
    date_num: `${p.year}-${pad(p.month + 1)}-${pad(p.day)}`,
    date_slash: `${pad(p.day)}/${pad(p.month + 1)}/${p.year}`,
    date,
    date_short: dateShort,
    date_long: dateLong,
    date_long_full: `${MONTHS[p.month]} ${p.day}, ${p.year}`,
    date_pretty: pretty(date),
    date_short_pretty: pretty(dateShort),
    date_long_pretty: pretty(dateLong),
    day_divider_pretty: pretty(
      partsOf(now, timeZone).year === p.year ? `${DAYS[p.weekday]}, ${MONTHS[p.month]} ${ordinal(p.day)}` : dateLong,
    ),
    time: `${hour12}:${pad(p.minute)} ${meridiem}`,
    time_secs: `${hour12}:${pad(p.minute)}:${pad(p.second)} ${meridiem}`,
    ago: ago(ms, now),
  };
  let unknown = false;
  const out = format.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in tokens)) unknown = true;
    return tokens[name] ?? whole;
  });
  if (unknown) return null;
  // Slack capitalises a relative day that opens the text ("Today at 9:14 AM").
  return out.replace(/^(today|yesterday|tomorrow)/, (w) => w[0].toUpperCase() + w.slice(1));
}
