// Masks as shown on the manual's screens, so whatever leaves the server matches what users see.

export function maskIdNumber(id: string): string {
  const chars = Array.from(id);
  if (chars.length < 6) return '*'.repeat(chars.length);
  return `${chars.slice(0, 2).join('')}*****${chars.slice(-3).join('')}`;
}

export function maskPhone(phone: string): string {
  const chars = Array.from(phone);
  if (chars.length < 8) return '*'.repeat(chars.length);
  return `${chars.slice(0, 3).join('')}****${chars.slice(-4).join('')}`;
}

/** Code points, not UTF-16 units, so a name with a supplementary-plane character keeps its length. */
export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length === 0) return '';
  return '*'.repeat(chars.length - 1) + chars[chars.length - 1];
}
