// The one error type the UI sees from either transport. Code is what the UI switches on
// (never the message text); status is the HTTP status, or 0 when nothing answered.
export type ApiErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'unsupported'
  | 'unavailable'
  | 'conflict'
  | 'internal';

const KNOWN_CODES: readonly ApiErrorCode[] = [
  'bad_request',
  'not_found',
  'unsupported',
  'unavailable',
  'conflict',
  'internal',
];

const STATUS_BY_CODE: Record<ApiErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  unsupported: 415,
  unavailable: 503,
  conflict: 409,
  internal: 500,
};

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
  if (status === 404) return 'not_found';
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
