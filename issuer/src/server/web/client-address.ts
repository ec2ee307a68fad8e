import { isIP } from "node:net";
import type { Env } from "@/env";

/**
 * The client's address as the closest proxy reports it: the last entry of the configured header
 * (HAKI_CLIENT_ADDRESS_HEADER, `x-forwarded-for` unless told; entries before the last were written
 * by whoever sent the request and prove nothing). Undefined when absent or not an IP address: the
 * sign-in throttle then counts per account only.
 *
 * @example
 * clientAddressOf(new Headers({ "x-forwarded-for": "1.2.3.4, 196.201.214.10" }), env); // "196.201.214.10"
 */
export function clientAddressOf(headers: { get(name: string): string | null }, env: Pick<Env, "HAKI_CLIENT_ADDRESS_HEADER">): string | undefined {
  const raw = headers.get(env.HAKI_CLIENT_ADDRESS_HEADER);
  const last = raw?.split(",").at(-1)?.trim().replace(/^\[|\]$/g, "");
  return last && isIP(last) ? last : undefined;
}
