// IP allowlists: exact addresses (IPv4 or IPv6) and IPv4 CIDR ranges such as 10.0.0.0/8.
function ipv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

/** Whether `entry` is an address or IPv4 CIDR range this module understands. */
export function isValidAllowlistEntry(entry: string): boolean {
  const [addr, bits, extra] = entry.split('/');
  if (extra !== undefined || !addr) return false;
  if (bits === undefined) return ipv4(addr) !== null || (addr.includes(':') && /^[0-9a-fA-F:.]+$/.test(addr));
  return ipv4(addr) !== null && /^\d{1,2}$/.test(bits) && Number(bits) <= 32;
}

export function ipAllowed(address: string, allowlist: readonly string[]): boolean {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  const n = ipv4(a);
  for (const entry of allowlist) {
    const [base, bits] = entry.split('/');
    if (bits === undefined) {
      if (base === a) return true;
      continue;
    }
    const b = ipv4(base!);
    if (n === null || b === null) continue;
    const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
    if (((n & mask) >>> 0) === ((b & mask) >>> 0)) return true;
  }
  return false;
}
