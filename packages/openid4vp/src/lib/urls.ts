// The @openid4vc libraries refuse plain http:// process-wide unless told otherwise. Haki allows it
// only when every http URL of a request is on this machine (development and the browser tests).
import { setGlobalConfig } from "@openid4vc/utils";
import { base64urlDecode } from "./jose";

/** Whether a URL's host is this machine. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "127.0.0.1" || host === "[::1]";
  } catch {
    return false;
  }
}

/** A URL an answer may go to: https, or http on this machine. */
export function isAcceptableUrl(url: string): boolean {
  return /^https:\/\//i.test(url) || (/^http:\/\//i.test(url) && isLoopbackUrl(url));
}

/** Lets the libraries accept http:// for this call only when every http URL given is loopback. */
export function allowLoopbackHttp(urls: ReadonlyArray<string | undefined>): void {
  const http = urls.filter((u): u is string => typeof u === "string" && /^http:\/\//i.test(u));
  setGlobalConfig({ allowInsecureUrls: http.length > 0 && http.every(isLoopbackUrl) });
}

/** The URLs a request link names: its request_uri, and the response_uri inside a request by value (not verified here). */
export function urlsOfRequestLink(link: string): string[] {
  const s = link.trim();
  const params = new URLSearchParams(s.includes("?") ? s.slice(s.indexOf("?") + 1) : "");
  const urls = [params.get("request_uri"), params.get("response_uri"), params.get("redirect_uri")];
  const request = params.get("request");
  if (request) {
    try {
      const payload = JSON.parse(new TextDecoder().decode(base64urlDecode(request.split(".")[1] ?? ""))) as { response_uri?: unknown };
      if (typeof payload.response_uri === "string") urls.push(payload.response_uri);
    } catch {
      // A damaged request object: the library says so.
    }
  }
  return urls.filter((u): u is string => typeof u === "string");
}
