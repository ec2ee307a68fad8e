/**
 * The issuer's one API error type: a stable code, a plain-words message, and an HTTP status
 * taken from one map, so every route answers the same way.
 */
export const API_ERROR_STATUS = {
  ERR_BAD_REQUEST: 400,
  ERR_UNAUTHENTICATED: 401,
  ERR_FORBIDDEN: 403,
  ERR_CSRF: 403,
  ERR_FOUR_EYES: 403,
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  ERR_INVALID_STATE: 409,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_TOO_MANY_ATTEMPTS: 429,
  ERR_INTERNAL: 500,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

/**
 * A failure a caller can act on.
 *
 * @example
 * throw new ApiError("ERR_FOUR_EYES", "You prepared this cycle: another approver must approve it.");
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details?: unknown;
  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options);
    this.name = "ApiError";
    this.code = code;
    this.details = options?.details;
  }
  get status(): number {
    return API_ERROR_STATUS[this.code];
  }
}
