/**
 * Maintenance windows: UTC weekday + hour ranges in which the watcher may *start* a promotion (an instance refresh
 * that is already running is never interrupted when a window closes). Pure functions.
 */
import { MaintenanceWindow, WEEKDAYS } from './config';

/**
 * True when `now` lies in one of the windows: the weekday matches and startHour ≤ hour < endHour (UTC). Exactly at the
 * start hour is inside; exactly at the end hour is outside. No windows = always open.
 */
export function inMaintenanceWindow(windows: readonly MaintenanceWindow[], now: Date): boolean {
  if (windows.length === 0) return true;
  const day = WEEKDAYS[now.getUTCDay()];
  const hour = now.getUTCHours();
  return windows.some((w) => w.days.includes(day) && hour >= w.startHour && hour < w.endHour);
}

/** `Tue,Wed,Thu 09:00–16:00 UTC; Sat 02:00–04:00 UTC` (for skip reasons and notifications). */
export function describeWindows(windows: readonly MaintenanceWindow[]): string {
  if (windows.length === 0) return 'always';
  const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
  return windows.map((w) => `${w.days.join(',')} ${hh(w.startHour)}–${hh(w.endHour)} UTC`).join('; ');
}
