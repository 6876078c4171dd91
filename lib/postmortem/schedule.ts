// When to hold the post-mortem: a proposed meeting within a window after the verification sign-off
// (48 h by default), optionally counting only weekdays. Pure; all times UTC.

export const MEETING_MINUTES = 75;

export type ScheduleOptions = {
  /** The meeting must end within this many hours of the anchor (the sign-off). */
  withinHours: number;
  /** Saturdays and Sundays neither hold the meeting nor count towards the window. */
  skipWeekends: boolean;
  /** The hour (UTC) the meeting is preferably held at, and the working day it must fall in. */
  preferredHourUtc?: number;
  workdayUtc?: readonly [startHour: number, endHour: number];
  /** The least notice given to attendees. */
  minNoticeMinutes?: number;
};

export type ProposedMeeting = { start: Date; end: Date; deadline: Date };

const HOUR = 3_600_000;
const isWeekend = (t: Date) => t.getUTCDay() === 0 || t.getUTCDay() === 6;

/** `anchor` + `hours`, counting only weekday time when `skipWeekends`. */
export function windowEnd(anchor: Date, hours: number, skipWeekends: boolean): Date {
  if (!skipWeekends) return new Date(anchor.getTime() + hours * HOUR);
  let t = anchor.getTime();
  let left = hours * HOUR;
  while (left > 0) {
    const day = new Date(t);
    const nextMidnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1);
    if (isWeekend(day)) {
      t = nextMidnight;
      continue;
    }
    const step = Math.min(left, nextMidnight - t);
    t += step;
    left -= step;
  }
  return new Date(t);
}

/**
 * The earliest full-hour slot that ends by the deadline: at the preferred hour if one fits, else
 * within the working day, else any hour; weekends left out when asked. Null only when the window is
 * shorter than the notice plus the meeting.
 */
export function proposeMeeting(anchor: Date, options: ScheduleOptions): ProposedMeeting | null {
  const { withinHours, skipWeekends, preferredHourUtc = 10, workdayUtc = [9, 17], minNoticeMinutes = 120 } = options;
  const deadline = windowEnd(anchor, withinHours, skipWeekends);
  const first = Math.ceil((anchor.getTime() + minNoticeMinutes * 60_000) / HOUR) * HOUR;
  const slots: Date[] = [];
  for (let t = first; t + MEETING_MINUTES * 60_000 <= deadline.getTime(); t += HOUR) {
    const start = new Date(t);
    if (skipWeekends && isWeekend(start)) continue;
    // The meeting ends on the day it starts (no slot that runs over midnight into a weekend).
    if (skipWeekends && isWeekend(new Date(t + MEETING_MINUTES * 60_000))) continue;
    slots.push(start);
  }
  const inWorkday = (s: Date) => s.getUTCHours() >= workdayUtc[0] && s.getUTCHours() * 60 + MEETING_MINUTES <= workdayUtc[1] * 60;
  const start = slots.find((s) => s.getUTCHours() === preferredHourUtc) ?? slots.find(inWorkday) ?? slots[0];
  return start ? { start, end: new Date(start.getTime() + MEETING_MINUTES * 60_000), deadline } : null;
}
