/** `hh:mm:ss.mmm,uuu`, the way Zephyr's log prints uptime. */
export function formatUptime(ns: number): string {
  const us = Math.floor(ns / 1000);
  const totalMs = Math.floor(us / 1000);
  const s = Math.floor(totalMs / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const p = (v: number, n: number): string => String(v).padStart(n, '0');
  return `${p(h, 2)}:${p(m, 2)}:${p(s % 60, 2)}.${p(totalMs % 1000, 3)},${p(us % 1000, 3)}`;
}
