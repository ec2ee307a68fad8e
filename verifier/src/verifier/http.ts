import { readCappedText } from "@haki/capped-body";
import { IssuerRequestError } from "./errors";

/** The fetch the app uses; injectable so tests can run against an in-process issuer. */
export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The browser's fetch, called unbound (a detached `window.fetch` throws "Illegal invocation"). */
export const browserFetch: Fetch = (input, init) => fetch(input, init);

/**
 * Joins the issuer base URL and an endpoint path.
 *
 * @example
 * issuerUrl("https://pay.example.org/", "/api/verifier/enrol"); // "https://pay.example.org/api/verifier/enrol"
 */
export function issuerUrl(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
}

/** The most an answer of the issuer may hold: a status list, the trust bundle or a page of the hand-over feed is far smaller. */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

/**
 * Fetches and returns the body text, or throws `IssuerRequestError`. `timeoutMs` covers the whole
 * exchange, the body included: a proxy that sends the headers and then stalls does not hold the
 * sync, and an answer over MAX_ANSWER_BYTES is cut there instead of filling the phone's memory.
 *
 * @example
 * const jwt = await fetchText(fetch, statusListUrl);
 */
export async function fetchText(
  fetchFn: Fetch,
  url: string,
  init: RequestInit = {},
  timeoutMs = 15_000,
): Promise<string> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new DOMException("The issuer did not answer in time", "TimeoutError")), timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetchFn(url, { ...init, signal: ctrl.signal, cache: "no-store" });
    } catch (cause) {
      throw new IssuerRequestError("The issuer could not be reached", undefined, { cause });
    }
    let text: string;
    try {
      text = await readCappedText(res, MAX_ANSWER_BYTES, (max) => new IssuerRequestError(`The issuer's answer is larger than ${max} bytes`, res.status), ctrl.signal);
    } catch (cause) {
      if (cause instanceof IssuerRequestError) throw cause;
      throw new IssuerRequestError("The issuer's answer did not arrive whole", res.status, { cause });
    }
    if (!res.ok) throw new IssuerRequestError(`The issuer answered ${res.status}`, res.status);
    return text;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * POSTs JSON and parses the JSON answer (throws `IssuerRequestError` on failure).
 *
 * @example
 * const answer = await postJson(fetch, url, { receipts });
 */
export async function postJson(fetchFn: Fetch, url: string, body: unknown): Promise<unknown> {
  const text = await fetchText(fetchFn, url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new IssuerRequestError("The issuer's answer is not JSON", undefined, { cause });
  }
}
