/**
 * The issuer's outbound HTTP to social registries (DCI search pages and JWKS). A registry's address
 * is typed by an officer, so a request must not become a way into the ministry's own network or
 * a cloud's metadata service (SSRF): only public unicast addresses are reached, unless the operator's
 * allow-list (HAKI_REGISTRY_ALLOWED_ADDRESSES) names the address. The check is made on the address
 * actually connected to: names are resolved once, inside the connection, and every answer is
 * checked (so a name that resolves to a public address for a check and to a private one for the
 * connection, DNS rebinding, gains nothing); IP literals are checked before connecting and the
 * socket's peer after. No redirect is followed.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent, buildConnector, fetch as undiciFetch } from "undici";
import { RegistryError } from "@haki/registry/connector";

/** Resolves a name to every address (node:dns `lookup` with `all: true`, or a fake in tests). */
export type ResolveAll = (hostname: string) => Promise<LookupAddress[]>;

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Parses the allow-list: IP addresses or CIDR ranges, comma or space separated.
 *
 * @example
 * parseAddressAllowList("127.0.0.1, 10.20.0.0/16, ::1");
 */
export function parseAddressAllowList(text: string | undefined): Range[] {
  return (text ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      if (entry.includes("/")) return ipaddr.parseCIDR(entry) as Range;
      const a = ipaddr.parse(entry);
      return [a, a.kind() === "ipv4" ? 32 : 128] as Range;
    });
}

/**
 * Why an address may not be reached (its range: "loopback", "private", "linkLocal",
 * "carrierGradeNat", "multicast", "uniqueLocal", "unspecified", "reserved", ...), or null when it
 * may: a public unicast address, or one the allow-list names. IPv4-mapped IPv6 addresses are
 * judged as the IPv4 address they carry.
 *
 * @example
 * refusedRange("169.254.169.254", []); // "linkLocal" (cloud metadata)
 * refusedRange("::ffff:127.0.0.1", []); // "loopback"
 */
export function refusedRange(address: string, allow: Range[]): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  } catch {
    return "invalid";
  }
  for (const [net, bits] of allow) {
    if (net.kind() === ip.kind() && ip.match([net, bits] as never)) return null;
  }
  const range = ip.range();
  return range === "unicast" ? null : range;
}

function refused(host: string, address: string, range: string): RegistryError {
  return new RegistryError(
    "ERR_REGISTRY_ADDRESS_REFUSED",
    `The registry address ${host}${host === address ? "" : ` (${address})`} is a ${range} address, which Haki does not call; an operator can allow it with HAKI_REGISTRY_ALLOWED_ADDRESSES.`,
  );
}

const resolveWithDns: ResolveAll = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/**
 * A `fetch` for registry calls under the outbound policy. Throws `RegistryError`
 * ERR_REGISTRY_ADDRESS_REFUSED for an address outside it and ERR_REGISTRY_REDIRECT for a redirect.
 *
 * @example
 * const fetch = createRegistryFetch({ allow: parseAddressAllowList(env.HAKI_REGISTRY_ALLOWED_ADDRESSES) });
 * createDciConnector({ ...config, fetch });
 */
export function createRegistryFetch(options: { allow: Range[]; resolve?: ResolveAll; connectTimeoutMs?: number }): typeof fetch {
  const { allow } = options;
  const resolveAll = options.resolve ?? resolveWithDns;
  // net.connect asks this for the name's addresses; the connection goes to what it answers.
  const lookup = (hostname: string, opts: { all?: boolean; family?: number }, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    resolveAll(hostname).then(
      (addresses) => {
        const wanted = opts.family === 4 || opts.family === 6 ? addresses.filter((a) => a.family === opts.family) : addresses;
        for (const a of addresses) {
          const range = refusedRange(a.address, allow);
          if (range) return callback(refused(hostname, a.address, range), "");
        }
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
        if (opts.all) return callback(null, wanted);
        return callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: Error) => callback(err, ""),
    );
  };
  // buildConnector hands its own options to net.connect / tls.connect, `lookup` among them.
  const base = buildConnector({ timeout: options.connectTimeoutMs ?? 10_000, lookup } as buildConnector.BuildOptions);
  const connect: buildConnector.connector = (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, "");
    if (isIP(host)) {
      const range = refusedRange(host, allow);
      if (range) return callback(refused(host, host, range), null);
    }
    return base(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error("no socket"), null);
      // The peer of the socket itself: whatever path led here, this is the address reached.
      const peer = (socket as { remoteAddress?: string }).remoteAddress ?? "";
      const range = refusedRange(peer, allow);
      if (range) {
        socket.destroy();
        return callback(refused(host, peer, range), null);
      }
      return callback(null, socket);
    });
  };
  const dispatcher = new Agent({ connect });
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    let res: Response;
    try {
      res = (await undiciFetch(input as never, { ...(init as object), redirect: "manual", dispatcher } as never)) as unknown as Response;
    } catch (e) {
      const policy = causeChain(e).find((c): c is RegistryError => c instanceof RegistryError);
      throw policy ?? e;
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => undefined);
      throw new RegistryError("ERR_REGISTRY_REDIRECT", `The registry answered with a redirect${res.headers.get("location") ? ` to ${res.headers.get("location")}` : ""}; Haki follows none: enter the registry's final address.`, { status: res.status });
    }
    return res;
  }) as typeof fetch;
}

function causeChain(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let c = e, i = 0; c && i < 8; c = (c as { cause?: unknown }).cause, i++) out.push(c);
  return out;
}
