/** A points amount with thousands separators: `1234` → `1,234`. */
export function formatPoints(n: number): string {
  return n.toLocaleString('en-US');
}
