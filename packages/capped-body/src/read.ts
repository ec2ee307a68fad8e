/**
 * Reading a request's or a response's body no further than a byte limit. `Request.text()` and
 * `Response.text()` buffer whatever arrives: a client that streams gigabytes with chunked encoding
 * (no Content-Length to refuse it by) fills the memory first. Here a declared length over the limit
 * is refused before reading, and a body that passes the limit while it is read is cancelled there.
 */

/** Thrown when a body is longer than the limit, unless the caller names its own error. */
export class BodyTooLargeError extends Error {
  readonly code = "ERR_BODY_TOO_LARGE" as const;
  readonly maxBytes: number;
  constructor(maxBytes: number) {
    super(`The body is larger than ${maxBytes} bytes.`);
    this.name = "BodyTooLargeError";
    this.maxBytes = maxBytes;
  }
}

/** What `tooLarge` makes: the error the caller's API answers with (its own code and status). */
export type TooLarge = (maxBytes: number) => Error;

/**
 * The body's bytes; throws `tooLarge(maxBytes)` (by default `BodyTooLargeError`) as soon as the body
 * is known to be longer than `maxBytes`: by its Content-Length, or by counting while it is read.
 * With `signal`, reading stops when it aborts (a body that stalls half way), throwing its reason.
 *
 * @example
 * const bytes = await readCappedBytes(request, 64 * 1024, () => new ApiError("ERR_PAYLOAD_TOO_LARGE"));
 */
export async function readCappedBytes(message: Request | Response, maxBytes: number, tooLarge: TooLarge = (max) => new BodyTooLargeError(max), signal?: AbortSignal): Promise<Uint8Array> {
  signal?.throwIfAborted();
  if (Number(message.headers.get("content-length") ?? 0) > maxBytes) {
    void message.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (!message.body) return new Uint8Array(0);
  const reader = message.body.getReader();
  // Cancelling ends a pending read as if the body were complete: the check after the loop says otherwise.
  const stop = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", stop, { once: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } finally {
    signal?.removeEventListener("abort", stop);
  }
  signal?.throwIfAborted();
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * The body as UTF-8 text, no longer than `maxBytes` bytes (see `readCappedBytes`).
 *
 * @example
 * const form = new URLSearchParams(await readCappedText(request, 64 * 1024));
 */
export async function readCappedText(message: Request | Response, maxBytes: number, tooLarge?: TooLarge, signal?: AbortSignal): Promise<string> {
  return new TextDecoder().decode(await readCappedBytes(message, maxBytes, tooLarge, signal));
}
