// IPv4 and IPv6 addresses and CIDR blocks as bigints, for ipBlock and `networks` peers.

export interface Cidr {
  v6: boolean;
  base: bigint;
  bits: number;
  text: string;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  let text = s;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = parseV4(tail);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" || halves[0] === undefined ? [] : halves[0].split(":");
  const rest =
    halves.length === 2 ? (halves[1] === "" || halves[1] === undefined ? [] : halves[1].split(":")) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
}

const parsedIps = new Map<string, { v6: boolean; value: bigint } | undefined>();

/** An IP address as a number and family, or undefined when it is not one. Memoised: pod IPs repeat. */
export function parseIp(s: string): { v6: boolean; value: bigint } | undefined {
  if (parsedIps.has(s)) return parsedIps.get(s);
  const v = parseIpUncached(s);
  if (parsedIps.size > 100_000) parsedIps.clear();
  parsedIps.set(s, v);
  return v;
}

function parseIpUncached(s: string): { v6: boolean; value: bigint } | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { v6: false, value: v4 };
  if (!s.includes(":")) return undefined;
  const v6 = parseV6(s);
  return v6 === undefined ? undefined : { v6: true, value: v6 };
}

export function isIp(s: string): boolean {
  return parseIp(s) !== undefined;
}

/** Parse `a.b.c.d/n` or `x::/n`; the base is masked to the prefix. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf("/");
  if (slash === -1) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const bitsText = s.slice(slash + 1);
  if (ip === undefined || !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const width = ip.v6 ? 128 : 32;
  if (bits > width) return undefined;
  const shift = BigInt(width - bits);
  return { v6: ip.v6, base: (ip.value >> shift) << shift, bits, text: s };
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const a = parseIp(ip);
  if (a === undefined || a.v6 !== cidr.v6) return false;
  const shift = BigInt((cidr.v6 ? 128 : 32) - cidr.bits);
  return (a.value >> shift) << shift === cidr.base;
}
