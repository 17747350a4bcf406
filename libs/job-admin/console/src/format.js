/** `2026-11-20 09:30:01 UTC` */
export function instant(iso) {
  return iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—';
}

/** `42 s`, `7 min`, `3 h` */
export function age(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

export function milliseconds(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function bytes(count) {
  if (count === null || count === undefined) return '—';
  return count < 1024 ? `${count} B` : `${(count / 1024).toFixed(1)} KiB`;
}
