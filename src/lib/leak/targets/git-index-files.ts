// Paths tracked in a git index (.git/index, versions 2-4). Git commits a tracked file even when a
// .gitignore matches it, so the `source` target must scan these whatever the ignore rules say.
// Parsed directly (a small, stable format) so the source target needs only a ReadonlyFs.

export function trackedPaths(index: Uint8Array): string[] {
  const dv = new DataView(index.buffer, index.byteOffset, index.byteLength);
  if (index.length < 12 || String.fromCharCode(index[0], index[1], index[2], index[3]) !== 'DIRC') {
    throw new Error('not a git index (no DIRC header)');
  }
  const version = dv.getUint32(4);
  if (version < 2 || version > 4) throw new Error(`unsupported git index version ${version}`);
  const count = dv.getUint32(8);
  const dec = new TextDecoder();
  const out: string[] = [];
  let pos = 12;
  let prev: Uint8Array = new Uint8Array(0);
  for (let n = 0; n < count; n++) {
    const start = pos;
    const mode = dv.getUint32(pos + 24);
    const flags = dv.getUint16(pos + 60);
    pos += 62;
    if (version >= 3 && flags & 0x4000) pos += 2;
    let name: Uint8Array;
    if (version === 4) {
      // Prefix compression: strip N bytes from the previous name, then a NUL-terminated suffix.
      let b = index[pos++];
      let strip = b & 0x7f;
      while (b & 0x80) {
        b = index[pos++];
        strip = ((strip + 1) << 7) | (b & 0x7f);
      }
      const end = index.indexOf(0, pos);
      const keep = prev.subarray(0, prev.length - strip);
      name = new Uint8Array(keep.length + (end - pos));
      name.set(keep, 0);
      name.set(index.subarray(pos, end), keep.length);
      pos = end + 1;
    } else {
      const end = index.indexOf(0, pos);
      if (end < 0) throw new Error('truncated git index');
      name = index.subarray(pos, end);
      pos = start + Math.ceil((end + 1 - start) / 8) * 8;
    }
    prev = name;
    const type = mode >>> 12;
    if (type === 0o10) out.push(dec.decode(name)); // regular files only: no symlinks, no submodules
    if (pos > index.length) throw new Error('truncated git index');
  }
  return out;
}
