/** Parses `90s`, `15m`, `2h`, `7d` (or a bare number of minutes) into minutes. */
export function parseDurationMinutes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)?$/i.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = (match[2] ?? 'm').toLowerCase();
  const minutes = unit === 's' ? value / 60 : unit === 'h' ? value * 60 : unit === 'd' ? value * 1440 : value;
  return minutes > 0 ? minutes : undefined;
}
