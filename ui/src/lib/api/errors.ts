// The one error type the UI sees from either transport. Code is what the UI switches on
// (never the message text); status is the HTTP status, or 0 when nothing answered. The codes are
// the engine's generated `ErrorCode`; the wire body is its `ErrorBody` `{code, message, error}`.
import type { ErrorCode } from './types.gen';

export type ApiErrorCode = ErrorCode;

/** Every generated code with its HTTP status; `satisfies` fails the build when the engine adds one. */
const STATUS_BY_CODE = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported: 415,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<ApiErrorCode, number>;

const KNOWN_CODES = Object.keys(STATUS_BY_CODE) as ApiErrorCode[];

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;

  constructor(code: ApiErrorCode, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (KNOWN_CODES as readonly string[]).includes(value);
}

/** Code for a response that carried no usable `{code}` body. */
export function codeForStatus(status: number): ApiErrorCode {
  if (status === 400 || status === 422) return 'bad_request';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 405 || status === 415 || status === 501) return 'unsupported';
  if (status === 409) return 'conflict';
  if (status === 0 || status === 429 || status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'internal';
}

export function statusForCode(code: ApiErrorCode): number {
  return STATUS_BY_CODE[code];
}

/** Builds an ApiError from a `{code, message}` body (either transport), tolerating older `{error}` bodies. */
export function apiErrorFromBody(body: unknown, status: number, fallbackMessage: string): ApiError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = isApiErrorCode(record.code) ? record.code : codeForStatus(status);
  const message =
    typeof record.message === 'string' && record.message.length > 0
      ? record.message
      : typeof record.error === 'string' && record.error.length > 0
        ? record.error
        : fallbackMessage;
  return new ApiError(code, message, status || statusForCode(code));
}
